"""Queries over evaluations used in more than one place, and the evaluation rules as
filters over a queryset of agreements (the agreements app knows nothing of evaluations).

Each takes `today`. The rule is the period's, in evaluations.models.EvaluationPeriodQuerySet
(awaiting_evaluation, overdue, due_within). An agreement has an evaluation awaiting,
overdue or due within some days exactly when its first period not yet evaluated does
(the periods follow one another: the first one not evaluated starts and ends before
every later one), and that period's dates are stored in EvaluationSchedule
(evaluations.state). So these compare two stored, indexed dates with today instead of
searching each agreement's periods.
"""

import datetime

from django.db import models
from django.db.models import Case, F, Prefetch, Q, Value, When

from agreements.models import Agreement
from evaluations.models import Evaluation, EvaluationPeriod, GoalResult
from evaluations.periods import overdue_cutoff

_OPEN_FROM = "evaluation_schedule__open_from"
_DUE_ON = "evaluation_schedule__due_on"


def _awaiting(today: datetime.date) -> Q:
    """The first period not evaluated has started (EvaluationPeriodQuerySet.awaiting_evaluation)."""
    return Q(**{f"{_OPEN_FROM}__lte": today})


def _overdue(today: datetime.date) -> Q:
    """... and ended before the grace period (EvaluationPeriodQuerySet.overdue)."""
    return _awaiting(today) & Q(**{f"{_DUE_ON}__lt": overdue_cutoff(today)})


def _due_within(days: int, today: datetime.date) -> Q:
    """... and is due within `days` days (EvaluationPeriodQuerySet.due_within)."""
    return _awaiting(today) & Q(**{f"{_DUE_ON}__lte": today + datetime.timedelta(days=days)})


def with_evaluation_status(agreements, today: datetime.date):
    """Annotates `next_evaluation_due` and `evaluation_overdue` in the same query.

    The next due date is the end of the earliest started period without a completed
    evaluation; it is overdue when that day plus the grace period has passed. Upcoming
    agreements have nothing due.
    """
    return agreements.annotate(
        next_evaluation_due=Case(When(_awaiting(today), then=F(_DUE_ON)), default=None),
        evaluation_overdue=Case(
            When(_overdue(today), then=Value(True)),
            default=Value(False),
            output_field=models.BooleanField(),
        ),
    )


def agreements_evaluation_overdue(agreements, today: datetime.date):
    """Agreements with at least one evaluation overdue."""
    return agreements.filter(_overdue(today))


def agreements_awaiting_evaluation(agreements, today: datetime.date):
    """Agreements with a started evaluation period not yet evaluated."""
    return agreements.filter(_awaiting(today))


def agreements_evaluation_due_within(agreements, days: int, today: datetime.date):
    """Agreements whose next evaluation falls due within `days` days (or is late)."""
    return agreements.filter(_due_within(days, today))


def evaluations_due_queryset(today: datetime.date):
    """Agreements with their evaluation status, the next due first. Filter it with one
    of the rules above (the lists do): then the order is the stored due date's index."""
    return (
        with_evaluation_status(Agreement.objects.all(), today)
        .select_related("partner", "responsible")
        .order_by(_DUE_ON, "reference")
    )


def evaluation_list_queryset():
    return Evaluation.objects.select_related(
        "period__agreement__partner", "period__agreement__responsible", "evaluator"
    )


def evaluation_detail(pk: int) -> Evaluation:
    return (
        Evaluation.objects.select_related("period__agreement__partner", "evaluator", "completed_by")
        .prefetch_related(
            Prefetch("results", queryset=GoalResult.objects.select_related("goal")),
            "attachments",
            "events__actor",
        )
        .get(pk=pk)
    )


def agreement_evaluation_overview(agreement):
    """Each period with its evaluations, and each goal's results across the periods.

    Three queries whatever the number of periods and goals.
    """
    periods = list(
        EvaluationPeriod.objects.filter(agreement=agreement)
        .select_related("agreement")
        .with_completion()
        .prefetch_related("evaluations")
        .order_by("number")
    )
    results = GoalResult.objects.filter(
        evaluation__period__agreement=agreement, evaluation__status="completed"
    ).select_related("evaluation__period", "goal")
    by_goal = {}
    for result in results:
        by_goal.setdefault(result.goal_id, {})[result.evaluation.period.number] = result
    return periods, by_goal
