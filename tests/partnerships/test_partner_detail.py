import datetime

from django.utils import timezone

from agreements.models import Status
from partnerships.models import Partner
from tests.factories import AgreementFactory, PartnerContactFactory, PartnerFactory

TODAY = timezone.localdate


def test_detail_shows_the_record_contacts_and_due_diligence(staff_client):
    partner = PartnerFactory(
        name="Asociación Puente Andino",
        country="BO",
        city="Cochabamba",
        risk_level="high",
        risk_note="Verksamhet i utsatt miljö",
    )
    PartnerContactFactory(partner=partner, name="Lucía Mamani", role="Directora")
    html = staff_client.get(f"/partners/{partner.pk}/").content.decode()
    for text in (
        "Asociación Puente Andino",
        "Bolivia",
        "Cochabamba",
        "Lucía Mamani",
        "Directora",
        "Verksamhet i utsatt miljö",
        "Incomplete",
        "code of conduct not accepted",
    ):
        assert text in html


def test_missing_partner_is_a_404(staff_client):
    assert staff_client.get("/partners/999999/").status_code == 404


def test_staff_archives_and_restores_a_partner_after_confirming(staff_client):
    partner = PartnerFactory(name="Gamla Föreningen")
    url = f"/partners/{partner.pk}/archive/"
    confirmation = staff_client.get(url)
    assert "Archive Gamla Föreningen?" in confirmation.content.decode()
    partner.refresh_from_db()
    assert not partner.is_archived

    response = staff_client.post(url, follow=True)
    assert "“Gamla Föreningen” is archived." in response.content.decode()
    partner.refresh_from_db()
    assert partner.is_archived
    assert Partner.objects.filter(pk=partner.pk).exists()

    staff_client.post(url)
    partner.refresh_from_db()
    assert not partner.is_archived


def test_archiving_names_the_agreements_it_leaves_running_and_what_it_does(staff_client):
    partner = PartnerFactory(name="Kulturhuset Ängby")
    active = AgreementFactory(partner=partner, approved=True, title="Läslust")
    upcoming = AgreementFactory(
        partner=partner,
        approved=True,
        title="Sommarläsning",
        start_date=TODAY() + datetime.timedelta(days=30),
    )
    pending = AgreementFactory(partner=partner, pending=True, title="Skrivarverkstad")
    expired = AgreementFactory(
        partner=partner,
        approved=True,
        title="Gammalt avtal",
        start_date=TODAY() - datetime.timedelta(days=800),
        end_date=TODAY() - datetime.timedelta(days=10),
    )
    AgreementFactory(partner=partner, title="Utkast")
    html = staff_client.get(f"/partners/{partner.pk}/archive/").content.decode()
    assert "This partner has 3 agreements that are active or awaiting approval:" in html
    for agreement in (active, upcoming, pending):
        assert agreement.reference in html and agreement.title in html
    assert expired.reference not in html
    assert "Archiving the partner does not change them." in html
    assert "Approved agreements keep running to their end date" in html
    assert "one awaiting approval can still be approved or returned" in html
    assert "its drafts cannot be submitted until it is restored" in html
    assert "It has 1 draft or returned agreement." in html
    assert "Archive anyway" in html

    staff_client.post(f"/partners/{partner.pk}/archive/")
    for agreement in (active, upcoming, pending):
        agreement.refresh_from_db()
    assert (active.status, pending.status) == (Status.APPROVED, Status.PENDING)


def test_archiving_a_partner_without_agreements_says_nothing_about_them(staff_client):
    partner = PartnerFactory()
    html = staff_client.get(f"/partners/{partner.pk}/archive/").content.decode()
    assert "active or awaiting approval" not in html
    assert "Archive anyway" not in html


def test_archiving_in_swedish_names_the_agreements_in_swedish(staff_client, staff):
    staff.language = "sv"
    staff.save()
    partner = PartnerFactory()
    AgreementFactory(partner=partner, approved=True)
    html = staff_client.get(f"/partners/{partner.pk}/archive/").content.decode()
    assert "Arkivera ändå" in html
    assert "active or awaiting approval" not in html


def test_user_without_role_cannot_archive(client, no_role_user):
    client.force_login(no_role_user)
    partner = PartnerFactory()
    assert client.post(f"/partners/{partner.pk}/archive/").status_code == 403
    partner.refresh_from_db()
    assert not partner.is_archived
