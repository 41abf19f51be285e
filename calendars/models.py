"""Personal calendar feeds: a secret address per user that calendar programs fetch
without logging in (they cannot). The address ends in a random token; only its SHA-256
hash is stored, so the database or a backup of it does not give the feeds away. The user
sees the address once, when it is made, and can turn the feed off or make a new address,
which stops the old one at once."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# 32 random bytes: 43 URL-safe characters, far beyond guessing.
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """A fast hash is enough: the token is random, not a password to be brute-forced."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    # Looked up by equality on the unique index: what an attacker could time is the
    # comparison of hashes, which tells nothing about a token.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("address made"), default=timezone.now, editable=False)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
