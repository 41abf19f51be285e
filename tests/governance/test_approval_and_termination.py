"""What approvals and terminations record about incidents: a manager approving an
agreement with a partner that has a serious incident not closed acknowledges each one,
explicitly; a termination may cite the partner's incidents as its cause."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.approvals import ApprovalStatement
from agreements.models import Status
from governance import services as governance_services
from governance.models import IncidentAcknowledgement, TerminationCitation
from tests.conftest import log_in
from tests.factories import AgreementFactory, IncidentFactory


def approve(agreement, user, acknowledged=()):
    return services.agreement_transition(
        agreement=agreement,
        action="approve",
        user=user,
        statement=ApprovalStatement(
            no_conflict_of_interest=True, acknowledged_incidents=tuple(acknowledged)
        ),
    )


@pytest.fixture
def pending(db, staff):
    return AgreementFactory(pending=True, created_by=staff)


def test_approval_is_refused_until_each_serious_incident_is_acknowledged(pending, manager):
    first = IncidentFactory(partner=pending.partner, serious=True)
    second = IncidentFactory(partner=pending.partner, serious=True, restricted=True)
    IncidentFactory(partner=pending.partner)  # a concern: nothing to acknowledge
    with pytest.raises(services.TransitionRefused, match="serious incident") as refused:
        approve(pending, manager, acknowledged=[first.pk])
    assert refused.value.problems == [str(second)]
    assert refused.value.field == "acknowledged_incidents"
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert not pending.approval_decisions.exists()

    approved = approve(pending, manager, acknowledged=[first.pk, second.pk])
    assert approved.status == Status.APPROVED
    decision = approved.approval_decisions.get()
    assert decision.manager == manager
    assert set(decision.acknowledgements.values_list("incident_id", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_no_acknowledgement_is_asked_when_no_serious_incident_is_open(pending, manager):
    IncidentFactory(
        partner=pending.partner,
        serious=True,
        status="closed",
        outcome="resolved",
        closed_by=manager,
        closed_at=timezone.now(),
    )
    assert approve(pending, manager).status == Status.APPROVED
    assert not IncidentAcknowledgement.objects.exists()


def test_the_approval_page_lists_the_incidents_and_needs_each_ticked(client, pending, manager):
    incident = IncidentFactory(partner=pending.partner, serious=True)
    log_in(client, manager)
    url = reverse("agreements:agreement_action", args=[pending.pk, "approve"])
    page = client.get(url).content.decode()
    assert incident.get_absolute_url() in page and "is not closed" in page
    response = client.post(url, {"conflict": "none"})
    assert response.context["form"].errors["acknowledged_incidents"] == [
        "Tick each serious incident to acknowledge that you have read it."
    ]
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    response = client.post(
        url, {"conflict": "none", "acknowledged_incidents": [incident.pk]}, follow=True
    )
    assert "is approved" in response.content.decode()
    assert IncidentAcknowledgement.objects.get().incident == incident


def test_an_incident_recorded_while_the_page_was_open_must_be_acknowledged_too(pending, manager):
    seen = IncidentFactory(partner=pending.partner, serious=True)
    IncidentFactory(partner=pending.partner, serious=True)  # recorded a moment later
    with pytest.raises(services.TransitionRefused):
        approve(pending, manager, acknowledged=[seen.pk])


def terminate(agreement, user, cited):
    return services.agreement_transition(
        agreement=agreement,
        action="terminate",
        user=user,
        comment="Medel fördes över till ett privat konto.",
        terminated_on=timezone.localdate(),
        termination_cause="corruption",
        cited_incidents=cited,
    )


def test_a_termination_cites_incidents_and_then_they_can_close_as_led_to_termination(
    db, staff, manager
):
    agreement = AgreementFactory(approved=True, created_by=staff)
    incident = IncidentFactory(partner=agreement.partner, serious=True, restricted=True)
    terminate(agreement, manager, [incident.pk])
    citation = TerminationCitation.objects.get()
    assert (citation.agreement, citation.incident, citation.cited_by) == (
        agreement,
        incident,
        manager,
    )
    closed = governance_services.incident_transition(
        incident=incident,
        action="close",
        user=manager,
        outcome="led_to_termination",
        comment="Avtalet sades upp med omedelbar verkan.",
    )
    assert closed.outcome == "led_to_termination"


def test_a_termination_cannot_cite_another_partners_or_an_unfounded_incident(db, staff, manager):
    agreement = AgreementFactory(approved=True, created_by=staff)
    elsewhere = IncidentFactory()
    unfounded = IncidentFactory(partner=agreement.partner)
    governance_services.incident_transition(
        incident=unfounded, action="close", user=manager, outcome="unfounded", comment="Fel."
    )
    for incident in (elsewhere, unfounded):
        with pytest.raises(services.TransitionRefused, match="Only this partner's incidents"):
            terminate(agreement, manager, [incident.pk])
    agreement.refresh_from_db()
    assert agreement.status == Status.APPROVED
    assert not TerminationCitation.objects.exists()


def test_the_terminate_page_offers_the_partners_incidents(client, staff, manager):
    agreement = AgreementFactory(approved=True, created_by=staff)
    incident = IncidentFactory(partner=agreement.partner, serious=True)
    log_in(client, manager)
    url = reverse("agreements:agreement_action", args=[agreement.pk, "terminate"])
    assert "Incidents that are the cause" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "terminated_on": timezone.localdate().isoformat(),
            "termination_cause": "code_of_conduct",
            "comment": "Uppförandekoden bröts.",
            "cited_incidents": [incident.pk],
        },
        follow=True,
    )
    assert "is terminated" in response.content.decode()
    assert "Incidents cited" in response.content.decode()
    assert TerminationCitation.objects.get().incident == incident
