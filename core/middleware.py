"""Idle session timeout without a database write on every request."""

import time

from django.utils import translation

# Refresh the session's expiry at most this often; the idle limit is SESSION_COOKIE_AGE.
REFRESH_EVERY_SECONDS = 300


class SessionIdleRefreshMiddleware:
    """Touch the session once every few minutes while the user is active.

    A modified session is saved with a new expiry (SESSION_COOKIE_AGE from now), so a
    session left idle for longer than that ends; saving on every request
    (SESSION_SAVE_EVERY_REQUEST) would cost two queries on every page instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get("last_seen", 0) >= REFRESH_EVERY_SECONDS:
                session["last_seen"] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """A logged-in user's saved language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
