from partnerships.models import Partner
from tests.factories import PartnerContactFactory, PartnerFactory


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


def test_user_without_role_cannot_archive(client, no_role_user):
    client.force_login(no_role_user)
    partner = PartnerFactory()
    assert client.post(f"/partners/{partner.pk}/archive/").status_code == 403
    partner.refresh_from_db()
    assert not partner.is_archived
