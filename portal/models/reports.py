"""The partner's yearly report on an evaluation period: written as a draft, submitted
(locked for the partner), then accepted or sent back by staff; every submission is kept
as a version that can be read later."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import APPROVED_STATUSES, Goal, Obligation, ObligationCategory
from core.fields import SingleLineField
from core.money import format_money
from core.validators import DOCUMENT_EXTENSIONS, DocumentValidator
from evaluations.models import EvaluationPeriod

REPORT_ATTACHMENT_EXTENSIONS = (*DOCUMENT_EXTENSIONS, "png", "jpg", "jpeg")

# Agreements whose partner sees them and reports on their evaluation periods: approved
# ones, and terminated ones for the periods they ran.
REPORTING_AGREEMENT_STATUSES = APPROVED_STATUSES


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    SENT_BACK = "sent_back", _("Sent back for changes")
    ACCEPTED = "accepted", _("Accepted")


# The partner may change the report in these states; submitted and accepted are locked.
PARTNER_EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.SENT_BACK)
# A report in these states is "in": no reminder asks for it any more.
REPORT_IN_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class ReviewOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    SENT_BACK = "sent_back", _("Sent back")


def report_due_date(period: EvaluationPeriod) -> datetime.date:
    """The partner's report on a period is due on the period's last day, the day the
    agreement names as the evaluation's due date."""
    return period.end_date


def report_is_overdue(period, today: datetime.date) -> bool:
    """A report not in (see periods_awaiting_partner_report) is overdue from the day
    after its due date."""
    return report_due_date(period) < today


def periods_awaiting_partner_report(today: datetime.date):
    """Started periods of reporting agreements whose report is not in (none, a draft or
    sent back) and that staff have not evaluated without it."""
    report_in = PartnerReport.objects.filter(period=OuterRef("pk"), status__in=REPORT_IN_STATUSES)
    return (
        EvaluationPeriod.objects.not_evaluated()
        .filter(agreement__status__in=REPORTING_AGREEMENT_STATUSES, start_date__lte=today)
        .exclude(Exists(report_in))
    )


def contribution_lines(agreement) -> list[Obligation | None]:
    """The economic contributions a report accounts for, one line each: the agreement's
    economic obligations, or (when it names none) its economic contribution as a whole,
    shown as None."""
    obligations = [
        obligation
        for obligation in agreement.obligations.all()
        if obligation.category == ObligationCategory.ECONOMIC
    ]
    return obligations or [None]


class PartnerReportQuerySet(models.QuerySet):
    def awaiting_review(self):
        return self.filter(status=ReportStatus.SUBMITTED)


class PartnerReport(models.Model):
    """The working copy of a period's report; its submissions are PartnerReportVersions."""

    period = models.OneToOneField(
        EvaluationPeriod,
        # A termination dated back removes periods that had not started by then; their
        # reports go with them (the history tables keep them).
        on_delete=models.CASCADE,
        related_name="partner_report",
        verbose_name=_("evaluation period"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        editable=False,
    )
    target_group_involvement = models.TextField(
        _("how target groups and rights holders were involved"), blank=True
    )
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Raised by every save of the partner's form; see core.versioning.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PartnerReportQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period__end_date", "-id"]
        verbose_name = _("partner report")
        verbose_name_plural = _("partner reports")
        permissions = [("review_partnerreport", _("Can accept or send back partner reports"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="partner_report_status_valid"
            ),
        ]
        indexes = [
            # The "awaiting review" panel and list filter.
            models.Index(fields=["status", "updated_at"], name="partner_report_status_idx"),
        ]

    def __str__(self):
        return f"{self.period.agreement.reference} {_('year')} {self.period.number}"

    def get_absolute_url(self):
        return reverse("portal_staff:report_detail", args=[self.pk])

    @property
    def agreement(self):
        return self.period.agreement

    @property
    def is_editable_by_partner(self) -> bool:
        return self.status in PARTNER_EDITABLE_STATUSES

    def completeness_problems(self) -> list[str]:
        """What is missing before the report can be submitted, in plain words."""
        problems = []
        entries = {entry.goal_id: entry for entry in self.goal_entries.all()}
        for goal in self.period.agreement.goals.all():
            entry = entries.get(goal.pk)
            if entry is None or not entry.is_filled_in(goal):
                problems.append(
                    _("Report the result for the goal “%(goal)s”.")
                    % {"goal": goal.description[:60]}
                )
        for line in self.resource_lines.all():
            if line.amount_spent is None:
                problems.append(
                    _("Give the amount spent for “%(contribution)s”.")
                    % {"contribution": line.label()}
                )
        if not self.target_group_involvement.strip():
            problems.append(_("Describe how target groups and rights holders were involved."))
        if not self.lessons_learned.strip():
            problems.append(_("Write what you learned."))
        return [str(problem) for problem in problems]


class PartnerReportGoal(models.Model):
    """The partner's result for one goal: a value in the goal's unit, or a description."""

    report = models.ForeignKey(PartnerReport, on_delete=models.CASCADE, related_name="goal_entries")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    achieved_value = models.DecimalField(
        _("achieved value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("what was achieved"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal_id"]
        verbose_name = _("goal result in a partner report")
        verbose_name_plural = _("goal results in partner reports")
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="one_report_entry_per_goal"),
        ]

    def __str__(self):
        return str(self.goal)

    def is_filled_in(self, goal: Goal) -> bool:
        if goal.kind == "quantitative":
            return self.achieved_value is not None
        return bool(self.description.strip())


class PartnerReportResource(models.Model):
    """How one economic contribution was used: the amount spent and a comment."""

    report = models.ForeignKey(
        PartnerReport, on_delete=models.CASCADE, related_name="resource_lines"
    )
    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the agreement's economic contribution as a whole."),
    )
    amount_spent = models.DecimalField(
        _("amount spent"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("how it was used"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("resource use in a partner report")
        verbose_name_plural = _("resource use in partner reports")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "obligation"], name="one_resource_line_per_contribution"
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(obligation__isnull=True),
                name="one_whole_contribution_line_per_report",
            ),
            models.CheckConstraint(
                condition=Q(amount_spent__isnull=True) | Q(amount_spent__gte=0),
                name="report_amount_spent_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.label()

    def label(self) -> str:
        return contribution_label(self.obligation, self.report.period.agreement)


def contribution_label(obligation, agreement) -> str:
    if obligation is None:
        return str(
            _("The economic contribution (%(amount)s)")
            % {"amount": format_money(agreement.economic_amount, agreement.currency)}
        )
    return obligation.description[:120]


def _report_attachment_path(attachment, filename):
    return f"portal/reports/{uuid.uuid4().hex}/{filename}"


class PartnerReportAttachment(models.Model):
    """Evidence or survey results. Once part of a submitted version it stays."""

    report = models.ForeignKey(PartnerReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"),
        upload_to=_report_attachment_path,
        validators=[DocumentValidator(REPORT_ATTACHMENT_EXTENSIONS)],
    )
    description = SingleLineField(_("what the file is"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The version it was first submitted with; None while only in the draft.
    first_submitted_in = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("partner report attachment")
        verbose_name_plural = _("partner report attachments")

    def __str__(self):
        return self.description or self.filename

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class PartnerReportVersion(models.Model):
    """One submission as it was sent, and what staff decided on it."""

    report = models.ForeignKey(PartnerReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # The report's content at submission: goals (with their wording then), resource
    # lines, texts and attachment ids; see portal.services.reports.snapshot().
    content = models.JSONField(default=dict)
    outcome = models.CharField(
        _("decision"), max_length=10, choices=ReviewOutcome.choices, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("comments to the partner"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("partner report version")
        verbose_name_plural = _("partner report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_version_number"),
            models.CheckConstraint(
                condition=Q(outcome__in=["", *ReviewOutcome.values]),
                name="report_version_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=ReviewOutcome.SENT_BACK) | ~Q(review_comment=""),
                name="report_sent_back_with_comments",
                violation_error_message=_("Write what the partner should change."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="report_review_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"
