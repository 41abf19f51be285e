"""Conflicts of interest: before approving, the manager declares no personal or
financial interest in the partner, or declares one and stands aside (another manager
must approve). Declarations are kept, shown on the agreement and named in the PDF."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import reverse

from agreements import services
from agreements.approvals import ApprovalStatement
from agreements.models import Agreement, ApprovalDecision, Status
from agreements.workflow import available_transitions
from tests.agreements.test_pdf import contains, download, pdf_pages
from tests.conftest import log_in
from tests.factories import AgreementFactory, UserFactory

NO_INTEREST = ApprovalStatement(no_conflict_of_interest=True)


@pytest.fixture
def pending(db, staff):
    return AgreementFactory(pending=True, created_by=staff)


def approve(agreement, user, statement=NO_INTEREST):
    return services.agreement_transition(
        agreement=agreement, action="approve", user=user, statement=statement
    )


def test_an_approval_without_the_declaration_is_refused(pending, manager):
    for statement in (None, ApprovalStatement()):
        with pytest.raises(services.TransitionRefused, match="no personal or financial") as refused:
            approve(pending, manager, statement)
        assert refused.value.field == "conflict"
    pending.refresh_from_db()
    assert pending.status == Status.PENDING and not pending.approval_decisions.exists()


def test_the_approval_records_that_no_interest_was_declared(pending, manager):
    approve(pending, manager)
    decision = ApprovalDecision.objects.get()
    assert (decision.manager, decision.outcome, decision.interest) == (manager, "approved", "")
    assert decision.submitted_at == Agreement.objects.get(pk=pending.pk).submitted_at


def test_a_declared_interest_means_another_manager_must_approve(pending, manager):
    services.agreement_declare_interest(
        agreement=pending, user=manager, interest="Min syster sitter i partnerns styrelse."
    )
    decision = ApprovalDecision.objects.get()
    assert (decision.outcome, decision.interest) == (
        "stood_aside",
        "Min syster sitter i partnerns styrelse.",
    )
    assert [t.action for t in available_transitions(manager, pending)] == ["return"]
    with pytest.raises(PermissionDenied, match="You declared an interest in this partner"):
        approve(pending, manager)
    assert not Agreement.objects.awaiting_approval_by(manager).exists()
    other = UserFactory(manager=True)
    assert list(Agreement.objects.awaiting_approval_by(other)) == [pending]
    assert approve(pending, other).status == Status.APPROVED


def test_the_interest_stands_when_the_agreement_comes_back(pending, staff, manager):
    services.agreement_declare_interest(agreement=pending, user=manager, interest="Delägare.")
    other = UserFactory(manager=True)
    returned = services.agreement_transition(
        agreement=pending, action="return", user=other, comment="Lägg till ett mål."
    )
    resubmitted = services.agreement_transition(agreement=returned, action="submit", user=staff)
    with pytest.raises(PermissionDenied, match="declared an interest"):
        approve(resubmitted, manager)


def test_an_interest_must_be_described(pending, manager):
    with pytest.raises(services.TransitionRefused, match="Describe the interest"):
        services.agreement_declare_interest(agreement=pending, user=manager, interest="  ")
    assert not ApprovalDecision.objects.exists()


def test_only_someone_who_could_approve_declares(pending, staff, other_staff):
    with pytest.raises(PermissionDenied):
        services.agreement_declare_interest(agreement=pending, user=other_staff, interest="x")


def test_the_database_keeps_the_declaration_with_its_decision(pending, manager):
    with pytest.raises(IntegrityError):
        ApprovalDecision.objects.create(
            agreement=pending,
            manager=manager,
            submitted_at=pending.submitted_at,
            outcome="stood_aside",
            interest="",
        )


def test_the_page_asks_for_the_declaration(client, pending, manager):
    log_in(client, manager)
    url = reverse("agreements:agreement_action", args=[pending.pk, "approve"])
    response = client.post(url, {})
    assert response.context["form"].errors["conflict"] == [
        "Declare whether you have a personal or financial interest in this partner."
    ]
    response = client.post(url, {"conflict": "interest", "interest": ""})
    assert response.context["form"].errors["interest"] == ["Describe the interest you declare."]
    assert not ApprovalDecision.objects.exists()

    response = client.post(
        url, {"conflict": "interest", "interest": "Jag är medlem i föreningen."}, follow=True
    )
    html = response.content.decode()
    assert "You stand aside" in html
    assert "Declared an interest and stood aside" in html and "Jag är medlem i föreningen." in html
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert client.get(url).status_code == 403


def test_the_pdf_names_who_approved_and_that_no_interest_was_declared(client, pending, manager):
    approve(pending, manager)
    log_in(client, manager)
    text = " ".join(pdf_pages(download(client, pending)))
    assert contains(text, f"{manager}")
    assert contains(text, "no conflict of interest declared")
