"""Incidents through the pages: restricted details for managers and the recorder only,
in the list, its filters and the incident page; the banner on the partner and its
agreements while a serious incident is not closed."""

import pytest
from django.urls import reverse

from governance.models import Incident
from tests.conftest import log_in
from tests.factories import AgreementFactory, IncidentFactory, PartnerFactory, UserFactory

SECRET = "Kassören har fört över pengar till ett privat konto."


@pytest.fixture
def restricted(db, manager):
    return IncidentFactory(restricted=True, serious=True, description=SECRET, recorded_by=manager)


def test_staff_see_that_a_restricted_incident_exists_but_not_its_details(client, staff, restricted):
    log_in(client, staff)
    listing = client.get(reverse("governance:incident_list")).content.decode()
    assert str(restricted) in listing and "Restricted" in listing
    assert SECRET not in listing
    assert "<td>Suspected corruption" not in listing  # only in the filter's choices
    page = client.get(restricted.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Restricted" in html and "Serious" in html
    assert SECRET not in html and restricted.source not in html
    assert client.get(reverse("governance:incident_edit", args=[restricted.pk])).status_code == 403


def test_managers_and_the_recorder_see_the_details(client, staff, manager, restricted):
    own = IncidentFactory(restricted=True, recorded_by=staff, description="Mitt eget.")
    log_in(client, manager)
    assert SECRET in client.get(restricted.get_absolute_url()).content.decode()
    log_in(client, staff)
    html = client.get(own.get_absolute_url()).content.decode()
    assert "Mitt eget." in html and "Suspected corruption" in html


def test_a_category_filter_never_tells_which_restricted_incident_is_which(
    client, staff, manager, restricted
):
    IncidentFactory(category="breach")
    url = reverse("governance:incident_list")
    log_in(client, staff)
    assert client.get(url, {"category": "corruption"}).context["page"].paginator.count == 0
    # Severity and status are for everyone: the incident still counts among the serious.
    assert client.get(url, {"severity": "serious"}).context["page"].paginator.count == 1
    log_in(client, manager)
    assert client.get(url, {"category": "corruption"}).context["page"].paginator.count == 1


def test_an_invalid_filter_value_shows_no_incidents(client, staff, restricted):
    log_in(client, staff)
    response = client.get(reverse("governance:incident_list"), {"status": "nonsense"})
    assert response.context["page"].paginator.count == 0


def test_staff_record_an_incident_from_the_partner_page(client, staff):
    partner = PartnerFactory()
    agreement = AgreementFactory(partner=partner, approved=True)
    log_in(client, staff)
    page = client.get(partner.get_absolute_url()).content.decode()
    assert reverse("governance:incident_create", args=[partner.pk]) in page
    response = client.post(
        reverse("governance:incident_create", args=[partner.pk]),
        {
            "agreement": agreement.pk,
            "category": "breach",
            "severity": "concern",
            "description": "Logotypen användes i en kampanj.",
            "became_known_on": "2026-01-05",
            "source": "En förälder",
        },
        follow=True,
    )
    assert "The incident is recorded." in response.content.decode()
    incident = Incident.objects.get()
    assert (incident.partner, incident.agreement, incident.recorded_by) == (
        partner,
        agreement,
        staff,
    )


def test_a_bad_incident_form_saves_nothing_and_says_why_next_to_the_field(client, staff):
    partner = PartnerFactory()
    log_in(client, staff)
    response = client.post(
        reverse("governance:incident_create", args=[partner.pk]),
        {"category": "breach", "severity": "", "description": "", "became_known_on": "2999-01-01"},
    )
    form = response.context["form"]
    assert form.errors["severity"] == ["Choose how serious it is."]
    assert form.errors["description"] == ["Describe what happened."]
    assert form.errors["became_known_on"] == ["The date cannot be in the future."]
    assert form.errors["source"] == ["Say who reported it."]
    assert not Incident.objects.exists()


def test_a_manager_closes_an_incident_on_its_page(client, manager):
    incident = IncidentFactory()
    log_in(client, manager)
    url = reverse("governance:incident_action", args=[incident.pk, "close"])
    response = client.post(url, {"outcome": "", "comment": ""})
    assert response.context["form"].errors["outcome"] == ["Choose the outcome."]
    response = client.post(url, {"outcome": "led_to_termination", "comment": "Utrett."})
    assert "No termination cites this incident" in response.content.decode()
    response = client.post(url, {"outcome": "resolved", "comment": "Utrett."}, follow=True)
    assert "The incident is closed." in response.content.decode()
    incident.refresh_from_db()
    assert incident.outcome == "resolved"


def test_a_serious_unresolved_incident_shows_a_banner_on_the_partner_and_its_agreements(
    client, staff, restricted
):
    agreement = AgreementFactory(partner=restricted.partner, pending=True)
    log_in(client, staff)
    for url in (restricted.partner.get_absolute_url(), agreement.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "A serious incident on" in html and "is not closed" in html, url
        assert SECRET not in html


def test_no_banner_for_a_concern_or_a_closed_serious_incident(client, staff, manager):
    partner = PartnerFactory()
    IncidentFactory(partner=partner)
    closed = IncidentFactory(partner=partner, serious=True)
    Incident.objects.filter(pk=closed.pk).update(
        status="closed", outcome="resolved", closed_by=manager, closed_at=closed.recorded_at
    )
    log_in(client, staff)
    assert "A serious incident on" not in client.get(partner.get_absolute_url()).content.decode()


def test_the_managers_dashboard_lists_serious_incidents_not_closed(client, manager, restricted):
    IncidentFactory()  # a concern: not on the panel
    log_in(client, manager)
    panel = next(
        p for p in client.get("/").context["panels"] if p.title == "Serious incidents not closed"
    )
    assert panel.count == 1 and panel.items[0].pk == restricted.pk
    assert "severity=serious" in panel.url and "status=unresolved" in panel.url


def test_the_partner_page_lists_incidents_in_a_fixed_number_of_queries(
    client, staff, django_assert_max_num_queries
):
    partner = PartnerFactory()
    for _ in range(6):
        IncidentFactory(partner=partner, recorded_by=UserFactory(staff=True))
    log_in(client, staff)
    with django_assert_max_num_queries(25):
        response = client.get(partner.get_absolute_url())
    assert len(response.context["incidents"]) == 5 and response.context["incident_count"] == 6
