"""An incident that leads to a termination, in a real Chromium against the live server:
staff record it, colleagues see only that a restricted incident is open, a manager
reviews it, terminates the agreement citing it, closes it, and finds it all in the
audit trail."""

import pytest
from playwright.sync_api import expect

from agreements.models import Status
from governance.models import Incident, TerminationCitation
from tests.factories import AgreementFactory, PartnerFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_incident_leads_to_a_termination(
    page, live_server, login, shoot, staff, other_staff, manager
):
    partner = PartnerFactory(name="Asociación Puente Andino")
    agreement = AgreementFactory(
        approved=True, partner=partner, created_by=other_staff, title="Radio comunitaria"
    )

    login(staff)
    page.goto(f"{live_server.url}/partners/{partner.pk}/")
    page.get_by_role("link", name="Record an incident").click()
    page.get_by_label("Category").select_option("corruption")
    page.get_by_label("Severity").select_option("serious")
    page.get_by_label("Agreement").select_option(str(agreement.pk))
    page.get_by_label("What happened").fill("Kvitton för radioutrustningen saknas.")
    page.get_by_label("Who reported it").fill("Partnerns revisor")
    shoot("record")
    page.get_by_role("button", name="Record the incident").click()
    expect(page.get_by_text("The incident is recorded.")).to_be_visible()
    incident = Incident.objects.get()

    # A colleague sees that a serious, restricted incident is open, not what it is.
    login(other_staff)
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    expect(
        page.get_by_text("A serious incident on Asociación Puente Andino is not closed.")
    ).to_be_visible()
    page.get_by_role("link", name=str(incident)).click()
    expect(page.get_by_text("Restricted", exact=True)).to_be_visible()
    expect(page.get_by_text("Kvitton för radioutrustningen saknas.")).to_have_count(0)
    shoot("restricted")

    login(manager)
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    expect(page.get_by_text("Kvitton för radioutrustningen saknas.")).to_be_visible()
    page.get_by_role("link", name="Take under review").click()
    page.get_by_role("button", name="Take under review").click()
    expect(page.get_by_text("The incident is under review.")).to_be_visible()

    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    page.get_by_role("link", name="Terminate").click()
    page.get_by_label("Cause", exact=True).select_option("corruption")
    page.get_by_label("Reason").fill("Medel användes för annat än avtalat.")
    page.get_by_label(f"{incident}: Suspected corruption or misuse of funds").check()
    shoot("terminate")
    page.get_by_role("button", name="Terminate").click()
    expect(page.get_by_text(f"{agreement.reference} is terminated.")).to_be_visible()
    expect(page.locator("dd", has_text=str(incident))).to_be_visible()

    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    page.get_by_role("link", name="Close with an outcome").click()
    page.get_by_label("Led to termination").check()
    page.get_by_label("What was found and done").fill("Avtalet sades upp med omedelbar verkan.")
    page.get_by_role("button", name="Close with an outcome").click()
    expect(page.get_by_text("The incident is closed.")).to_be_visible()
    expect(
        page.get_by_text(f"Cited as a cause of the termination of {agreement.reference}")
    ).to_be_visible()
    shoot("closed")

    page.goto(f"{live_server.url}/partners/{partner.pk}/")
    expect(page.get_by_text("is not closed")).to_have_count(0)

    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_text("Terminated", exact=True)).to_be_visible()
    expect(page.get_by_text("Incident closed: Led to termination")).to_be_visible()
    shoot("audit")

    agreement.refresh_from_db()
    incident.refresh_from_db()
    assert agreement.status == Status.TERMINATED and agreement.termination_cause == "corruption"
    assert incident.outcome == "led_to_termination" and incident.closed_by == manager
    assert TerminationCitation.objects.get().incident == incident
