"""Agreements whose economic contribution is above the threshold need two approvals by
two different managers, neither of whom drafted, edited or submitted it; the first is
recorded and the agreement waits for the second. The workflow table says so in data."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from agreements import approvals, services
from agreements.models import (
    Agreement,
    AgreementContributor,
    AgreementEvent,
    ApprovalDecision,
    Status,
)
from agreements.workflow import TRANSITIONS, available_transitions
from tests.agreements.test_conflict_of_interest import approve
from tests.conftest import log_in
from tests.factories import AgreementFactory, UserFactory


def large(author, amount="600000.00", **extra):
    return AgreementFactory(
        pending=True, created_by=author, economic_amount=Decimal(amount), **extra
    )


@pytest.mark.parametrize(
    "amount,currency,needed",
    [
        ("500000.00", "SEK", 1),  # at the threshold: one
        ("500000.01", "SEK", 2),
        ("0", "EUR", 1),
        ("1000", "EUR", 2),  # no EUR threshold set: cannot be compared, two
    ],
)
def test_the_threshold_decides_how_many_approvals(db, staff, amount, currency, needed):
    agreement = large(staff, amount, currency=currency)
    assert approvals.approvals_needed(agreement) == needed
    assert TRANSITIONS["approve"].takers_needed(agreement) == needed


def test_the_thresholds_are_settings(db, staff, settings):
    settings.TWO_APPROVALS_ABOVE = 100_000
    settings.TWO_APPROVALS_ABOVE_OTHER_CURRENCIES = {"EUR": 10_000}
    assert approvals.approvals_needed(large(staff, "150000")) == 2
    assert approvals.approvals_needed(large(staff, "9000", currency="EUR")) == 1
    assert approvals.approvals_needed(large(staff, "10001", currency="EUR")) == 2


def test_the_first_approval_is_recorded_and_the_second_approves(db, staff, manager):
    agreement = large(staff)
    second = UserFactory(manager=True)
    after_first = approve(agreement, manager)
    assert after_first.status == Status.PENDING
    assert not AgreementEvent.objects.filter(agreement=agreement, to_status="approved").exists()
    first = ApprovalDecision.objects.get()
    assert (first.manager, first.approval_number, first.approvals_needed) == (manager, 1, 2)

    # The first approver is done; the agreement now waits for another manager only.
    assert [t.action for t in available_transitions(manager, after_first)] == ["return"]
    with pytest.raises(PermissionDenied, match="needs a second approval, by another manager"):
        approve(after_first, manager)
    assert not Agreement.objects.awaiting_approval_by(manager).exists()
    assert list(Agreement.objects.awaiting_approval_by(second)) == [agreement]

    approved = approve(after_first, second)
    assert approved.status == Status.APPROVED and approved.approved_by == second
    assert list(
        ApprovalDecision.objects.order_by("approval_number").values_list(
            "manager", "approval_number"
        )
    ) == [(manager.pk, 1), (second.pk, 2)]
    assert set(
        AgreementContributor.objects.filter(agreement=agreement, approved=True).values_list(
            "user", flat=True
        )
    ) == {manager.pk, second.pk}
    assert AgreementEvent.objects.filter(agreement=agreement, to_status="approved").count() == 1


def test_neither_approver_may_have_shaped_it(db, staff, manager):
    submitter = UserFactory(manager=True)
    agreement = large(staff, submitted_by=submitter)
    with pytest.raises(PermissionDenied, match="You submitted this agreement"):
        approve(agreement, submitter)
    with pytest.raises(PermissionDenied, match="You drafted this agreement"):
        approve(large(manager), manager)


def test_a_first_approval_does_not_count_after_a_return(db, staff, manager):
    agreement = large(staff)
    second = UserFactory(manager=True)
    approve(agreement, manager)
    returned = services.agreement_transition(
        agreement=agreement, action="return", user=second, comment="Sänk beloppet."
    )
    resubmitted = services.agreement_transition(agreement=returned, action="submit", user=staff)
    assert approvals.approvals_so_far(resubmitted) == 0
    # The first manager may approve the new version again; it is approval 1 of 2 anew.
    assert approve(resubmitted, manager).status == Status.PENDING
    assert approve(resubmitted, second).status == Status.APPROVED


def test_the_database_refuses_two_first_approvals(db, staff, manager):
    agreement = large(staff)
    approve(agreement, manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalDecision.objects.create(
            agreement=agreement,
            manager=UserFactory(manager=True),
            submitted_at=agreement.submitted_at,
            outcome="approved",
            approval_number=1,
            approvals_needed=2,
        )


def test_the_pages_say_how_many_approvals_are_needed_and_given(client, staff, manager):
    agreement = large(staff)
    log_in(client, manager)
    url = reverse("agreements:agreement_action", args=[agreement.pk, "approve"])
    assert "Approvals so far: 0 of 2" in client.get(url).content.decode()
    response = client.post(url, {"conflict": "none"}, follow=True)
    html = response.content.decode()
    assert "another manager must approve it too" in html
    assert "1 of 2 given" in html
    log_in(client, UserFactory(manager=True))
    response = client.post(url, {"conflict": "none"}, follow=True)
    assert f"{agreement.reference} is approved." in response.content.decode()


def _race(agreement, managers):
    barrier = threading.Barrier(len(managers))
    outcomes = []

    def take(manager):
        stale = Agreement.objects.get(pk=agreement.pk)
        barrier.wait()
        try:
            result = approve(stale, manager)
            outcomes.append(result.status)
        except services.TransitionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(m,)) for m in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_managers_approving_a_large_agreement_at_once_approve_it_together():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database; SQLite serialises writers")
    agreement = large(UserFactory(staff=True))
    managers = [UserFactory(manager=True) for _ in range(2)]
    # One is the first approval (still pending), the other the second (approved).
    assert _race(agreement, managers) == ["approved", "pending"]
    agreement.refresh_from_db()
    assert agreement.status == Status.APPROVED
    assert sorted(
        ApprovalDecision.objects.filter(agreement=agreement).values_list(
            "approval_number", flat=True
        )
    ) == [1, 2]
    assert AgreementEvent.objects.filter(agreement=agreement, to_status="approved").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_three_managers_at_once_give_two_approvals_and_one_is_told():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database; SQLite serialises writers")
    agreement = large(UserFactory(staff=True))
    managers = [UserFactory(manager=True) for _ in range(3)]
    assert _race(agreement, managers) == ["approved", "conflict", "pending"]
    assert ApprovalDecision.objects.filter(agreement=agreement).count() == 2
    assert AgreementEvent.objects.filter(agreement=agreement, to_status="approved").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_managers_at_once_on_a_one_approval_agreement_approve_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database; SQLite serialises writers")
    agreement = large(UserFactory(staff=True), amount="1000")
    managers = [UserFactory(manager=True) for _ in range(2)]
    assert _race(agreement, managers) == ["approved", "conflict"]
    assert ApprovalDecision.objects.filter(agreement=agreement).count() == 1


def test_an_amendment_raising_the_contribution_above_the_threshold_needs_two(db, staff, manager):
    """The same rule for an amendment, on the contribution it proposes, through the one
    workflow: the first approval is recorded, the terms change only at the second."""
    import datetime

    from django.utils import timezone

    from agreements.models import AmendmentStatus
    from tests.agreements.amending import save
    from tests.agreements.test_services import NO_INTEREST

    agreement = AgreementFactory(approved=True, created_by=staff, economic_amount=Decimal("400000"))
    amendment = save(
        agreement,
        staff,
        types=["economic_contribution"],
        economic_amount="700000",
        effective_date=(timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        reason="Utökat uppdrag.",
    )
    services.amendment_transition(amendment=amendment, action="submit", user=staff)
    assert approvals.approvals_needed(amendment) == 2
    first = services.amendment_transition(
        amendment=amendment, action="approve", user=manager, statement=NO_INTEREST
    )
    assert first.status == AmendmentStatus.PENDING
    agreement.refresh_from_db()
    assert agreement.terms.economic_amount == Decimal("400000.00")
    with pytest.raises(PermissionDenied):
        services.amendment_transition(
            amendment=first, action="approve", user=manager, statement=NO_INTEREST
        )
    second = services.amendment_transition(
        amendment=first, action="approve", user=UserFactory(manager=True), statement=NO_INTEREST
    )
    assert second.status == AmendmentStatus.APPROVED
    agreement.refresh_from_db()
    assert agreement.terms.economic_amount == Decimal("700000.00")
    assert [d.approval_number for d in amendment.approval_decisions.all()] == [1, 2]
