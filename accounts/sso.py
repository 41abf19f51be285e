"""Single sign-on with the organisation's OpenID provider (Microsoft Entra ID, Google
Workspace, Okta, Keycloak...), through mozilla-django-oidc: the authorization code flow
with PKCE, state and nonce checked by the library, the ID token's signature, issuer,
audience and expiry checked here.

The user's name, email and role come from the provider at every sign-in: the groups
claim (OIDC_GROUPS_CLAIM) maps to Staff and Managers (OIDC_STAFF_GROUPS,
OIDC_MANAGER_GROUPS), so a role removed at the provider is removed here at the next
sign-in, and a user whose groups map to no role gets no access. People are matched by the
provider's issuer and subject, never by email.
"""

import threading
import time

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from accounts import roles
from accounts.models import SsoIdentity

BACKEND = "accounts.sso.OrganisationBackend"
# Where each endpoint setting is found in the provider's discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_TTL_SECONDS = 3600
_discovery = {"url": None, "fetched": 0.0, "document": None}
_discovery_lock = threading.Lock()


def enabled() -> bool:
    return settings.OIDC_ENABLED


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME


def provider_metadata() -> dict:
    """The provider's discovery document, fetched at the first sign-in and kept an hour."""
    url = settings.OIDC_DISCOVERY_URL
    with _discovery_lock:
        fresh = time.monotonic() - _discovery["fetched"] < DISCOVERY_TTL_SECONDS
        if _discovery["url"] != url or not fresh or _discovery["document"] is None:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            _discovery.update(url=url, fetched=time.monotonic(), document=response.json())
        return _discovery["document"]


def get_setting(attr, *args):
    if attr in DISCOVERED and not getattr(settings, attr, ""):
        return provider_metadata()[DISCOVERED[attr]]
    return import_from_settings(attr, *args)


def roles_from_claims(claims) -> set[str]:
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    groups = {str(group) for group in groups}
    if groups & set(settings.OIDC_MANAGER_GROUPS):
        return {roles.MANAGERS_GROUP}
    if groups & set(settings.OIDC_STAFF_GROUPS):
        return {roles.STAFF_GROUP}
    return set()


def staff_must_use_sso(user) -> bool:
    """With OIDC_STAFF_PASSWORDS off, staff and managers sign in only through the
    provider (partner users keep their passwords)."""
    if not enabled() or settings.OIDC_STAFF_PASSWORDS:
        return False
    names = roles.group_names(user)
    return bool(names & {roles.STAFF_GROUP, roles.MANAGERS_GROUP})


class OrganisationBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(get_setting)

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every sign-in and session; the provider's endpoints
        # are looked up only when an OpenID sign-in comes back (authenticate).
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not enabled() or "code_verifier" not in kwargs:
            return None  # not an OpenID sign-in: the password backends answer
        super().__init__()
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """The signature, and that the token was issued by our provider for us and has
        not expired (the library checks the signature only)."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The ID token's algorithm is not the one configured.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_metadata()["issuer"],
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def get_or_create_user(self, access_token, id_token, payload):
        self.id_token_claims = payload
        return super().get_or_create_user(access_token, id_token, payload)

    def verify_claims(self, claims):
        # The userinfo must speak of the person the ID token names.
        return bool(claims.get("sub")) and claims["sub"] == self.id_token_claims.get("sub")

    def _identity(self, claims):
        return {"issuer": self.id_token_claims["iss"], "subject": claims["sub"]}

    def filter_users_by_claims(self, claims):
        return get_user_model().objects.filter(
            pk__in=SsoIdentity.objects.filter(**self._identity(claims)).values("user_id")
        )

    @transaction.atomic
    def create_user(self, claims):
        user = get_user_model().objects.create_user(username=self._free_username(claims))
        user.set_unusable_password()
        user.save()
        SsoIdentity.objects.create(user=user, **self._identity(claims))
        return self.update_user(user, claims)

    def _free_username(self, claims) -> str:
        User = get_user_model()
        wanted = claims.get("preferred_username") or claims.get("email", "").split("@")[0] or "user"
        base = "".join(ch for ch in wanted if ch.isalnum() or ch in "@.+-_")[:140] or "user"
        candidate, number = base, 1
        while User.objects.filter(username=candidate).exists():
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    @transaction.atomic
    def update_user(self, user, claims):
        name = claims.get("name", "")
        first, _space, last = name.partition(" ")
        user.first_name = claims.get("given_name", first)[:150]
        user.last_name = claims.get("family_name", last)[:150]
        user.email = claims.get("email", user.email)[:254]
        user.save(update_fields=["first_name", "last_name", "email"])
        wanted = roles_from_claims(claims)
        role_groups = Group.objects.filter(name__in=[roles.STAFF_GROUP, roles.MANAGERS_GROUP])
        for group in role_groups:
            if group.name in wanted:
                user.groups.add(group)
            else:
                user.groups.remove(group)
        user._group_names_cache = None  # roles.group_names asks again
        return user


class _OnlyWhenEnabled:
    """With single sign-on off, its addresses do not exist."""

    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class SignInView(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    get_settings = staticmethod(get_setting)

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)  # endpoints read in get(), once enabled

    def get(self, request):
        self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class CallbackView(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    get_settings = staticmethod(get_setting)
