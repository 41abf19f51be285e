"""Queries over evaluations used in more than one place."""

from django.db.models import Prefetch

from agreements.models import Agreement
from evaluations.models import Evaluation, EvaluationPeriod, GoalResult


def evaluations_due_queryset():
    return (
        Agreement.objects.with_evaluation_status()
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
