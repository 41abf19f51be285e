from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """API_THROTTLE_RATE requests per token (a session: per user; no login: per
    address). Each token has its own allowance, so a busy integration cannot use up
    the allowance of its user's other tokens."""

    scope = "api"

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            who = f"token-{request.auth.pk}"
        elif request.user.is_authenticated:
            who = f"user-{request.user.pk}"
        else:
            who = f"address-{self.get_ident(request)}"
        return f"throttle-api-{who}"
