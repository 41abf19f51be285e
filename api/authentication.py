"""Personal API tokens in the Authorization header: `Authorization: Bearer pat_…`."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts import tokens

KEYWORD = b"bearer"


class ApiTokenAuthentication(BaseAuthentication):
    """The token's user, if the token is known, unrevoked and unexpired and the user is
    active (accounts.tokens.api_token_owner). A request without the header is left to
    the session, for the reference page."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        try:
            secret = parts[1].decode("ascii") if len(parts) == 2 else ""
        except UnicodeDecodeError:
            secret = ""
        if not secret:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”.")
            )
        found = tokens.api_token_owner(secret)
        if found is None:
            raise exceptions.AuthenticationFailed(
                _(
                    "This token does not work: it is unknown, revoked or expired, or its user is inactive."
                )
            )
        return found

    def authenticate_header(self, request):
        # Makes a missing or refused token a 401 (with this header), not a 403.
        return 'Bearer realm="api"'
