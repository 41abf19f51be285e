"""Personal API tokens: made and revoked by their user on the profile page, and the one
lookup the API's authentication asks (accounts.models.ApiToken)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, User

# Tells our tokens apart from other secrets (in a leaked log, a secret scanner's rules).
TOKEN_PREFIX = "pat_"
# 32 random bytes: 43 URL-safe characters, far beyond guessing.
TOKEN_BYTES = 32
# last_used_at is written at most this often, so a busy client costs no write a request.
USE_RECORDED_EVERY = datetime.timedelta(minutes=1)


def hash_token(secret: str) -> str:
    """A fast hash is enough: the secret is random, not a password to be brute-forced."""
    return hashlib.sha256(secret.encode()).hexdigest()


def expiry_of(last_day: datetime.date | None) -> datetime.datetime | None:
    """A token that works through `last_day` stops at the next midnight, local time."""
    if last_day is None:
        return None
    midnight = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight)


@transaction.atomic
def api_token_issue(*, user: User, name: str, last_day: datetime.date | None) -> tuple:
    """Make a token for the user; returns (token, secret). The secret is not stored and
    cannot be shown again."""
    # The user's row is locked so two requests at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if user.api_tokens.usable().count() >= settings.API_TOKENS_PER_USER:
        raise ValidationError(
            _("You have %(count)s tokens already. Revoke one you no longer use first.")
            % {"count": settings.API_TOKENS_PER_USER}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        user=user,
        name=name.strip(),
        token_hash=hash_token(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 4],
        expires_at=expiry_of(last_day),
    )
    token.full_clean()
    token.save()
    return token, secret


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False if there was none to revoke."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def api_token_owner(secret: str) -> tuple[User, ApiToken] | None:
    """The user and token a secret opens, or None: unknown, revoked or expired token,
    or a user who is no longer active. Records the use (at most once a minute)."""
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(secret)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at < now - USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token
