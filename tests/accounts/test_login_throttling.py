"""After five failed logins for one user name from one address, logging in is refused
for 15 minutes; a manager can unlock it sooner."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.conftest import log_in

LOGIN_REFUSED = "Too many failed attempts to log in with this user name"


def _attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _fail_five_times(client, username="staff"):
    for _ in range(5):
        _attempt(client, username, "wrong-password")


def _logged_in(client) -> bool:
    return client.get(reverse("dashboard:dashboard")).status_code == 200


def test_five_failed_attempts_refuse_even_the_right_password(client, staff):
    for _ in range(4):
        response = _attempt(client, "staff", "wrong-password")
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()

    response = _attempt(client, "staff", "wrong-password")
    assert response.status_code == 429

    response = _attempt(client, "staff", "password-for-tests")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOGIN_REFUSED in page
    assert "blocked for 15 minutes" in page
    assert 'name="username"' in page  # still the login page, with the form
    assert not _logged_in(client)


def test_four_failures_and_a_success_start_the_count_again(client, staff):
    for _ in range(4):
        _attempt(client, "staff", "wrong-password")
    assert _attempt(client, "staff", "password-for-tests").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        _attempt(client, "staff", "wrong-password")
    assert _attempt(client, "staff", "password-for-tests").status_code == 302


def test_the_lockout_is_for_that_user_name_only(client, staff, other_staff):
    _fail_five_times(client, "staff")
    assert _attempt(client, "other_staff", "password-for-tests").status_code == 302


def test_the_lockout_is_for_that_address_only(client, staff):
    _fail_five_times(client, "staff")
    response = client.post(
        reverse("login"),
        {"username": "staff", "password": "password-for-tests"},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302


def test_the_lockout_message_is_translated(client, staff):
    _fail_five_times(client)
    client.cookies["django_language"] = "sv"
    response = _attempt(client, "staff", "password-for-tests")
    assert response.status_code == 429
    assert '<html lang="sv">' in response.content.decode()


def test_after_the_cool_off_the_right_password_works_again(client, staff):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _fail_five_times(client)
        traveller.shift(datetime.timedelta(minutes=14))
        assert _attempt(client, "staff", "password-for-tests").status_code == 429
        # Trying during the lockout does not prolong it.
        traveller.shift(datetime.timedelta(minutes=1, seconds=1))
        assert _attempt(client, "staff", "password-for-tests").status_code == 302
    assert _logged_in(client)


def test_a_manager_sees_the_locked_out_user_name_and_unlocks_it(client, staff, manager):
    _fail_five_times(client)
    manager_client = log_in(type(client)(), manager)

    dashboard = manager_client.get(reverse("dashboard:dashboard")).content.decode()
    assert "1 login is locked out" in dashboard
    page = manager_client.get(reverse("login_lockouts")).content.decode()
    assert "<td>staff</td>" in page
    assert "127.0.0.1" in page

    response = manager_client.post(reverse("login_unlock"), {"username": "staff"}, follow=True)
    assert "“staff” can log in again." in response.content.decode()
    assert "No user name is locked out." in response.content.decode()

    assert _attempt(client, "staff", "password-for-tests").status_code == 302


def test_unlocking_a_name_that_is_not_locked_says_so(manager_client):
    response = manager_client.post(reverse("login_unlock"), {"username": "nobody"}, follow=True)
    assert "“nobody” was not locked out." in response.content.decode()


@pytest.mark.parametrize("persona", ["staff", "no_role_user"])
def test_only_managers_can_unlock(client, staff, manager, no_role_user, persona):
    _fail_five_times(client)
    other = log_in(type(client)(), {"staff": staff, "no_role_user": no_role_user}[persona])

    assert other.get(reverse("login_lockouts")).status_code == 403
    assert other.post(reverse("login_unlock"), {"username": "staff"}).status_code == 403
    assert _attempt(client, "staff", "password-for-tests").status_code == 429


def test_staff_dashboard_does_not_mention_lockouts(client, staff, other_staff):
    _fail_five_times(client, "other_staff")
    staff_client = log_in(type(client)(), staff)
    assert "locked out" not in staff_client.get(reverse("dashboard:dashboard")).content.decode()
