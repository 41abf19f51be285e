import datetime
import threading

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from agreements.models import Agreement, Phase, ReferenceCounter, Status
from tests.factories import AgreementFactory, GoalFactory, UserFactory

D = datetime.date


def test_end_date_must_be_after_start_date(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(start_date=D(2026, 5, 1), end_date=D(2026, 5, 1))


def test_economic_contribution_cannot_be_negative(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(economic_amount=-1)


def test_database_refuses_an_approval_by_the_author(db):
    author = UserFactory(manager=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(approved=True, created_by=author, approved_by=author)


def test_database_refuses_a_second_agreement_following_the_same_one(db):
    old = AgreementFactory(approved=True)
    AgreementFactory(follows=old, partner=old.partner)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(follows=old, partner=old.partner)
    AgreementFactory(
        terminated=True, follows=old, partner=old.partner
    )  # a terminated follower does not count
    assert Agreement.objects.filter(follows=old).count() == 2


def test_database_refuses_a_termination_without_a_reason(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(terminated=True, termination_reason="")


def test_quantitative_goal_needs_target_and_unit_in_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalFactory(target_value=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalFactory(kind="qualitative", expected_outcome="", assessment_method="")


PHASE_CASES = [
    # today, expected phase of an agreement running 2026-01-01 .. 2026-12-31
    (D(2025, 12, 31), Phase.UPCOMING),
    (D(2026, 1, 1), Phase.ACTIVE),
    (D(2026, 12, 31), Phase.ACTIVE),
    (D(2027, 1, 1), Phase.EXPIRED),
]


@pytest.mark.parametrize("today,expected", PHASE_CASES)
def test_phase_is_derived_from_the_date_and_query_and_method_agree(db, today, expected):
    agreement = AgreementFactory(approved=True, start_date=D(2026, 1, 1), end_date=D(2026, 12, 31))
    with time_machine.travel(
        datetime.datetime(today.year, today.month, today.day, 12, 0), tick=False
    ):
        assert agreement.phase() == expected
        for phase in Phase.values:
            in_phase = Agreement.objects.in_phase(phase).filter(pk=agreement.pk).exists()
            assert in_phase == (phase == expected)
        annotated = Agreement.objects.with_phase().get(pk=agreement.pk)
        assert annotated.current_phase == expected


def test_only_approved_agreements_have_a_phase(db):
    for status_trait in ({}, {"pending": True}, {"terminated": True}):
        agreement = AgreementFactory(**status_trait)
        assert agreement.phase() == ""
        assert not Agreement.objects.active().filter(pk=agreement.pk).exists()


def test_terminated_agreement_is_not_active_anywhere(db):
    agreement = AgreementFactory(terminated=True)
    assert agreement.state_label() == "Terminated"
    assert not Agreement.objects.active().exists()
    assert not Agreement.objects.ending_within(3650).exists()


def test_ending_within_counts_only_running_approved_agreements(db):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12), tick=False):
        soon = AgreementFactory(approved=True, start_date=D(2025, 1, 1), end_date=D(2026, 6, 30))
        AgreementFactory(approved=True, start_date=D(2025, 1, 1), end_date=D(2026, 12, 31))
        AgreementFactory(approved=True, start_date=D(2025, 1, 1), end_date=D(2026, 5, 31))
        AgreementFactory(pending=True, start_date=D(2025, 1, 1), end_date=D(2026, 6, 10))
        assert list(Agreement.objects.ending_within(30)) == [soon]


def test_references_count_per_year(db):
    assert ReferenceCounter.next_reference(2026) == "AGR-2026-0001"
    assert ReferenceCounter.next_reference(2026) == "AGR-2026-0002"
    assert ReferenceCounter.next_reference(2027) == "AGR-2027-0001"
    assert ReferenceCounter.next_reference(2026) == "AGR-2026-0003"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_references_are_unique_when_created_at_the_same_moment():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database; SQLite serialises writers")
    references = []
    errors = []

    def allocate():
        try:
            for _ in range(10):
                references.append(ReferenceCounter.next_reference(2031))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(references) == [f"AGR-2031-{n:04d}" for n in range(1, 41)]


def test_status_choices_cover_the_workflow():
    assert set(Status.values) == {"draft", "pending", "returned", "approved", "terminated"}
