import pytest
from django.urls import reverse

from tests.factories import PartnerFactory

PAGES_THAT_NEED_LOGIN = [
    "/",
    "/partners/",
    "/partners/new/",
    "/agreements/",
    "/evaluations/",
    "/accounts/password/",
]


@pytest.mark.parametrize("url", PAGES_THAT_NEED_LOGIN)
def test_anonymous_visitor_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert f"next={url}" in response.url.replace("%2F", "/")


def test_anonymous_visitor_sees_no_partner_data(client, db):
    partner = PartnerFactory(name="Hemlig Förening")
    for url in (f"/partners/{partner.pk}/", f"/partners/{partner.pk}/edit/"):
        response = client.get(url, follow=True)
        assert "Hemlig Förening" not in response.content.decode()


def test_login_page_is_public(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_staff_member_logs_in_and_reaches_the_dashboard(client, staff):
    response = client.post(
        reverse("login"), {"username": "staff", "password": "password-for-tests"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Sara Staff" in response.content.decode()


def test_wrong_password_shows_an_error(client, staff):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_logout_is_post_only_and_ends_the_session(staff_client):
    assert staff_client.get(reverse("logout")).status_code == 405
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    assert staff_client.get("/").status_code == 302


def test_password_change(staff_client, staff):
    response = staff_client.post(
        reverse("password_change"),
        {
            "old_password": "password-for-tests",
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("a-new-long-passphrase-2026")


def test_user_without_a_role_cannot_see_the_register(client, no_role_user):
    client.force_login(no_role_user)
    response = client.get("/partners/")
    assert response.status_code == 403
