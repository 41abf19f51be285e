"""Every change to evaluation periods and evaluations goes through these functions."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from core.history import record_history
from core.permissions import require
from core.versioning import EditConflict, EditRefused, next_version
from evaluations import permissions
from evaluations.models import (
    Evaluation,
    EvaluationAttachment,
    EvaluationEvent,
    EvaluationPeriod,
    EvaluationStatus,
    GoalResult,
)
from evaluations.periods import evaluation_periods
from webhooks.events import EventType, emit


class EvaluationRefused(Refused):
    """An evaluation cannot be saved, completed or reopened now."""


def schedule_evaluation_periods(*, agreement) -> list[EvaluationPeriod]:
    """Write the agreement's evaluation periods (called when it is approved)."""
    return EvaluationPeriod.objects.bulk_create(
        EvaluationPeriod(
            agreement=agreement, number=period.number, start_date=period.start, end_date=period.end
        )
        for period in evaluation_periods(agreement.start_date, agreement.end_date)
    )


def cut_evaluation_periods(*, agreement) -> None:
    """After a termination the last period ends on the termination date; later periods,
    never started, go. The shortened last period still needs its final evaluation."""
    last_day = agreement.terminated_on
    EvaluationPeriod.objects.filter(agreement=agreement, start_date__gt=last_day).delete()
    EvaluationPeriod.objects.filter(
        agreement=agreement, start_date__lte=last_day, end_date__gt=last_day
    ).update(end_date=last_day)


class EvaluationStarted(EditConflict):
    """Someone saved a first draft for the period after this form was opened (a second
    tab on "Evaluate year 1"): the form can go on as an edit of that draft."""

    def __init__(self, draft: Evaluation):
        self.draft = draft
        super().__init__(
            draft.version,
            _(
                "Someone started an evaluation of this period after you opened the form "
                "(%(evaluator)s's draft). Nothing was saved. Your input is kept below: check "
                "their draft in another tab, then save again to replace it with yours."
            )
            % {"evaluator": draft.evaluator},
        )


@transaction.atomic
def evaluation_save_draft(*, form, results_form, user, attachment=None) -> Evaluation:
    """Save a draft evaluation with its goal results (and an attachment, if given).

    A period has one evaluation: a first save when there is one already raises
    EvaluationStarted (a draft) or EditRefused (completed). Saving over changes made
    after the form was opened raises EditConflict; saving an evaluation completed
    since, EditRefused.
    """
    evaluation = form.save(commit=False)
    if evaluation.pk is None:
        require(permissions.can_evaluate_period(user, evaluation.period))
        # Two first saves at once queue on the period's row, so the second sees the
        # first one's draft (SQLite lets one writer in at a time anyway).
        EvaluationPeriod.objects.select_for_update().filter(pk=evaluation.period_id).first()
        _refuse_a_second_evaluation(evaluation.period)
    else:
        current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        require(permissions.can_edit_evaluations(user))
        decision = permissions.can_edit_evaluation(user, current)
        if not decision:
            raise EditRefused(decision.reason)  # completed since the form was opened
        evaluation.version = next_version(
            Evaluation, evaluation.pk, form.cleaned_data.get("edit_version")
        )
    evaluation.full_clean()
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        # The constraint one_open_evaluation_per_period caught a draft the lock did not
        # (one written without this service): the same answer as above.
        _refuse_a_second_evaluation(evaluation.period)
        raise
    for goal, values in results_form.results():
        GoalResult.objects.update_or_create(evaluation=evaluation, goal=goal, defaults=values)
    if attachment is not None:
        EvaluationAttachment.objects.create(
            evaluation=evaluation,
            file=attachment["file"],
            description=attachment["description"],
            uploaded_by=user,
        )
    return evaluation


def _refuse_a_second_evaluation(period) -> None:
    existing = period.evaluations.order_by("status", "pk").first()
    if existing is None:
        return
    if existing.is_completed:
        raise EditRefused(
            _(
                "This period was evaluated after you opened the form. Nothing was saved; "
                "your input is kept below. A manager can reopen the evaluation."
            )
        )
    raise EvaluationStarted(existing)


@transaction.atomic
def evaluation_complete(*, evaluation, user) -> Evaluation:
    """Complete and lock the evaluation, if every goal has a result and the summary
    fields are filled in; otherwise EvaluationRefused lists what is missing."""
    require(permissions.can_edit_evaluation(user, evaluation))
    problems = evaluation.completeness_problems()
    if problems:
        raise EvaluationRefused(
            _("The evaluation is saved as a draft but cannot be completed yet."), problems
        )
    try:
        with transaction.atomic():
            claimed = Evaluation.objects.filter(
                pk=evaluation.pk, status=EvaluationStatus.DRAFT
            ).update(
                status=EvaluationStatus.COMPLETED,
                completed_at=timezone.now(),
                completed_by=user,
                version=F("version") + 1,
            )
    except IntegrityError:
        raise EvaluationRefused(
            _("This period already has a completed evaluation. Reopen that one to change it.")
        ) from None
    if claimed != 1:
        raise EvaluationRefused(_("Someone else completed this evaluation a moment ago."))
    EvaluationEvent.objects.create(evaluation=evaluation, actor=user, action="completed")
    evaluation.refresh_from_db()
    record_history(evaluation, user)
    emit(EventType.EVALUATION_COMPLETED, evaluation)
    return evaluation


@transaction.atomic
def evaluation_reopen(*, evaluation, user, reason: str) -> Evaluation:
    """A manager reopens a completed evaluation; the reason is recorded."""
    require(permissions.can_reopen_evaluation(user, evaluation))
    if not reason.strip():
        raise EvaluationRefused(_("Give the reason for reopening."), field="reason")
    claimed = Evaluation.objects.filter(pk=evaluation.pk, status=EvaluationStatus.COMPLETED).update(
        status=EvaluationStatus.DRAFT,
        completed_at=None,
        completed_by=None,
        version=F("version") + 1,
    )
    if claimed != 1:
        raise EvaluationRefused(_("Someone else reopened this evaluation a moment ago."))
    EvaluationEvent.objects.create(
        evaluation=evaluation, actor=user, action="reopened", comment=reason.strip()
    )
    evaluation.refresh_from_db()
    record_history(evaluation, user)
    return evaluation


def prefill_text(value) -> str:
    """How a pre-filled value is remembered, to tell later whether it is still the one
    the partner gave (evaluations.forms marks such fields)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return str(value)


@transaction.atomic
def evaluation_prefill_from_partner(
    *, period, values: dict, goal_values: dict, user
) -> Evaluation | None:
    """Fill in the period's evaluation from the partner's accepted report.

    `values` holds Evaluation fields (amount_spent, resources_description,
    target_group_involvement, lessons_learned), `goal_values` a goal id -> GoalResult
    fields (measured_value or assessment). A draft is made if there is none (the
    agreement's responsible person as evaluator); only empty fields are filled, so
    nothing staff wrote is overwritten, and a completed evaluation is left alone. What
    was filled is remembered in `partner_report_values`.
    """
    require(permissions.can_evaluate_period(user, period))
    if period.evaluations.filter(status=EvaluationStatus.COMPLETED).exists():
        return None
    evaluation = (
        Evaluation.objects.select_for_update()
        .filter(period=period, status=EvaluationStatus.DRAFT)
        .order_by("pk")
        .first()
    ) or Evaluation(period=period, evaluator=period.agreement.responsible)
    filled = {}
    for field, value in values.items():
        if value in (None, "") or getattr(evaluation, field) not in (None, ""):
            continue
        setattr(evaluation, field, value)
        filled[field] = prefill_text(value)
    evaluation.partner_report_received = True
    evaluation.full_clean()
    evaluation._history_user = user
    evaluation.save()
    filled_results = {}
    for goal in period.agreement.goals.filter(pk__in=list(goal_values)):
        result = GoalResult.objects.filter(evaluation=evaluation, goal=goal).first() or GoalResult(
            evaluation=evaluation, goal=goal
        )
        marks = {}
        for field, value in goal_values[goal.pk].items():
            if value in (None, "") or getattr(result, field) not in (None, ""):
                continue
            setattr(result, field, value)
            marks[field] = prefill_text(value)
        if marks:
            result.full_clean()
            result._history_user = user
            result.save()
            filled_results[str(goal.pk)] = marks
    remembered = dict(evaluation.partner_report_values or {})
    remembered.update(filled)
    remembered["results"] = {**remembered.get("results", {}), **filled_results}
    Evaluation.objects.filter(pk=evaluation.pk).update(partner_report_values=remembered)
    evaluation.partner_report_values = remembered
    return evaluation
