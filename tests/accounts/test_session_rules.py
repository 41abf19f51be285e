"""Session and password rules of OWASP ASVS level 2: 12-character passwords, Argon2
with older hashes upgraded at sign-in, an absolute session lifetime, no-store on
signed-in pages, and the client address behind trusted proxies."""

import datetime

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tests.conftest import log_in
from tests.factories import AgreementFactory, UserFactory


def project_hashers():
    """The project's own list (the test settings swap in a fast hasher)."""
    import config.settings

    return config.settings.PASSWORD_HASHERS


def test_a_new_password_needs_twelve_characters(client, staff):
    staff.set_password("old-password-for-tests")
    staff.save()
    log_in(client, staff)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "old-password-for-tests",
            "new_password1": "Kort-lösen1",  # 11 characters
            "new_password2": "Kort-lösen1",
        },
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "old-password-for-tests",
            "new_password1": "Längre-lösen-1",
            "new_password2": "Längre-lösen-1",
        },
    )
    assert response.status_code == 302


def test_a_shorter_existing_password_keeps_working(client, db):
    user = UserFactory(username="short", staff=True)
    user.password = make_password("kort123ab")  # set before the rule
    user.save()
    response = client.post(reverse("login"), {"username": "short", "password": "kort123ab"})
    assert response.status_code == 302


def test_an_older_hash_is_upgraded_to_argon2_at_sign_in(client, db, settings):
    settings.PASSWORD_HASHERS = project_hashers()
    user = UserFactory(username="old_hash", staff=True)
    user.password = make_password("ett-långt-lösenord", hasher="pbkdf2_sha256")
    user.save()
    assert user.password.startswith("pbkdf2_sha256$")
    response = client.post(
        reverse("login"), {"username": "old_hash", "password": "ett-långt-lösenord"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$") and "m=19456,t=2,p=1" in user.password


def test_a_session_ends_twelve_hours_after_sign_in_however_active(client, staff):
    start = datetime.datetime(2026, 12, 2, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.post(reverse("login"), {"username": "staff", "password": "password-for-tests"})
        assert client.get("/").status_code == 200
    for hours in (4, 8, 11.9):  # active all day: the idle limit never strikes
        with time_machine.travel(start + datetime.timedelta(hours=hours), tick=False):
            assert client.get("/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=12, minutes=1), tick=False):
        response = client.get("/agreements/")
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        page = client.get(response.url).content.decode()
        assert "Your session ended 12 hours after you signed in" in page
        assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "url",
    ["/", "/agreements/", "/agreements/export.csv", "/partners/", "{agreement}summary.pdf"],
)
def test_signed_in_pages_downloads_and_exports_are_not_stored(staff_client, staff, url):
    agreement = AgreementFactory(created_by=staff, complete=True)
    response = staff_client.get(url.format(agreement=agreement.get_absolute_url()))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_the_login_throttle_reads_the_client_behind_trusted_proxies(client, staff, settings):
    """Two clients behind one proxy: the one who fails five times is locked out, the
    other is not. A forged leftmost address changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    def attempt(client_address, password, forged=""):
        header = f"{forged}, {client_address}" if forged else client_address
        return client.post(
            reverse("login"),
            {"username": "staff", "password": password},
            HTTP_X_FORWARDED_FOR=header,
            **proxy,
        )

    for number in range(5):
        attempt("198.51.100.7", "wrong", forged=f"203.0.113.{number}")
    assert attempt("198.51.100.7", "password-for-tests").status_code == 429
    assert attempt("198.51.100.8", "password-for-tests").status_code == 302


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(5):
        client.post(
            reverse("login"),
            {"username": "staff", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    response = client.post(
        reverse("login"),
        {"username": "staff", "password": "password-for-tests"},
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert response.status_code == 429
