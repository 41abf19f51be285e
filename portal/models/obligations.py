"""The partner says one of its obligations is fulfilled; staff confirm or reject it.

A confirmed proposal becomes the obligation's follow-up record (through
agreements.services.obligation_confirm_partner_proposal), which then names the partner
user who proposed it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Obligation
from core.fields import DayField
from core.validators import DOCUMENT_EXTENSIONS, DocumentValidator


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by the partner, awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


def _proposal_evidence_path(proposal, filename):
    return f"portal/obligations/{uuid.uuid4().hex}/{filename}"


class ObligationProposal(models.Model):
    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, related_name="partner_proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    fulfilled_on = DayField(_("fulfilled on"))
    note = models.TextField(_("what was done"))
    evidence = models.FileField(
        _("evidence"),
        upload_to=_proposal_evidence_path,
        blank=True,
        validators=[DocumentValidator((*DOCUMENT_EXTENSIONS, "png", "jpg", "jpeg"))],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("obligation proposed fulfilled")
        verbose_name_plural = _("obligations proposed fulfilled")
        constraints = [
            models.UniqueConstraint(
                fields=["obligation"],
                condition=Q(status="proposed"),
                name="one_open_proposal_per_obligation",
                violation_error_message=_("This obligation already awaits confirmation."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="proposal_rejected_with_reason",
                violation_error_message=_("Give the reason for rejecting."),
            ),
            models.CheckConstraint(
                condition=Q(status="proposed")
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="proposal_decision_recorded",
            ),
            models.CheckConstraint(condition=~Q(note=""), name="proposal_has_a_note"),
        ]

    def __str__(self):
        return f"{self.obligation} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.PROPOSED
