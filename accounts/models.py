from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
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
