"""People at a partner organisation who use the portal, and their invitations."""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models import Partner, PartnerContact


class PortalUserState(models.TextChoices):
    """Where a partner user's access stands; derived, never stored."""

    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Access revoked")


class PartnerUserQuerySet(models.QuerySet):
    def active(self):
        """Users who have set their password and still have access."""
        return self.filter(
            activated_at__isnull=False, revoked_at__isnull=True, user__is_active=True
        )

    def with_access(self):
        """Not revoked: invited or active."""
        return self.filter(revoked_at__isnull=True)


class PartnerUser(models.Model):
    """A login that belongs to exactly one partner organisation.

    Made when staff invite one of the partner's contact people; the user sets a
    password through the invitation link. Revoking ends every session at once (the
    password is made unusable, which invalidates the sessions' auth hash) and the login
    stays for the record.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="partner_user",
        verbose_name=_("user"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="portal_users", verbose_name=_("partner")
    )
    contact = models.ForeignKey(
        PartnerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_users",
        verbose_name=_("invited from contact"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    activated_at = models.DateTimeField(_("password set at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("access revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("access revoked by"),
    )

    objects = PartnerUserQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "invited_at", "id"]
        verbose_name = _("partner user")
        verbose_name_plural = _("partner users")
        constraints = [
            # The same contact is invited once; a revoked login is kept, not reused.
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(contact__isnull=False, revoked_at__isnull=True),
                name="one_portal_user_per_contact",
                violation_error_message=_("This contact already has access to the portal."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="portal_user_revocation_recorded",
            ),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def state(self) -> str:
        if self.revoked_at is not None or not self.user.is_active:
            return PortalUserState.REVOKED
        if self.activated_at is None:
            return PortalUserState.INVITED
        return PortalUserState.ACTIVE

    def get_state_display(self) -> str:
        return PortalUserState(self.state).label


def hash_token(token: str) -> str:
    """Only this hash of an invitation token is stored; the token is in the email."""
    return hashlib.sha256(token.encode()).hexdigest()


class PortalInvitation(models.Model):
    """One invitation email's link: valid for settings.PORTAL_INVITATION_DAYS, once.

    A new invitation (resending) replaces the earlier ones, which stop working.
    """

    partner_user = models.ForeignKey(
        PartnerUser, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_it_is_sent",
            ),
        ]

    def __str__(self):
        return f"{self.partner_user} {self.created_at:%Y-%m-%d}"

    @staticmethod
    def lifetime() -> datetime.timedelta:
        return datetime.timedelta(days=settings.PORTAL_INVITATION_DAYS)

    def is_usable(self, now=None) -> bool:
        """Mirrors the conditional update in portal.services.invitations.accept_invitation."""
        now = now or timezone.now()
        return self.used_at is None and self.replaced_at is None and self.expires_at > now
