import pytest

from agreements.models import Status
from tests.factories import AgreementFactory, UserFactory


@pytest.fixture
def superuser_client(client, db):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.user = admin
    return client


def test_admin_list_searches_reference_title_and_partner(superuser_client):
    agreement = AgreementFactory(title="Kulturskola")
    response = superuser_client.get("/admin/agreements/agreement/", {"q": agreement.partner.name})
    assert agreement.reference in response.content.decode()


def test_admin_cannot_change_or_delete_an_approved_agreement(superuser_client):
    agreement = AgreementFactory(approved=True)
    page = superuser_client.get(f"/admin/agreements/agreement/{agreement.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = superuser_client.post(
        f"/admin/agreements/agreement/{agreement.pk}/change/", {"title": "Changed"}
    )
    assert response.status_code == 403
    assert (
        superuser_client.post(
            f"/admin/agreements/agreement/{agreement.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )


def test_the_admin_offers_no_approval(superuser_client):
    """Approving needs the manager's own declarations, made on the approval page."""
    agreement = AgreementFactory(pending=True)
    page = superuser_client.get("/admin/agreements/agreement/").content.decode()
    assert "approve_selected" not in page
    superuser_client.post(
        "/admin/agreements/agreement/",
        {"action": "approve_selected", "_selected_action": [agreement.pk]},
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.PENDING
