"""Incidents through the services: recorded on a partner, reviewed and closed by
managers with an outcome, corrected until closed; the database backs the closure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from governance import services
from governance.forms import IncidentForm
from governance.models import Incident, IncidentEvent, IncidentStatus
from tests.factories import AgreementFactory, IncidentFactory, PartnerFactory, UserFactory


def record(partner, user, **overrides):
    data = {
        "category": "routines",
        "severity": "concern",
        "description": "Kassaboken har inte förts sedan mars.",
        "became_known_on": "2026-01-05",
        "source": "Föreningens revisor",
        **overrides,
    }
    form = IncidentForm(data, partner=partner)
    assert form.is_valid(), form.errors
    return services.incident_record(form=form, partner=partner, user=user)


def close(incident, user, outcome="resolved", comment="Rutinerna är nu dokumenterade."):
    return services.incident_transition(
        incident=incident, action="close", user=user, outcome=outcome, comment=comment
    )


def test_staff_records_an_incident_and_it_is_open_with_an_event_and_history(db, staff):
    partner = PartnerFactory()
    incident = record(partner, staff)
    assert incident.status == IncidentStatus.OPEN
    assert incident.recorded_by == staff and incident.partner == partner
    event = IncidentEvent.objects.get(incident=incident)
    assert (event.from_status, event.to_status, event.actor) == ("", "open", staff)
    assert incident.history.get().history_user == staff


def test_an_incident_on_another_partners_agreement_is_refused(db, staff):
    partner = PartnerFactory()
    form = IncidentForm(
        {
            "agreement": AgreementFactory().pk,
            "category": "other",
            "severity": "observation",
            "description": "x",
            "became_known_on": "2026-01-05",
            "source": "y",
        },
        partner=partner,
    )
    assert not form.is_valid()
    assert "agreement" in form.errors
    # And the model refuses it whatever the form lets through.
    incident = IncidentFactory(partner=partner)
    incident.agreement = AgreementFactory()
    with pytest.raises(ValidationError, match="one of this partner's agreements"):
        incident.full_clean()


def test_the_day_it_became_known_cannot_be_in_the_future(db):
    form = IncidentForm(
        {
            "category": "other",
            "severity": "observation",
            "description": "x",
            "became_known_on": "2999-01-01",
            "source": "y",
        },
        partner=PartnerFactory(),
    )
    assert form.errors["became_known_on"] == ["The date cannot be in the future."]


def test_only_managers_review_and_close(db, staff, manager):
    incident = record(PartnerFactory(), staff)
    with pytest.raises(PermissionDenied, match="Only managers take incidents under review"):
        services.incident_transition(incident=incident, action="review", user=staff)
    with pytest.raises(PermissionDenied, match="Only managers close incidents"):
        close(incident, staff)
    incident = services.incident_transition(incident=incident, action="review", user=manager)
    assert incident.status == IncidentStatus.UNDER_REVIEW
    incident = close(incident, manager)
    assert incident.status == IncidentStatus.CLOSED
    assert (incident.outcome, incident.closed_by) == ("resolved", manager)
    steps = list(incident.events.values_list("from_status", "to_status", "outcome"))
    assert steps == [
        ("", "open", ""),
        ("open", "under_review", ""),
        ("under_review", "closed", "resolved"),
    ]


def test_closing_needs_an_outcome_and_what_was_found(db, staff, manager):
    incident = record(PartnerFactory(), staff)
    with pytest.raises(services.IncidentRefused, match="Choose the outcome"):
        close(incident, manager, outcome="")
    with pytest.raises(services.IncidentRefused, match="what was found"):
        close(incident, manager, comment="  ")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.OPEN


def test_led_to_termination_needs_a_termination_that_cites_it(db, staff, manager):
    incident = record(PartnerFactory(), staff)
    with pytest.raises(services.IncidentRefused, match="No termination cites this incident"):
        close(incident, manager, outcome="led_to_termination")


def test_a_closed_incident_cannot_be_closed_again_or_edited(db, staff, manager):
    incident = close(record(PartnerFactory(), staff), manager)
    with pytest.raises(services.IncidentRefused, match="is closed"):
        close(incident, manager)
    form = IncidentForm(
        {
            "category": "routines",
            "severity": "serious",
            "description": "Ändrad",
            "became_known_on": "2026-01-05",
            "source": "x",
            "edit_version": incident.version,
        },
        instance=incident,
        partner=incident.partner,
    )
    assert form.is_valid()
    with pytest.raises(services.IncidentRefused, match="closed"):
        services.incident_update(form=form, user=staff)


def test_two_managers_closing_at_once_close_it_once(db, staff, manager):
    incident = record(PartnerFactory(), staff)
    other_manager = UserFactory(manager=True)
    first = Incident.objects.get(pk=incident.pk)
    second = Incident.objects.get(pk=incident.pk)
    close(first, manager)
    with pytest.raises(services.IncidentRefused, match="Someone else changed this incident"):
        close(second, other_manager, outcome="unfounded")
    incident.refresh_from_db()
    assert (incident.outcome, incident.closed_by) == ("resolved", manager)
    assert incident.events.filter(to_status="closed").count() == 1


def test_the_database_refuses_a_closure_without_an_outcome(db):
    incident = IncidentFactory()
    with pytest.raises(IntegrityError):
        Incident.objects.filter(pk=incident.pk).update(status="closed")


def test_the_recorder_or_a_manager_corrects_the_facts(db, staff, other_staff, manager):
    incident = record(PartnerFactory(), staff)

    def edit(user, version):
        form = IncidentForm(
            {
                "category": "routines",
                "severity": "serious",
                "description": "Kassaboken saknas helt.",
                "became_known_on": "2026-01-05",
                "source": "Föreningens revisor",
                "edit_version": version,
            },
            instance=Incident.objects.get(pk=incident.pk),
            partner=incident.partner,
        )
        assert form.is_valid(), form.errors
        return services.incident_update(form=form, user=user)

    with pytest.raises(services.IncidentRefused, match="Only the person who recorded"):
        edit(other_staff, 1)
    edited = edit(staff, 1)
    assert edited.severity == "serious" and edited.version == 2
    assert edit(manager, 2).version == 3
    assert incident.history.count() == 3
