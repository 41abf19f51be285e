from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import lockouts, permissions, tokens, two_factor
from accounts.forms import ApiTokenForm
from core.permissions import require

# A new token's secret waits here between the POST that made it and the profile page
# that shows it once; the page takes it out of the session.
NEW_API_TOKEN_SESSION_KEY = "api_token_new_secret"
# A form that was refused comes back to the profile page with its errors and input.
API_TOKEN_FORM_SESSION_KEY = "api_token_form_data"


@require_POST
def set_language(request):
    """Switch the interface language and remember it for the user (emails use it too)."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


@require_GET
def login_lockouts(request):
    """Managers see which user names are refused at login right now, to unlock them."""
    require(permissions.can_unlock_logins(request.user))
    return render(
        request,
        "registration/login_lockouts.html",
        {
            "lockouts": lockouts.current_lockouts(),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
    )


@require_POST
def login_unlock(request):
    require(permissions.can_unlock_logins(request.user))
    username = request.POST.get("username", "")
    if lockouts.unlock(username=username, unlocked_by=request.user):
        messages.success(request, _("“%s” can log in again.") % username)
    else:
        messages.info(request, _("“%s” was not locked out.") % username)
    return redirect("login_lockouts")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _safe_next(request, default="/"):
    next_url = request.POST.get("next") or request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    return next_url


RECOVERY_CODES_SESSION_KEY = "two_factor_new_recovery_codes"


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Enrol an authenticator app: scan the code (or type the key), enter a first code."""
    device = two_factor.enrolment_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, codes = two_factor.confirm_enrolment(
            user=request.user, code=form.cleaned_data["code"]
        )
        if result is two_factor.Result.ACCEPTED:
            two_factor.verify_session_after_enrolment(request)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect(f"{reverse('two_factor_recovery_codes')}?next={_safe_next(request)}")
        form.add_error("code", _two_factor_message(result))
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_for_typing(device),
            "required": two_factor.required_for(request.user),
            "already_enrolled": two_factor.is_enrolled(request.user),
            "next": _safe_next(request, ""),
        },
    )


@require_GET
def two_factor_recovery_codes(request):
    """The recovery codes, shown once, right after enrolment."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if codes is None:
        return redirect("dashboard:profile")
    return render(
        request,
        "registration/two_factor_recovery_codes.html",
        {"codes": codes, "next": _safe_next(request, reverse("dashboard:profile"))},
    )


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of signing in."""
    if request.method == "GET":
        two_factor.remember_enrolment(request)  # the device may have been removed since
    if not two_factor.needs_code(request):
        return redirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = two_factor.verify(request, form.cleaned_data["code"])
        if result is two_factor.Result.ACCEPTED:
            return redirect(_safe_next(request))
        form.add_error("code", _two_factor_message(result))
        status = 429 if result is two_factor.Result.LOCKED else 200
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _safe_next(request, "")},
        status=status,
    )


@require_POST
def two_factor_remove(request):
    """Turn two-factor sign-in off (not possible where it is required)."""
    require(permissions.can_remove_two_factor(request.user))
    two_factor.remove(request.user)
    two_factor.remember_enrolment(request)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("dashboard:profile")


def _two_factor_message(result) -> str:
    if result is two_factor.Result.LOCKED:
        minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
        return ngettext(
            "Too many wrong codes. Codes are refused for %(minutes)s minute from the last wrong one: try again later, or ask a manager.",
            "Too many wrong codes. Codes are refused for %(minutes)s minutes from the last wrong one: try again later, or ask a manager.",
            minutes,
        ) % {"minutes": minutes}
    return _("That code is not right. Enter the six digits your app shows now, or a recovery code.")


@require_POST
def api_token_create(request):
    """Make a personal API token; the profile page shows its secret once."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = tokens.api_token_issue(
                user=request.user,
                name=form.cleaned_data["name"],
                last_day=form.cleaned_data["last_day"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            request.session[NEW_API_TOKEN_SESSION_KEY] = {"id": token.pk, "secret": secret}
            messages.success(request, _("The token “%(name)s” is made.") % {"name": token.name})
            return redirect(f"{reverse('dashboard:profile')}#api-tokens")
    else:
        request.session[API_TOKEN_FORM_SESSION_KEY] = {
            name: request.POST.get(name, "") for name in form.fields
        }
        messages.error(request, _("No token was made. Please correct the errors below."))
    return redirect(f"{reverse('dashboard:profile')}#api-tokens")


@require_POST
def api_token_revoke(request, pk):
    if tokens.api_token_revoke(user=request.user, token_id=pk):
        messages.success(request, _("The token is revoked. It no longer works."))
    request.session.pop(NEW_API_TOKEN_SESSION_KEY, None)
    return redirect(f"{reverse('dashboard:profile')}#api-tokens")


def api_tokens_section(request) -> dict:
    """The API part of the profile page: the user's tokens, and a new token's secret
    right after it was made (afterwards nobody, not even the server, knows it)."""
    new = request.session.pop(NEW_API_TOKEN_SESSION_KEY, None)
    refused = request.session.pop(API_TOKEN_FORM_SESSION_KEY, None)
    form = ApiTokenForm(refused) if refused is not None else ApiTokenForm()
    if refused is not None:
        form.is_valid()  # shows the errors next to the fields
    user_tokens = list(request.user.api_tokens.usable())
    shown = new if new and any(token.pk == new["id"] for token in user_tokens) else None
    return {
        "api_tokens": user_tokens,
        "api_token_form": form,
        "new_api_token": shown,
        "api_docs_url": reverse("api:docs"),
    }
