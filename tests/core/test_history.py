"""Every change is kept with who and when, and shown on the record's page."""

from agreements import services
from agreements.models import Agreement
from tests.agreements.test_services import NO_INTEREST
from tests.agreements.test_views import agreement_data
from tests.factories import AgreementFactory, PartnerFactory
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
