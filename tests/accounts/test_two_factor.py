"""Two-factor sign-in for password users, with codes computed here as the phone's
authenticator app would compute them."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import log_in

START = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)


def code_for(device, at):
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    totp.time = at.timestamp()
    return f"{totp.token():06d}"


def sign_in(client, username="staff"):
    return client.post(reverse("login"), {"username": username, "password": "password-for-tests"})


def enrol(client, user, at):
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"code": code_for(device, at)})
    assert response.status_code == 302, response.content.decode()[:2000]
    codes_page = client.get(response.url).content.decode()
    return device, re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", codes_page)


def test_staff_enrol_from_the_profile_page_with_a_qr_code_drawn_here(client, staff):
    with time_machine.travel(START, tick=False):
        log_in(client, staff)
        profile = client.get(reverse("dashboard:profile")).content.decode()
        assert "Set up two-factor sign-in" in profile
        page = client.get(reverse("two_factor_setup")).content.decode()
        assert "<svg" in page and "otpauth" not in page  # the key travels only in the image
        assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
            "http://www.w3.org/2000/svg", ""
        )
        wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
        assert "That code is not right" in wrong.content.decode()
        assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
        device, codes = enrol(client, staff, START)
        assert len(codes) == 10 and len(set(codes)) == 10
        # Shown once: the page does not show them again.
        assert client.get(reverse("two_factor_recovery_codes")).status_code == 302
        assert (
            "10 recovery codes are left"
            in client.get(reverse("dashboard:profile")).content.decode()
        )


def test_after_enrolment_signing_in_asks_for_a_code(client, staff):
    with time_machine.travel(START, tick=False):
        log_in(client, staff)
        device, codes = enrol(client, staff, START)
        client.post(reverse("logout"))
    later = START + datetime.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        assert sign_in(client).status_code == 302
        response = client.get("/agreements/")
        assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify"))
        assert client.get("/partners/").status_code == 302
        wrong = client.post(
            reverse("two_factor_verify"), {"code": "123456", "next": "/agreements/"}
        )
        assert "That code is not right" in wrong.content.decode()
        right = client.post(
            reverse("two_factor_verify"), {"code": code_for(device, later), "next": "/agreements/"}
        )
        assert right.status_code == 302 and right.url == "/agreements/"
        assert client.get("/agreements/").status_code == 200


def test_a_recovery_code_works_once(client, staff):
    with time_machine.travel(START, tick=False):
        log_in(client, staff)
        _device, codes = enrol(client, staff, START)
        client.post(reverse("logout"))
        sign_in(client)
        assert client.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 302
        assert client.get("/").status_code == 200
        client.post(reverse("logout"))
        sign_in(client)
        reused = client.post(reverse("two_factor_verify"), {"code": codes[0]})
        assert "That code is not right" in reused.content.decode()


def test_wrong_codes_lock_out_like_wrong_passwords(client, staff):
    with time_machine.travel(START, tick=False):
        log_in(client, staff)
        device, _codes = enrol(client, staff, START)
        client.post(reverse("logout"))
    at = START + datetime.timedelta(minutes=2)
    with time_machine.travel(at, tick=False):
        sign_in(client)
        for _ in range(4):
            assert client.post(reverse("two_factor_verify"), {"code": "111111"}).status_code == 200
        locked = client.post(reverse("two_factor_verify"), {"code": "111111"})
        assert locked.status_code == 429
        right_but_locked = client.post(reverse("two_factor_verify"), {"code": code_for(device, at)})
        assert right_but_locked.status_code == 429
        assert "Too many wrong codes" in right_but_locked.content.decode()
    after = at + datetime.timedelta(minutes=16)
    with time_machine.travel(after, tick=False):
        response = client.post(reverse("two_factor_verify"), {"code": code_for(device, after)})
        assert response.status_code == 302


def test_when_required_a_manager_can_reach_only_the_enrolment_page(
    client, manager, staff, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    with time_machine.travel(START, tick=False):
        sign_in(client, "manager")
        for url in ("/", "/agreements/", reverse("dashboard:profile"), reverse("login_lockouts")):
            response = client.get(url)
            assert response.status_code == 302 and response.url.startswith(
                reverse("two_factor_setup")
            ), url
        enrol(client, manager, START)
        assert client.get("/agreements/").status_code == 200
        # It cannot be turned off where the role needs it.
        assert client.post(reverse("two_factor_remove")).status_code == 403
        client.post(reverse("logout"))
        # Staff are not asked to enrol.
        sign_in(client, "staff")
        assert client.get("/agreements/").status_code == 200


def test_staff_may_turn_it_off_again(client, staff):
    with time_machine.travel(START, tick=False):
        log_in(client, staff)
        enrol(client, staff, START)
        response = client.post(reverse("two_factor_remove"), follow=True)
        assert "Two-factor sign-in is off." in response.content.decode()
        assert not TOTPDevice.objects.filter(user=staff).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_code_page_sends_only_to_our_own_pages(client, staff, method):
    with time_machine.travel(START, tick=False):
        log_in(client, staff)
        device, _codes = enrol(client, staff, START)
        client.post(reverse("logout"))
        sign_in(client)
    at = START + datetime.timedelta(minutes=1)
    with time_machine.travel(at, tick=False):
        response = client.post(
            reverse("two_factor_verify"),
            {"code": code_for(device, at), "next": "https://evil.example/"},
        )
        assert response.status_code == 302 and response.url == "/"
