import pytest

from tests.factories import PartnerContactFactory, PartnerFactory, UserFactory


@pytest.fixture
def admin_client_logged_in(client, db):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/partnerships/partner/?q=Läslust",
        "/admin/partnerships/partnercontact/?q=Sara",
        "/admin/partnerships/focusarea/",
        "/admin/partnerships/selectioncriterion/",
        "/admin/partnerships/selectionassessment/",
        "/admin/accounts/user/",
    ],
)
def test_admin_lists_with_search_work(admin_client_logged_in, url):
    partner = PartnerFactory(name="Föreningen Läslust")
    PartnerContactFactory(partner=partner, name="Sara Nyström")
    response = admin_client_logged_in.get(url)
    assert response.status_code == 200


def test_admin_partner_search_finds_by_contact(admin_client_logged_in):
    partner = PartnerFactory(name="Föreningen Läslust")
    PartnerContactFactory(partner=partner, name="Sara Nyström")
    response = admin_client_logged_in.get("/admin/partnerships/partner/?q=Nyström")
    assert "Föreningen Läslust" in response.content.decode()
