from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import lockouts, permissions
from core.permissions import require

# A language picked on the login page, kept in the session until the user logs in.
CHOSEN_BEFORE_LOGIN = "language_chosen_before_login"


@login_not_required
@require_POST
def set_language(request):
    """Switch the interface language and remember it for the user (emails use it too).
    Logged out (the login page) it is kept in a cookie and saved on the user at login."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        else:
            request.session[CHOSEN_BEFORE_LOGIN] = language
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        """The language picked on the login page is the user's latest choice: it wins
        over the one saved earlier, as a choice in the header would."""
        response = super().form_valid(form)
        language = self.request.session.pop(CHOSEN_BEFORE_LOGIN, None)
        user = self.request.user
        if language and language != user.language:
            user.language = language
            user.save(update_fields=["language"])
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
