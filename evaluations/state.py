"""The stored evaluation state, derived from the rules and kept right on every write.

Two things are stored because deriving them for every agreement on every list and on
the dashboard cost a subquery per agreement:

- EvaluationPeriod.evaluated: the period has a completed evaluation
  (models.completed_evaluation_exists(), the one definition);
- EvaluationSchedule: each agreement's first period not evaluated, its start and its
  due date (the periods follow one another, so the first not evaluated is also the
  one the next due date belongs to).

Neither depends on today: the selectors compare the stored dates with the day asked
about. refresh_evaluation_state() recomputes both for some agreements; the querysets
and models of evaluations call it after each write of a period or an evaluation
(approval, termination, completing, reopening, direct writes), so no service has to
remember it.
"""

from collections.abc import Iterable

from django.db import models, transaction

from agreements.models import Agreement
from core.batches import id_batches
from evaluations.models import EvaluationPeriod, EvaluationSchedule, completed_evaluation_exists


def refresh_evaluation_state(*, agreement_ids: Iterable[int]) -> None:
    """Recompute the stored state of these agreements' periods and schedules."""
    for batch in id_batches(agreement_ids):
        with transaction.atomic():
            _refresh_batch(batch)


def _refresh_batch(agreement_ids: list[int]) -> None:
    # One refresh of an agreement at a time: on PostgreSQL a second one waits here and
    # then reads what the first committed (two evaluations of one agreement completed
    # at the same moment would otherwise each store the other's period as open).
    list(
        Agreement.objects.select_for_update()
        .filter(pk__in=agreement_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    periods = EvaluationPeriod.objects.filter(agreement_id__in=agreement_ids)
    # The plain update: EvaluationPeriodQuerySet.update() would call back here.
    models.QuerySet.update(periods, evaluated=completed_evaluation_exists())
    first_open = {}
    for agreement_id, start, end in (
        periods.not_evaluated()
        .order_by("agreement_id", "-end_date")
        .values_list("agreement_id", "start_date", "end_date")
    ):
        first_open[agreement_id] = (start, end)  # the last one read ends first
    EvaluationSchedule.objects.filter(agreement_id__in=agreement_ids).delete()
    EvaluationSchedule.objects.bulk_create(
        EvaluationSchedule(agreement_id=agreement_id, open_from=start, due_on=end)
        for agreement_id, (start, end) in first_open.items()
    )
