"""Reminders sent by the daily jobs. Each reminder is claimed once by inserting a row
with a unique claim key before anything is sent (jobs are safe to run
twice: docs/architecture.md); each recipient's email is a delivery with its own attempts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ReminderKind(models.TextChoices):
    AGREEMENT_ENDING = "agreement_ending", _("Agreement ending")
    EVALUATION_OVERDUE = "evaluation_overdue", _("Evaluation overdue")
    EVALUATION_DUE_SOON = "evaluation_due_soon", _("Evaluation due soon")
    MANAGER_DIGEST = "manager_digest", _("Weekly manager digest")
    OBLIGATION_OVERDUE = "obligation_overdue", _("Obligation overdue")
    # To the partner's portal users (planned and worded by the portal app).
    PARTNER_REPORT_DUE_SOON = "partner_report_due_soon", _("Partner report due soon")
    PARTNER_REPORT_OVERDUE = "partner_report_overdue", _("Partner report overdue")
    PARTNER_REPORT_SENT_BACK = "partner_report_sent_back", _("Partner report sent back")
    PARTNER_REPORT_ACCEPTED = "partner_report_accepted", _("Partner report accepted")


class Reminder(models.Model):
    claim_key = models.CharField(
        max_length=100,
        unique=True,
        help_text=_(
            "What was reminded of, e.g. agreement_ending:12:30; unique so it goes out once."
        ),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    period = models.ForeignKey(
        "evaluations.EvaluationPeriod",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    obligation = models.ForeignKey(
        "agreements.Obligation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    # Days before the end date, the repeat number of an overdue reminder, or the ISO week.
    sequence = models.PositiveIntegerField(default=0)
    for_date = models.DateField(_("for the day"))
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return self.claim_key

    def describe(self) -> str:
        if self.kind == ReminderKind.AGREEMENT_ENDING:
            return ngettext("Ends in %(days)s day", "Ends in %(days)s days", self.sequence) % {
                "days": self.sequence
            }
        if self.kind == ReminderKind.EVALUATION_OVERDUE:
            return _("Evaluation of year %(year)s overdue (reminder %(number)s)") % {
                "year": self.period.number if self.period else "?",
                "number": self.sequence + 1,
            }
        if self.kind == ReminderKind.EVALUATION_DUE_SOON:
            return _("Evaluation of year %(year)s due soon") % {
                "year": self.period.number if self.period else "?"
            }
        if self.kind in _PARTNER_REPORT_DESCRIPTIONS:
            return _PARTNER_REPORT_DESCRIPTIONS[self.kind] % {
                "year": self.period.number if self.period else "?"
            }
        if self.kind == ReminderKind.OBLIGATION_OVERDUE:
            return _("Obligation overdue: %(obligation)s") % {
                "obligation": self.obligation.description[:60] if self.obligation else "?"
            }
        return str(self.get_kind_display())


_PARTNER_REPORT_DESCRIPTIONS = {
    ReminderKind.PARTNER_REPORT_DUE_SOON: _("Partner report of year %(year)s due soon"),
    ReminderKind.PARTNER_REPORT_OVERDUE: _("Partner report of year %(year)s overdue"),
    ReminderKind.PARTNER_REPORT_SENT_BACK: _("Partner report of year %(year)s sent back"),
    ReminderKind.PARTNER_REPORT_ACCEPTED: _("Partner report of year %(year)s accepted"),
}


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Failed")


class Delivery(models.Model):
    """One reminder email to one person."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_deliveries"
    )
    email = models.EmailField(_("sent to"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "recipient"], name="one_delivery_per_recipient"
            ),
        ]
        indexes = [
            # The daily job looks for failed and stuck deliveries to send again.
            models.Index(fields=["status", "updated_at"], name="delivery_status_idx"),
        ]

    def __str__(self):
        return f"{self.reminder} → {self.email} ({self.status})"
