"""Every change to evaluation periods and evaluations goes through these functions."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from core.history import record_history
from core.permissions import require
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


@transaction.atomic
def evaluation_save_draft(*, form, results_form, user, attachment=None) -> Evaluation:
    """Save a draft evaluation with its goal results (and an attachment, if given)."""
    evaluation = form.save(commit=False)
    if evaluation.pk is None:
        require(permissions.can_evaluate_period(user, evaluation.period))
    else:
        current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        require(permissions.can_edit_evaluation(user, current))
    evaluation.full_clean()
    evaluation.save()
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
                status=EvaluationStatus.COMPLETED, completed_at=timezone.now(), completed_by=user
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
    return evaluation


@transaction.atomic
def evaluation_reopen(*, evaluation, user, reason: str) -> Evaluation:
    """A manager reopens a completed evaluation; the reason is recorded."""
    require(permissions.can_reopen_evaluation(user, evaluation))
    if not reason.strip():
        raise EvaluationRefused(_("Give the reason for reopening."), field="reason")
    claimed = Evaluation.objects.filter(pk=evaluation.pk, status=EvaluationStatus.COMPLETED).update(
        status=EvaluationStatus.DRAFT, completed_at=None, completed_by=None
    )
    if claimed != 1:
        raise EvaluationRefused(_("Someone else reopened this evaluation a moment ago."))
    EvaluationEvent.objects.create(
        evaluation=evaluation, actor=user, action="reopened", comment=reason.strip()
    )
    evaluation.refresh_from_db()
    record_history(evaluation, user)
    return evaluation
