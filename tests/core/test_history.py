"""Every change is kept with who and when, and shown on the record's page."""

import datetime
import re

from django.utils import formats, timezone

from agreements import services
from agreements.models import Agreement
from evaluations.models import GoalResult
from tests.agreements.test_services import NO_INTEREST
from tests.agreements.test_views import agreement_data
from tests.factories import AgreementFactory, EvaluationFactory, PartnerFactory, UserFactory
from tests.partnerships.test_partner_form import partner_data


def test_partner_changes_are_kept_and_shown(staff_client, staff):
    partner = PartnerFactory(name="Före", responsible=staff)
    data = partner_data(
        staff, name="Efter", organisation_number="", **{"contacts-TOTAL_FORMS": "0"}
    )
    staff_client.post(f"/partners/{partner.pk}/edit/", data)
    record = partner.history.latest()
    assert record.history_user == staff and record.name == "Efter"
    html = staff_client.get(f"/partners/{partner.pk}/").content.decode()
    assert "Change history" in html
    assert "Före → Efter" in html


def test_agreement_history_keeps_edits_and_status_changes(staff_client, staff, manager):
    staff_client.post("/agreements/new/", agreement_data(PartnerFactory(), staff))
    agreement = Agreement.objects.get()
    services.agreement_transition(agreement=agreement, action="submit", user=staff)
    services.agreement_transition(
        agreement=agreement, action="approve", user=manager, statement=NO_INTEREST
    )
    statuses = list(
        agreement.history.order_by("history_date").values_list("status", "history_user")
    )
    assert statuses[0] == ("draft", staff.pk)
    assert statuses[-1] == ("approved", manager.pk)
    assert agreement.goals.first().history.count() == 1
    html = staff_client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "Pending approval → Approved" in html


def test_renewal_copies_keep_a_history_too(db, staff):
    old = AgreementFactory(approved=True, created_by=staff)
    renewal = services.agreement_renew(agreement=old, user=staff)
    goal = renewal.goals.get()
    assert goal.history.get().history_user == staff


def test_roles_cannot_delete(db):
    from django.contrib.auth.models import Group

    codenames = Group.objects.filter(name__in=["Staff", "Managers"]).values_list(
        "permissions__codename", flat=True
    )
    deletable = {c for c in codenames if c and c.startswith("delete_")}
    # Contacts, goals and obligations are removed as part of editing their draft parent.
    assert deletable <= {"delete_partnercontact", "delete_goal", "delete_obligation"}


def _history_section(html: str) -> str:
    return html.split('id="history"')[1]


def test_history_shows_labels_names_local_dates_and_readable_values(staff_client, staff):
    other = UserFactory(username="erik", first_name="Erik", last_name="Ek", role="Staff")
    staff_client.post("/agreements/new/", agreement_data(PartnerFactory(), staff))
    agreement = Agreement.objects.get()
    staff_client.post(
        f"/agreements/{agreement.pk}/edit/",
        agreement_data(
            agreement.partner,
            other,
            economic_amount="99999.50",
            agreement_type="strategic",
            edit_version=agreement.version,
            **{"goals-TOTAL_FORMS": "0", "obligations-TOTAL_FORMS": "0"},
        ),
    )
    history = _history_section(staff_client.get(f"/agreements/{agreement.pk}/").content.decode())
    # Field labels, people by name, choice labels, numbers as the language writes them.
    assert "<strong>Responsible staff member</strong>: Sara Staff → Erik Ek" in history
    assert (
        "<strong>Partnership type</strong>: Long-term (spans programme periods) → Strategic"
        in history
    )
    assert "<strong>Economic contribution</strong>: 120,000 → 99,999.5" in history


def _follow_up(client, agreement, fulfilled_on):
    obligation = agreement.obligations.first()
    client.post(
        f"/agreements/{agreement.pk}/obligations/{obligation.pk}/",
        {
            "fulfilment": "fulfilled",
            "fulfilled_on": fulfilled_on.isoformat(),
            "fulfilment_note": "",
        },
    )
    return obligation


def test_history_shows_who_recorded_and_when_in_local_time(staff_client, staff):
    agreement = AgreementFactory(approved=True, created_by=staff)
    obligation = _follow_up(staff_client, agreement, datetime.date(2026, 3, 2))
    obligation.refresh_from_db()
    history = _history_section(staff_client.get(f"/agreements/{agreement.pk}/").content.decode())
    assert "<strong>Recorded by</strong>: – → Sara Staff" in history
    assert "<strong>Fulfilment</strong>: Open → Fulfilled" in history
    assert (
        f"<strong>Date</strong>: – → {formats.date_format(datetime.date(2026, 3, 2), 'SHORT_DATE_FORMAT')}"
        in history
    )
    # A local time to the minute: no seconds, microseconds or offset.
    recorded = timezone.localtime(obligation.fulfilment_recorded_at)
    shown = formats.date_format(recorded, "SHORT_DATETIME_FORMAT")
    assert f"<strong>Recorded at</strong>: – → {shown}" in history
    assert not re.search(r"\d\d:\d\d:\d\d", history)
    assert "+00:00" not in history


def test_history_is_in_the_readers_language(staff_client, staff):
    agreement = AgreementFactory(approved=True, created_by=staff)
    _follow_up(staff_client, agreement, datetime.date(2026, 3, 2))
    staff.language = "sv"
    staff.save()
    history = _history_section(staff_client.get(f"/agreements/{agreement.pk}/").content.decode())
    assert "<strong>Uppfyllelse</strong>: Öppet → Uppfyllt" in history
    assert "<strong>Registrerat av</strong>: – → Sara Staff" in history
    assert "2026-03-02" in history


def test_evaluation_history_names_the_achievement_field_and_its_values(staff_client, staff):
    evaluation = EvaluationFactory(evaluator=staff)
    result = evaluation.results.first() or GoalResult.objects.create(
        evaluation=evaluation, goal=evaluation.period.agreement.goals.first()
    )
    result.achievement = "partly"
    result._history_user = staff
    result.save()
    result.achievement = "achieved"
    result._history_user = staff
    result.save()
    html = staff_client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    history = _history_section(html)
    assert "<strong>Achievement</strong>: Partly achieved → Achieved" in history
    assert "<strong>achievement</strong>" not in history
