"""The workflow service: every legal and illegal transition, permissions, four-eyes,
completeness, termination, renewal and the concurrent approval."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from agreements import services
from agreements.approvals import ApprovalStatement
from agreements.models import Agreement, AgreementEvent, Side, Status
from agreements.workflow import AGREEMENT, TRANSITIONS, available_transitions, transitions_for
from tests.factories import AgreementFactory, GoalFactory, ObligationFactory, UserFactory

TODAY = timezone.localdate
# The declaration every approval makes on the approval page.
NO_INTEREST = ApprovalStatement(no_conflict_of_interest=True)


def transition(agreement, action, user, **kwargs):
    if action == "approve":
        kwargs.setdefault("statement", NO_INTEREST)
    return services.agreement_transition(agreement=agreement, action=action, user=user, **kwargs)


def terminate_kwargs(**overrides):
    data = {
        "comment": "Uppförandekoden bröts.",
        "terminated_on": TODAY(),
        "termination_cause": "code_of_conduct",
    }
    data.update(overrides)
    return data


def make(status, author):
    traits = {
        Status.DRAFT: {"complete": True},
        Status.RETURNED: {"complete": True, "status": Status.RETURNED},
        Status.PENDING: {"pending": True},
        Status.APPROVED: {"approved": True},
        Status.TERMINATED: {"terminated": True},
    }[status]
    return AgreementFactory(created_by=author, **traits)


LEGAL = {
    ("submit", Status.DRAFT),
    ("submit", Status.RETURNED),
    ("approve", Status.PENDING),
    ("return", Status.PENDING),
    ("terminate", Status.APPROVED),
}


@pytest.mark.parametrize("action", list(transitions_for(AGREEMENT)))
@pytest.mark.parametrize("status", list(Status))
def test_every_transition_is_legal_only_from_its_source_statuses(
    db, action, status, staff, manager
):
    agreement = make(status, author=staff)
    actor = staff if action == "submit" else manager
    kwargs = terminate_kwargs() if action == "terminate" else {"comment": "Ändra målen."}
    if (action, status) in LEGAL:
        result = transition(agreement, action, actor, **kwargs)
        assert result.status == TRANSITIONS[action].target
        event = AgreementEvent.objects.filter(agreement=agreement).latest("id")
        assert (event.from_status, event.to_status, event.actor) == (status, result.status, actor)
    else:
        with pytest.raises(services.TransitionRefused, match="not possible now"):
            transition(agreement, action, actor, **kwargs)
        agreement.refresh_from_db()
        assert agreement.status == status


def test_staff_member_submits_a_complete_draft(db, staff):
    agreement = make(Status.DRAFT, author=staff)
    result = transition(agreement, "submit", staff)
    assert result.status == Status.PENDING
    assert result.submitted_by == staff


def test_the_responsible_person_may_submit_but_other_staff_may_not(db, staff, other_staff):
    agreement = AgreementFactory(complete=True, responsible=other_staff)
    third = UserFactory(staff=True)
    with pytest.raises(PermissionDenied, match="author or the responsible"):
        transition(agreement, "submit", third)
    assert transition(agreement, "submit", other_staff).status == Status.PENDING


def test_staff_cannot_approve_return_or_terminate(db, staff, other_staff):
    pending = make(Status.PENDING, author=staff)
    with pytest.raises(PermissionDenied, match="Only managers can approve"):
        transition(pending, "approve", other_staff)
    with pytest.raises(PermissionDenied, match="Only managers can return"):
        transition(pending, "return", other_staff, comment="x")
    approved = make(Status.APPROVED, author=staff)
    with pytest.raises(PermissionDenied, match="Only managers can terminate"):
        transition(approved, "terminate", other_staff, **terminate_kwargs())


def test_author_cannot_approve_own_agreement_even_as_manager(db, manager):
    agreement = make(Status.PENDING, author=manager)
    with pytest.raises(PermissionDenied, match="four-eyes"):
        transition(agreement, "approve", manager)
    agreement.refresh_from_db()
    assert agreement.status == Status.PENDING


def test_the_manager_who_submitted_cannot_approve(db, staff, manager):
    agreement = AgreementFactory(complete=True, created_by=staff, responsible=manager)
    transition(agreement, "submit", manager)
    with pytest.raises(PermissionDenied, match="You submitted this agreement"):
        transition(agreement, "approve", manager)


def test_another_manager_approves_and_the_approval_is_recorded(db, staff, manager):
    agreement = make(Status.PENDING, author=staff)
    result = transition(agreement, "approve", manager)
    assert result.approved_by == manager
    assert result.approved_at is not None


def test_returning_requires_a_comment_and_the_author_can_edit_again(db, staff, manager):
    agreement = make(Status.PENDING, author=staff)
    with pytest.raises(services.TransitionRefused, match="Write a comment"):
        transition(agreement, "return", manager, comment="  ")
    result = transition(agreement, "return", manager, comment="Målen behöver en enhet.")
    assert result.status == Status.RETURNED and result.is_editable
    assert result.events.latest("id").comment == "Målen behöver en enhet."


def test_submission_lists_every_missing_piece(db, staff):
    agreement = AgreementFactory(
        created_by=staff, payment_terms="", marketing_contributions="", conduct="", exchange=""
    )
    with pytest.raises(services.TransitionRefused) as refused:
        transition(agreement, "submit", staff)
    assert refused.value.problems == [
        "Add at least one measurable goal.",
        "Add at least one obligation of our organisation.",
        "Add at least one obligation of the partner.",
        "Describe the economic contribution: the payment terms (write “none” if no money is paid).",
        "Describe the marketing contributions.",
        "Describe the conduct: how each side behaves and appears.",
        "Describe the exchange: what each side gets.",
    ]
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT


def test_submission_needs_obligations_of_both_sides(db, staff):
    agreement = AgreementFactory(created_by=staff)
    GoalFactory(agreement=agreement)
    ObligationFactory(agreement=agreement, side=Side.PARTNER)
    with pytest.raises(services.TransitionRefused) as refused:
        transition(agreement, "submit", staff)
    assert refused.value.problems == ["Add at least one obligation of our organisation."]


def test_submission_refuses_an_end_date_in_the_past(db, staff):
    agreement = AgreementFactory(
        complete=True,
        created_by=staff,
        start_date=TODAY() - datetime.timedelta(days=400),
        end_date=TODAY() - datetime.timedelta(days=1),
    )
    with pytest.raises(services.TransitionRefused) as refused:
        transition(agreement, "submit", staff)
    assert refused.value.problems == ["The end date has passed. Choose an end date in the future."]


def test_stale_second_approval_gets_a_clear_message_and_writes_nothing(db, staff, manager):
    agreement = make(Status.PENDING, author=staff)
    other_manager = UserFactory(manager=True)
    first_view = Agreement.objects.get(pk=agreement.pk)
    second_view = Agreement.objects.get(pk=agreement.pk)
    transition(first_view, "approve", manager)
    with pytest.raises(services.TransitionConflict, match="Someone else changed this agreement"):
        transition(second_view, "approve", other_manager)
    agreement.refresh_from_db()
    assert agreement.approved_by == manager
    assert (
        AgreementEvent.objects.filter(agreement=agreement, to_status=Status.APPROVED).count() == 1
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_managers_approving_at_the_same_moment_produce_one_approval():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database; SQLite serialises writers")
    author = UserFactory(staff=True)
    agreement = make(Status.PENDING, author=author)
    managers = [UserFactory(manager=True) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(manager):
        stale = Agreement.objects.get(pk=agreement.pk)
        barrier.wait()
        try:
            transition(stale, "approve", manager)
            outcomes.append("approved")
        except services.TransitionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(m,)) for m in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "conflict"]
    assert (
        AgreementEvent.objects.filter(agreement=agreement, to_status=Status.APPROVED).count() == 1
    )


def test_termination_takes_effect_now_with_reason_and_cause(db, staff, manager):
    agreement = make(Status.APPROVED, author=staff)
    result = transition(agreement, "terminate", manager, **terminate_kwargs())
    assert result.status == Status.TERMINATED
    assert result.terminated_on == TODAY()
    assert result.terminated_by == manager
    assert result.termination_cause == "code_of_conduct"
    assert not Agreement.objects.active().filter(pk=agreement.pk).exists()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"terminated_on": TODAY() + datetime.timedelta(days=1)}, "cannot be in the future"),
        ({"comment": ""}, "Write a comment"),
        ({"termination_cause": ""}, "Choose the cause"),
        ({"terminated_on": None}, "Give the date"),
        (
            {"terminated_on": TODAY() - datetime.timedelta(days=3650)},
            "before the agreement started",
        ),
    ],
)
def test_termination_refuses_bad_input(db, staff, manager, overrides, message):
    agreement = make(Status.APPROVED, author=staff)
    with pytest.raises(services.TransitionRefused, match=message):
        transition(agreement, "terminate", manager, **terminate_kwargs(**overrides))
    agreement.refresh_from_db()
    assert agreement.status == Status.APPROVED


def test_an_expired_agreement_cannot_be_terminated(db, staff, manager):
    agreement = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=TODAY() - datetime.timedelta(days=800),
        end_date=TODAY() - datetime.timedelta(days=10),
    )
    with pytest.raises(services.TransitionRefused, match="already expired"):
        transition(agreement, "terminate", manager, **terminate_kwargs())


def test_renewal_creates_a_linked_draft_and_leaves_the_old_one_alone(db, staff, other_staff):
    old = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    old_updated = Agreement.objects.get(pk=old.pk).updated_at
    renewal = services.agreement_renew(agreement=old, user=other_staff)
    assert renewal.status == Status.DRAFT
    assert renewal.follows == old
    assert renewal.partner == old.partner
    assert renewal.created_by == other_staff
    assert renewal.start_date == datetime.date(2028, 1, 1)
    assert renewal.end_date == datetime.date(2029, 12, 31)
    assert renewal.reference != old.reference
    assert renewal.goals.count() == old.goals.count() == 1
    assert set(renewal.obligations.values_list("side", flat=True)) == {"ours", "partner"}
    assert not renewal.obligations.filter(due_date__isnull=False).exists()
    old.refresh_from_db()
    assert old.status == Status.APPROVED and old.updated_at == old_updated
    assert "Renewal of" in renewal.events.get().comment


def test_an_agreement_is_renewed_only_once(db, staff):
    old = make(Status.APPROVED, author=staff)
    first = services.agreement_renew(agreement=old, user=staff)
    with pytest.raises(services.TransitionRefused, match=f"{first.reference} already follows"):
        services.agreement_renew(agreement=old, user=staff)


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.PENDING, Status.RETURNED, Status.TERMINATED]
)
def test_only_approved_agreements_can_be_renewed(db, staff, status):
    agreement = make(status, author=staff)
    with pytest.raises(PermissionDenied, match="Only approved agreements"):
        services.agreement_renew(agreement=agreement, user=staff)


def test_buttons_offered_match_the_rules(db, staff, other_staff, manager):
    pending = make(Status.PENDING, author=staff)
    assert [t.action for t in available_transitions(manager, pending)] == ["approve", "return"]
    assert available_transitions(other_staff, pending) == []
    own = make(Status.PENDING, author=manager)
    assert [t.action for t in available_transitions(manager, own)] == ["return"]
