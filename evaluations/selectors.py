"""Queries over evaluations used in more than one place, and the evaluation rules as
filters over a queryset of agreements (the agreements app knows nothing of evaluations).

Each takes `today`: the rule is the period's, in evaluations.models.EvaluationPeriodQuerySet
(awaiting_evaluation, overdue, due_within); these only reach it from an agreement.
"""

import datetime

from django.db import models
from django.db.models import Case, Exists, OuterRef, Prefetch, Subquery, Value, When

from agreements.models import Agreement
from evaluations.models import Evaluation, EvaluationPeriod, GoalResult
from evaluations.periods import overdue_cutoff


def _periods_of_outer_agreement():
    return EvaluationPeriod.objects.filter(agreement=OuterRef("pk"))


def with_evaluation_status(agreements, today: datetime.date):
    """Annotates `next_evaluation_due` and `evaluation_overdue` in the same query.

    The next due date is the end of the earliest started period without a completed
    evaluation; it is overdue when that day plus the grace period has passed. Upcoming
    agreements have nothing due.
    """
    next_due = (
        _periods_of_outer_agreement()
        .awaiting_evaluation(today)
        .order_by("end_date")
        .values("end_date")[:1]
    )
    return agreements.annotate(next_evaluation_due=Subquery(next_due)).annotate(
        evaluation_overdue=Case(
            When(next_evaluation_due__lt=overdue_cutoff(today), then=Value(True)),
            default=Value(False),
            output_field=models.BooleanField(),
        )
    )


def agreements_evaluation_overdue(agreements, today: datetime.date):
    """Agreements with at least one evaluation overdue: a semi-join, so counting is cheap."""
    return agreements.filter(Exists(_periods_of_outer_agreement().overdue(today)))


def agreements_awaiting_evaluation(agreements, today: datetime.date):
    """Agreements with a started evaluation period not yet evaluated."""
    return agreements.filter(Exists(_periods_of_outer_agreement().awaiting_evaluation(today)))


def agreements_evaluation_due_within(agreements, days: int, today: datetime.date):
    """Agreements whose next evaluation falls due within `days` days (or is late)."""
    return agreements.filter(Exists(_periods_of_outer_agreement().due_within(days, today)))


def evaluations_due_queryset(today: datetime.date):
    return (
        with_evaluation_status(Agreement.objects.all(), today)
        .select_related("partner", "responsible")
        .order_by("next_evaluation_due", "reference")
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
