"""Session rules of a security standard (OWASP ASVS level 2): an absolute lifetime
beside the idle limit, and no copy of a signed-in page kept by a browser or a proxy."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

# Set at sign-in (accounts.apps); a session without it started before the rule existed.
SIGNED_IN_AT = "signed_in_at"


def mark_signed_in(sender, request, user, **kwargs):
    from accounts import sso, two_factor

    request.session[SIGNED_IN_AT] = int(time.time())
    if getattr(user, "backend", "") == sso.BACKEND:
        request.session[two_factor.SIGNED_IN_WITH_SSO] = True
    else:
        request.session[two_factor.ENROLLED] = two_factor.is_enrolled(user)


class SessionAbsoluteLifetimeMiddleware:
    """However active the user, a session ends SESSION_ABSOLUTE_SECONDS after sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
            if now - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    _("Your session ended %(hours)s hours after you signed in. Sign in again.")
                    % {"hours": round(settings.SESSION_ABSOLUTE_SECONDS / 3600)},
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages, downloads and exports for a signed-in user are never stored: not by the
    browser's back-forward cache on a shared computer, nor by a proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class TwoFactorMiddleware:
    """Until a password user who enrolled has entered a code (or one who must enrol has
    enrolled), every page sends them to that step; only it, the language switch and log
    out stay open. After django_otp's OTPMiddleware, which knows whether the session is
    verified."""

    STEP_PAGES = {
        "code": ("two_factor_verify",),
        "enrol": ("two_factor_setup", "two_factor_recovery_codes"),
    }
    ALWAYS_OPEN = ("logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from accounts import two_factor

        if request.user.is_authenticated:
            if two_factor.needs_code(request):
                step = "code"
            elif two_factor.needs_enrolment(request):
                step = "enrol"
            else:
                step = None
            if step:
                match = _resolve(request.path_info)
                open_pages = (*self.STEP_PAGES[step], *self.ALWAYS_OPEN)
                if match not in open_pages:
                    target = reverse(self.STEP_PAGES[step][0])
                    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _resolve(path) -> str:
    try:
        return resolve(path).url_name or ""
    except Resolver404:
        return ""
