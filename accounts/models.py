import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import SingleLineField


class User(AbstractUser):
    """A person who logs in. Roles are Django groups (see accounts.roles)."""

    # The names are shown in calendars, PDFs and emails: one line each.
    first_name = SingleLineField(_("first name"), max_length=150, blank=True)
    last_name = SingleLineField(_("last name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Language for emails and the interface; empty follows the browser."),
    )

    class Meta(AbstractUser.Meta):
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class SsoIdentity(models.Model):
    """A user's account at the organisation's OpenID provider: issuer and subject, the
    only things a provider promises never to reuse (an email can change hands)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sso_identities")
    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_sso_subject")
        ]

    def __str__(self):
        return f"{self.issuer} {self.subject}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Not revoked and not expired: the tokens that open the API."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal token for the JSON API: it acts as its user, with the user's role.

    Only the SHA-256 hash of the secret is stored (accounts.tokens); the user sees the
    secret once, when it is made. A revoked token keeps its row, so its name stays on
    record, but opens nothing.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = SingleLineField(
        _("name"), max_length=100, help_text=_("What uses it, for example “finance system”.")
    )
    # Looked up by equality on the unique index (see calendars.models for why a hash).
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, to tell tokens apart on the profile page.
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("made"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user}: {self.name}"

    @property
    def last_day(self) -> datetime.date | None:
        """The last day the token works (it expires at the next midnight)."""
        if self.expires_at is None:
            return None
        return timezone.localdate(self.expires_at) - datetime.timedelta(days=1)

    def is_usable(self, now=None) -> bool:
        """Mirrors ApiTokenQuerySet.usable for one row."""
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
