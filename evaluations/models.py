"""Yearly evaluations of agreements against each of their goals."""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Agreement, Goal
from core.batches import id_batches
from core.fields import DayField, SingleLineField
from core.stored_state import RefreshesAgreementsQuerySet
from core.validators import DOCUMENT_EXTENSIONS, DocumentValidator
from evaluations.periods import overdue_after, overdue_cutoff


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")


class PeriodState(models.TextChoices):
    """Where a period's evaluation stands on a day; derived, never stored."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("Running")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
    DONE = "done", _("Done")


def completed_evaluation_exists() -> Exists:
    """The rule for "this period is evaluated": it has a completed evaluation. The
    stored EvaluationPeriod.evaluated is derived from this and nothing else."""
    return Exists(
        Evaluation.objects.filter(period=OuterRef("pk"), status=EvaluationStatus.COMPLETED)
    )


class EvaluationPeriodQuerySet(RefreshesAgreementsQuerySet):
    """The due and overdue rules over periods. They read the stored `evaluated` flag
    (kept right by evaluations.state on every write); with_completion() derives it
    afresh from the evaluations.

    Writes through this queryset keep the stored state of the agreements they touch
    right (evaluations.state.refresh_evaluation_state, through
    core.stored_state.RefreshesAgreementsQuerySet): bulk_create (approval), update and
    delete (termination cuts the periods)."""

    def with_completion(self):
        """Annotates `is_evaluated`: the period has a completed evaluation."""
        return self.annotate(is_evaluated=completed_evaluation_exists())

    def evaluated(self):
        """Periods with a completed evaluation."""
        return self.filter(evaluated=True)

    def not_evaluated(self):
        """Periods without a completed evaluation, started or not."""
        return self.filter(evaluated=False)

    def awaiting_evaluation(self, today: datetime.date):
        """Periods that have started and have no completed evaluation yet."""
        return self.not_evaluated().filter(start_date__lte=today)

    def overdue(self, today: datetime.date):
        """Started, not evaluated, and past the due date plus the grace period
        (evaluations.periods.overdue_cutoff; PeriodState.OVERDUE says the same per row)."""
        return self.awaiting_evaluation(today).filter(end_date__lt=overdue_cutoff(today))

    def due_within(self, days: int, today: datetime.date):
        """Started, not evaluated, and due within `days` days (or already late)."""
        return self.awaiting_evaluation(today).filter(
            end_date__lte=today + datetime.timedelta(days=days)
        )

    def refresh_agreements(self, agreement_ids) -> None:
        _refresh(agreement_ids)


def _refresh(agreement_ids) -> None:
    from evaluations.state import refresh_evaluation_state

    refresh_evaluation_state(agreement_ids=agreement_ids)


class EvaluationQuerySet(models.QuerySet):
    """Writes that bypass save() keep the periods' stored state right too."""

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _refresh_periods({evaluation.period_id for evaluation in created})
        return created

    def update(self, **kwargs):
        if "status" not in kwargs and "period" not in kwargs and "period_id" not in kwargs:
            return super().update(**kwargs)
        period_ids = set(self.values_list("period_id", flat=True))
        updated = super().update(**kwargs)
        _refresh_periods(period_ids | set(self.values_list("period_id", flat=True)))
        return updated

    def delete(self):
        period_ids = set(self.values_list("period_id", flat=True))
        deleted = super().delete()
        _refresh_periods(period_ids)
        return deleted


def _refresh_periods(period_ids) -> None:
    agreement_ids = set()
    for batch in id_batches(period_ids):
        agreement_ids.update(
            EvaluationPeriod.objects.filter(pk__in=batch).values_list("agreement_id", flat=True)
        )
    _refresh(agreement_ids)


class EvaluationPeriod(models.Model):
    """One twelve-month stretch of an approved agreement (evaluations.periods).

    Rows are written when an agreement is approved and cut when it is terminated, so
    every list can ask "what is due" with plain SQL instead of date arithmetic.
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="evaluation_periods"
    )
    number = models.PositiveSmallIntegerField(_("year"))
    start_date = DayField(_("period start"))
    end_date = DayField(_("period end (due date)"))
    # Stored, derived from completed_evaluation_exists() by evaluations.state on every
    # write of a period or an evaluation; tests/evaluations/test_stored_state.py checks it.
    evaluated = models.BooleanField(default=False, editable=False)

    objects = EvaluationPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_period_per_year"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="period_ends_after_start"
            ),
        ]
        indexes = [
            # The reminders and the "overdue" filter look for unevaluated periods by date.
            models.Index(fields=["end_date", "agreement"], name="period_due_idx"),
            # Not yet evaluated, by due date: the reminders, the calendar and the
            # stored schedule read the periods this way.
            models.Index(
                fields=["agreement", "end_date"],
                condition=Q(evaluated=False),
                name="period_open_idx",
            ),
        ]

    def __str__(self):
        return f"{self.agreement.reference} {self.start_date}–{self.end_date}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _refresh({self.agreement_id})

    def delete(self, *args, **kwargs):
        agreement_id = self.agreement_id
        deleted = super().delete(*args, **kwargs)
        _refresh({agreement_id})
        return deleted

    @property
    def due_date(self) -> datetime.date:
        return self.end_date

    @property
    def overdue_after(self) -> datetime.date:
        return overdue_after(self.end_date)

    def goals(self):
        """The goals an evaluation of the period evaluates: those in force on its last
        day, its due date (an amendment may have changed them during the term)."""
        return Goal.objects.filter(agreement_id=self.agreement_id).in_force_on(self.end_date)

    def state(self, today: datetime.date | None = None, *, evaluated: bool | None = None) -> str:
        """Done, not started, running, due (in its grace period) or overdue."""
        today = today or timezone.localdate()
        if evaluated is None:
            evaluated = getattr(self, "is_evaluated", self.evaluated)
        if evaluated:
            return PeriodState.DONE
        if self.start_date > today:
            return PeriodState.NOT_STARTED
        if self.end_date >= today:
            return PeriodState.IN_PROGRESS
        if today > self.overdue_after:
            return PeriodState.OVERDUE
        return PeriodState.DUE

    def label(self) -> str:
        return _("Year %(number)s (%(start)s – %(end)s)") % {
            "number": self.number,
            "start": date_format(self.start_date, "SHORT_DATE_FORMAT"),
            "end": date_format(self.end_date, "SHORT_DATE_FORMAT"),
        }


class EvaluationSchedule(models.Model):
    """Stored: an agreement's first evaluation period without a completed evaluation
    (the periods follow one another, so it is the one whose due date comes next).

    One row for each agreement with such a period, none for the others. Derived from
    the periods by evaluations.state.refresh_evaluation_state() on every write; the
    agreement-level rules of evaluations.selectors compare its two dates with today, so
    "awaiting", "overdue" and "next due date" are indexed look-ups instead of a
    subquery per agreement.
    """

    agreement = models.OneToOneField(
        Agreement,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="evaluation_schedule",
    )
    # The first unevaluated period's start and end (its due date).
    open_from = DayField()
    due_on = DayField()

    class Meta:
        indexes = [
            # One index for every rule and for the order of the lists (next due first):
            # with a second one on open_from, SQLite chose it for "awaiting" (nearly every
            # row) and sorted them all for the first page.
            models.Index(fields=["due_on", "open_from", "agreement"], name="schedule_due_idx"),
        ]

    def __str__(self):
        return f"{self.agreement_id}: {self.open_from}–{self.due_on}"


class Recommendation(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    ADJUST = "adjust", _("Adjust")
    DO_NOT_RENEW = "do_not_renew", _("Do not renew")
    TERMINATE_NOW = "terminate_now", _("Terminate now")


class ValuesUpheld(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


def _evaluation_document_path(attachment, filename):
    return f"evaluations/{uuid.uuid4().hex}/{filename}"


class Evaluation(models.Model):
    period = models.ForeignKey(
        EvaluationPeriod,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("period"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
        editable=False,
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluator"),
    )
    held_on = DayField(_("held on"), null=True, blank=True)
    participants = models.TextField(
        _("participants"), blank=True, help_text=_("Including the partner's representatives.")
    )
    amount_spent = models.DecimalField(
        _("amount spent"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Against the economic contribution of the agreement."),
    )
    resources_description = models.TextField(_("how resources were used"), blank=True)
    partner_report_received = models.BooleanField(_("partner's report received"), default=False)
    target_group_involvement = models.TextField(
        _("how target groups / rights holders were involved"), blank=True
    )
    values_upheld = models.CharField(
        _("partner upheld our values and code of conduct"),
        max_length=10,
        choices=ValuesUpheld.choices,
        blank=True,
    )
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    overall_rating = models.PositiveSmallIntegerField(
        _("overall rating (1–5)"), null=True, blank=True
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("completed by"),
    )
    # What an accepted partner report filled in (services.evaluation_prefill_from_partner):
    # field name -> the value as text, and "results" -> goal id -> field -> value. A form
    # field still holding that value is marked "from the partner's report".
    partner_report_values = models.JSONField(default=dict, blank=True, editable=False)

    # Raised by every save through the form, and by completing and reopening; see
    # core.versioning.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = EvaluationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period__end_date", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        permissions = [("reopen_evaluation", _("Can reopen a completed evaluation"))]
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(status=EvaluationStatus.COMPLETED),
                name="one_completed_evaluation_per_period",
                violation_error_message=_("This period already has a completed evaluation."),
            ),
            # Two first saves of "Evaluate year 1" at once must not make two drafts.
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(status=EvaluationStatus.DRAFT),
                name="one_open_evaluation_per_period",
                violation_error_message=_("This period already has a draft evaluation."),
            ),
            models.CheckConstraint(
                condition=Q(overall_rating__isnull=True)
                | Q(overall_rating__gte=1, overall_rating__lte=5),
                name="evaluation_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(amount_spent__isnull=True) | Q(amount_spent__gte=0),
                name="evaluation_amount_spent_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status=EvaluationStatus.COMPLETED)
                | (
                    Q(held_on__isnull=False, overall_rating__isnull=False)
                    & ~Q(recommendation="")
                    & Q(completed_at__isnull=False, completed_by__isnull=False)
                ),
                name="completed_evaluation_is_whole",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "status"], name="evaluation_period_status_idx"),
        ]

    def __str__(self):
        return f"{self.period} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A completed evaluation written directly (the admin, test factories) or one
        # that was completed: the period's stored state follows. Drafts change nothing.
        if EvaluationStatus.COMPLETED in (self.status, getattr(self, "_status_in_database", None)):
            _refresh_periods({self.period_id})
        self._status_in_database = self.status

    def get_absolute_url(self):
        return reverse("evaluations:evaluation_detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        evaluation = super().from_db(db, field_names, values)
        evaluation._status_in_database = evaluation.__dict__.get("status")
        return evaluation

    def delete(self, *args, **kwargs):
        period_id = self.period_id
        deleted = super().delete(*args, **kwargs)
        _refresh_periods({period_id})
        return deleted

    @property
    def agreement(self) -> Agreement:
        return self.period.agreement

    @property
    def is_completed(self) -> bool:
        return self.status == EvaluationStatus.COMPLETED

    def completeness_problems(self) -> list[str]:
        """What is missing before the evaluation can be completed, in plain words."""
        problems = []
        if self.held_on is None:
            problems.append(_("Give the date the evaluation was held."))
        if self.overall_rating is None:
            problems.append(_("Give an overall rating from 1 to 5."))
        if not self.recommendation:
            problems.append(_("Choose a recommendation."))
        if not self.resources_description.strip():
            problems.append(_("Describe how the resources were used."))
        results = {result.goal_id: result for result in self.results.all()}
        for goal in self.period.goals():
            result = results.get(goal.pk)
            if result is None or not result.is_filled_in(goal):
                problems.append(
                    _("Record the result for the goal “%(goal)s”.")
                    % {"goal": goal.description[:60]}
                )
        return [str(problem) for problem in problems]


class Achievement(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class GoalResult(models.Model):
    """The result for one goal in one evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="results")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="results")
    measured_value = models.DecimalField(
        _("measured value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    assessment = models.TextField(_("assessment"), blank=True)
    achievement = models.CharField(
        _("achievement"), max_length=15, choices=Achievement.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal_id"]
        verbose_name = _("goal result")
        verbose_name_plural = _("goal results")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "goal"], name="one_result_per_goal"),
        ]

    def __str__(self):
        return f"{self.goal}: {self.get_achievement_display()}"

    def is_filled_in(self, goal: Goal) -> bool:
        measured = (
            self.measured_value is not None
            if goal.kind == "quantitative"
            else bool(self.assessment.strip())
        )
        return measured and bool(self.achievement)

    def percent_of_target(self) -> Decimal | None:
        """The measured value as a share of the target, in percent."""
        target = self.goal.target_value
        if self.measured_value is None or not target:
            return None
        return (self.measured_value / target * 100).quantize(Decimal("1"))


class EvaluationAttachment(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"),
        upload_to=_evaluation_document_path,
        validators=[DocumentValidator((*DOCUMENT_EXTENSIONS, "png", "jpg", "jpeg"))],
    )
    description = SingleLineField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.description or self.file.name.rsplit("/", 1)[-1]

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class EvaluationEvent(models.Model):
    """Completing and reopening, with who, when and why."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.evaluation_id}: {self.action}"
