"""The record of a partner's due diligence over time: each change of risk level with its
reason, and each review with the interval that applied then. Written by
partnerships.services.partner_save (and the import); never changed afterwards."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import DayField, SingleLineField
from partnerships.models.partners import Partner, RiskLevel


class RiskLevelChange(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="risk_changes")
    from_level = models.CharField(_("from"), max_length=10, choices=RiskLevel.choices, blank=True)
    to_level = models.CharField(_("to"), max_length=10, choices=RiskLevel.choices, blank=True)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("risk level change")
        verbose_name_plural = _("risk level changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="risk_change_has_reason",
                violation_error_message=_("Give the reason for the change of risk level."),
            ),
            models.CheckConstraint(
                condition=~Q(from_level=F("to_level")), name="risk_change_changes_the_level"
            ),
        ]
        indexes = [models.Index(fields=["changed_at"], name="risk_change_when_idx")]

    def __str__(self):
        return f"{self.partner_id}: {self.from_level or '-'} → {self.to_level or '-'}"


class DueDiligenceReview(models.Model):
    """A review of the partner's due diligence, dated, with the risk level and the
    interval to the next review as they were when it was recorded."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="due_diligence_reviews"
    )
    reviewed_on = DayField(_("reviewed on"))
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    interval_months = models.PositiveSmallIntegerField(_("next review after (months)"))
    next_review_on = DayField(_("next review due"))
    note = SingleLineField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("due-diligence review")
        verbose_name_plural = _("due-diligence reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gt=F("reviewed_on")),
                name="review_next_after_this_one",
            ),
        ]
        indexes = [models.Index(fields=["recorded_at"], name="review_recorded_idx")]

    def __str__(self):
        return f"{self.partner_id}: {self.reviewed_on}"
