"""The stored evaluation state (evaluations.state) equals the rule, for every row, after
each kind of change: approval, evaluation (draft, complete), reopening, amendment,
termination, renewal, and direct writes of periods and evaluations.

The rule is derived here afresh from the evaluations themselves: a period is evaluated
when it has a completed evaluation, and its state on a day is EvaluationPeriod.state()
given that. The lists read the stored columns; they must give the same agreements and
the same next due date on every day around the periods' boundaries.
"""

import datetime

import pytest
import time_machine

from agreements import services
from agreements.models import Agreement
from evaluations import selectors
from evaluations import services as evaluation_services
from evaluations.models import (
    Evaluation,
    EvaluationPeriod,
    EvaluationSchedule,
    EvaluationStatus,
    PeriodState,
)
from evaluations.periods import grace_days
from tests.agreements.amending import save
from tests.agreements.test_services import NO_INTEREST
from tests.factories import AgreementFactory, EvaluationFactory, GoalFactory

D = datetime.date
DAY = datetime.timedelta(days=1)
AWAITING = {PeriodState.IN_PROGRESS, PeriodState.DUE, PeriodState.OVERDUE}


def _days_to_check() -> list[datetime.date]:
    """Each boundary of each period, a day either side, and the grace period's end."""
    days = set()
    for start, end in EvaluationPeriod.objects.values_list("start_date", "end_date"):
        for day in (start, end, end + grace_days() * DAY):
            days.update((day - DAY, day, day + DAY))
    return sorted(days)


def assert_stored_state_is_the_rule():
    periods = list(EvaluationPeriod.objects.with_completion())
    completed = set(
        Evaluation.objects.filter(status=EvaluationStatus.COMPLETED).values_list(
            "period_id", flat=True
        )
    )
    for period in periods:
        assert period.evaluated == (period.pk in completed) == period.is_evaluated, period
    agreements = Agreement.objects.all()
    for day in _days_to_check():
        awaiting, overdue, due_soon, next_due = set(), set(), set(), {}
        for period in periods:
            state = period.state(day, evaluated=period.pk in completed)
            if state in AWAITING:
                awaiting.add(period.agreement_id)
                earlier = next_due.get(period.agreement_id, period.end_date)
                next_due[period.agreement_id] = min(earlier, period.end_date)
                if period.end_date <= day + 30 * DAY:
                    due_soon.add(period.agreement_id)
            if state == PeriodState.OVERDUE:
                overdue.add(period.agreement_id)
        stored = selectors.with_evaluation_status(agreements, day)
        assert _ids(selectors.agreements_awaiting_evaluation(agreements, day)) == awaiting, day
        assert _ids(selectors.agreements_evaluation_overdue(agreements, day)) == overdue, day
        assert _ids(selectors.agreements_evaluation_due_within(agreements, 30, day)) == due_soon
        assert {a.pk: a.next_evaluation_due for a in stored if a.next_evaluation_due} == next_due, (
            day
        )
        assert {a.pk for a in stored if a.evaluation_overdue} == overdue, day
        # The period-level rules read the stored flag too.
        assert _agreement_ids(EvaluationPeriod.objects.overdue(day)) == overdue, day
        assert _agreement_ids(EvaluationPeriod.objects.awaiting_evaluation(day)) == awaiting


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def _agreement_ids(periods) -> set[int]:
    return set(periods.values_list("agreement_id", flat=True))


@pytest.fixture
def two_agreements(staff):
    """Three-year agreements started twenty months ago, awaiting approval."""
    start = datetime.date.today() - datetime.timedelta(days=610)
    return [
        AgreementFactory(
            pending=True, created_by=staff, start_date=start, end_date=start + 1094 * DAY
        )
        for _ in range(2)
    ]


def _complete(period, evaluator):
    draft = EvaluationFactory(period=period, evaluator=evaluator)
    assert_stored_state_is_the_rule()  # a draft changes nothing
    return evaluation_services.evaluation_complete(evaluation=draft, user=evaluator)


def test_the_stored_state_follows_every_kind_of_change(staff, manager, two_agreements):
    first, second = two_agreements
    GoalFactory(agreement=first)
    assert_stored_state_is_the_rule()
    assert not EvaluationSchedule.objects.exists()

    for agreement in two_agreements:
        services.agreement_transition(
            agreement=agreement, action="approve", user=manager, statement=NO_INTEREST
        )
        assert_stored_state_is_the_rule()
    assert EvaluationSchedule.objects.count() == 2

    year_one = first.evaluation_periods.get(number=1)
    evaluation = _complete(year_one, staff)
    assert_stored_state_is_the_rule()
    assert first.evaluation_schedule.due_on == first.evaluation_periods.get(number=2).end_date

    evaluation_services.evaluation_reopen(evaluation=evaluation, user=manager, reason="Fel.")
    assert_stored_state_is_the_rule()
    evaluation.refresh_from_db()
    evaluation_services.evaluation_complete(evaluation=evaluation, user=staff)
    assert_stored_state_is_the_rule()

    amendment = save(
        first,
        staff,
        effective_date=(datetime.date.today() + 10 * DAY).isoformat(),
        reason="Budgeten reviderades.",
        types=["economic_contribution"],
        economic_amount="60000",
    )
    services.amendment_transition(amendment=amendment, action="submit", user=staff)
    services.amendment_transition(
        amendment=amendment, action="approve", user=manager, statement=NO_INTEREST
    )
    assert_stored_state_is_the_rule()

    _complete(second.evaluation_periods.get(number=1), staff)
    services.agreement_transition(
        agreement=second,
        action="terminate",
        user=manager,
        comment="Brott.",
        terminated_on=datetime.date.today(),
        termination_cause="code_of_conduct",
    )
    assert_stored_state_is_the_rule()
    # The shortened last period still needs its evaluation.
    assert second.evaluation_schedule.due_on == datetime.date.today()

    renewal = services.agreement_renew(agreement=first, user=staff)
    services.agreement_transition(agreement=renewal, action="submit", user=staff)
    services.agreement_transition(
        agreement=renewal, action="approve", user=manager, statement=NO_INTEREST
    )
    assert_stored_state_is_the_rule()
    assert renewal.evaluation_schedule.open_from == renewal.start_date


def test_direct_writes_keep_it_right_too(staff, manager):
    """Factories, the admin and scripts write rows without the services."""
    agreement = AgreementFactory(approved=True, created_by=staff)
    assert_stored_state_is_the_rule()
    period = agreement.evaluation_periods.get(number=1)
    evaluation = EvaluationFactory(period=period, completed=True)
    assert_stored_state_is_the_rule()
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.DRAFT)
    assert_stored_state_is_the_rule()
    evaluation.refresh_from_db()
    evaluation.status = EvaluationStatus.COMPLETED
    evaluation.completed_by = evaluation.evaluator
    evaluation.completed_at = evaluation.created_at
    evaluation.save()
    assert_stored_state_is_the_rule()
    EvaluationPeriod.objects.filter(agreement=agreement, number__gt=1).delete()
    assert_stored_state_is_the_rule()
    EvaluationPeriod.objects.filter(pk=period.pk).update(end_date=period.end_date - DAY)
    assert_stored_state_is_the_rule()
    EvaluationPeriod.objects.create(
        agreement=agreement, number=2, start_date=period.end_date, end_date=agreement.end_date
    )
    assert_stored_state_is_the_rule()


def test_the_lists_read_the_stored_dates_on_the_day_asked_about(staff):
    """The stored state holds dates, not a state of today: tomorrow's lists are right
    without any write in between."""
    start = D(2026, 1, 1)
    agreement = AgreementFactory(
        approved=True, created_by=staff, start_date=start, end_date=D(2027, 12, 31)
    )
    overdue_from = D(2026, 12, 31) + (grace_days() + 1) * DAY
    agreements = Agreement.objects.all()
    for day, expected in ((overdue_from - DAY, set()), (overdue_from, {agreement.pk})):
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False):
            assert _ids(selectors.agreements_evaluation_overdue(agreements, day)) == expected
