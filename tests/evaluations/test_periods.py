import datetime

import pytest
import time_machine

from agreements.models import Agreement
from evaluations.models import EvaluationPeriod, PeriodState
from evaluations.periods import evaluation_periods
from evaluations.selectors import agreements_evaluation_overdue, with_evaluation_status
from tests.agreements.test_services import NO_INTEREST
from tests.factories import AgreementFactory, EvaluationFactory

D = datetime.date


def spans(start, end):
    return [(p.number, p.start, p.end) for p in evaluation_periods(start, end)]


def test_a_two_year_agreement_has_two_twelve_month_periods():
    assert spans(D(2026, 3, 1), D(2028, 2, 29)) == [
        (1, D(2026, 3, 1), D(2027, 2, 28)),
        (2, D(2027, 3, 1), D(2028, 2, 29)),
    ]


def test_the_last_period_ends_on_the_end_date():
    assert spans(D(2026, 1, 15), D(2027, 6, 30)) == [
        (1, D(2026, 1, 15), D(2027, 1, 14)),
        (2, D(2027, 1, 15), D(2027, 6, 30)),
    ]


def test_a_short_agreement_has_one_period():
    assert spans(D(2026, 5, 1), D(2026, 8, 31)) == [(1, D(2026, 5, 1), D(2026, 8, 31))]


def test_a_leap_day_start_keeps_periods_contiguous_without_drift():
    periods = evaluation_periods(D(2028, 2, 29), D(2032, 2, 28))
    assert [(p.start, p.end) for p in periods] == [
        (D(2028, 2, 29), D(2029, 2, 27)),
        (D(2029, 2, 28), D(2030, 2, 27)),
        (D(2030, 2, 28), D(2031, 2, 27)),
        (D(2031, 2, 28), D(2032, 2, 28)),
    ]
    for earlier, later in zip(periods, periods[1:], strict=False):
        assert later.start == earlier.end + datetime.timedelta(days=1)


def test_approval_writes_the_periods_and_termination_cuts_them(db, staff, manager):
    from agreements import services

    agreement = AgreementFactory(
        pending=True,
        created_by=staff,
        start_date=D(2026, 1, 1),
        end_date=D(2028, 12, 31),
    )
    with time_machine.travel(datetime.datetime(2026, 8, 10, 12), tick=False):
        services.agreement_transition(
            agreement=agreement, action="approve", user=manager, statement=NO_INTEREST
        )
        assert [(p.number, p.end_date) for p in agreement.evaluation_periods.all()] == [
            (1, D(2026, 12, 31)),
            (2, D(2027, 12, 31)),
            (3, D(2028, 12, 31)),
        ]
    with time_machine.travel(datetime.datetime(2027, 3, 20, 12), tick=False):
        services.agreement_transition(
            agreement=agreement,
            action="terminate",
            user=manager,
            comment="Brott.",
            terminated_on=D(2027, 3, 20),
            termination_cause="code_of_conduct",
        )
    # A terminated agreement needs a final evaluation of its last, shortened period.
    assert [(p.number, p.start_date, p.end_date) for p in agreement.evaluation_periods.all()] == [
        (1, D(2026, 1, 1), D(2026, 12, 31)),
        (2, D(2027, 1, 1), D(2027, 3, 20)),
    ]


def test_terminating_before_the_start_leaves_nothing_to_evaluate(db, manager):
    from agreements import services

    with time_machine.travel(datetime.datetime(2026, 6, 1, 12), tick=False):
        agreement = AgreementFactory(
            approved=True, start_date=D(2026, 9, 1), end_date=D(2027, 8, 31)
        )
        services.agreement_transition(
            agreement=agreement,
            action="terminate",
            user=manager,
            comment="Partnern drog sig ur.",
            terminated_on=D(2026, 6, 1),
            termination_cause="partner_request",
        )
    assert not agreement.evaluation_periods.exists()


def status_on(agreement, day):
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12), tick=False):
        annotated = with_evaluation_status(Agreement.objects.all(), day).get(pk=agreement.pk)
        return annotated.next_evaluation_due, annotated.evaluation_overdue


def test_upcoming_agreements_have_nothing_due(db):
    agreement = AgreementFactory(approved=True, start_date=D(2027, 1, 1), end_date=D(2028, 12, 31))
    assert status_on(agreement, D(2026, 6, 1)) == (None, False)


@pytest.mark.parametrize(
    "today,expected",
    [
        (D(2026, 6, 1), (D(2026, 12, 31), False)),  # running: due at the period's end
        (D(2026, 12, 31), (D(2026, 12, 31), False)),  # due today
        (D(2027, 1, 30), (D(2026, 12, 31), False)),  # within the 30-day grace
        (D(2027, 1, 31), (D(2026, 12, 31), True)),  # grace passed: overdue
    ],
)
def test_due_and_overdue_with_grace(db, today, expected):
    agreement = AgreementFactory(approved=True, start_date=D(2026, 1, 1), end_date=D(2027, 12, 31))
    assert status_on(agreement, today) == expected


def test_without_grace_a_day_late_is_overdue(db, settings):
    settings.EVALUATION_GRACE_DAYS = 0
    agreement = AgreementFactory(approved=True, start_date=D(2026, 1, 1), end_date=D(2027, 12, 31))
    assert status_on(agreement, D(2026, 12, 31)) == (D(2026, 12, 31), False)
    assert status_on(agreement, D(2027, 1, 1)) == (D(2026, 12, 31), True)


def test_a_completed_evaluation_moves_the_due_date_to_the_next_period(db):
    agreement = AgreementFactory(approved=True, start_date=D(2026, 1, 1), end_date=D(2027, 12, 31))
    first = agreement.evaluation_periods.get(number=1)
    EvaluationFactory(period=first)  # a draft does not count
    assert status_on(agreement, D(2027, 2, 15)) == (D(2026, 12, 31), True)
    EvaluationFactory(period=first, completed=True)
    assert status_on(agreement, D(2027, 2, 15)) == (D(2027, 12, 31), False)


def test_an_expired_agreement_still_needs_its_last_evaluation(db):
    agreement = AgreementFactory(approved=True, start_date=D(2025, 1, 1), end_date=D(2025, 12, 31))
    assert status_on(agreement, D(2026, 6, 1)) == (D(2025, 12, 31), True)


def test_period_state_matches_the_annotation(db):
    agreement = AgreementFactory(approved=True, start_date=D(2026, 1, 1), end_date=D(2027, 12, 31))
    first, second = agreement.evaluation_periods.all()
    assert first.state(D(2026, 6, 1)) == PeriodState.IN_PROGRESS
    assert first.state(D(2027, 1, 10)) == PeriodState.DUE
    assert first.state(D(2027, 2, 1)) == PeriodState.OVERDUE
    assert second.state(D(2026, 6, 1)) == PeriodState.NOT_STARTED
    EvaluationFactory(period=first, completed=True)
    assert (
        EvaluationPeriod.objects.with_completion().get(pk=first.pk).state(D(2027, 2, 1))
        == PeriodState.DONE
    )


@pytest.mark.parametrize("count", [3, 40])
def test_the_evaluation_status_of_all_agreements_takes_one_query(
    db, django_assert_num_queries, count
):
    for number in range(count):
        AgreementFactory(
            approved=True,
            start_date=D(2024, 1, 1) + datetime.timedelta(days=number * 7),
            end_date=D(2027, 12, 31),
        )
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12), tick=False):
        with django_assert_num_queries(1):
            rows = list(with_evaluation_status(Agreement.objects.all(), D(2026, 6, 1)))
        overdue_ids = set(
            agreements_evaluation_overdue(Agreement.objects.all(), D(2026, 6, 1)).values_list(
                "pk", flat=True
            )
        )
    assert len(rows) == count
    assert {row.pk for row in rows if row.evaluation_overdue} == overdue_ids
    assert overdue_ids
