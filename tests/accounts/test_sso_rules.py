"""Single sign-on rules that need no browser: the role mapping, the password refusal
for staff when the organisation wants sign-on only, and the ID token checks."""

import datetime

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse

from accounts import sso
from accounts.roles import MANAGERS_GROUP, STAFF_GROUP


@pytest.fixture
def mapping(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_STAFF_GROUPS = ["staff-group"]
    settings.OIDC_MANAGER_GROUPS = ["manager-group"]
    settings.OIDC_GROUPS_CLAIM = "groups"
    return settings


@pytest.mark.parametrize(
    "groups,expected",
    [
        (["staff-group"], {STAFF_GROUP}),
        (["manager-group", "staff-group"], {MANAGERS_GROUP}),
        ("manager-group", {MANAGERS_GROUP}),  # a single value, not a list
        (["other"], set()),
        ([], set()),
        (None, set()),
    ],
)
def test_groups_map_to_one_role_or_none(mapping, groups, expected):
    assert sso.roles_from_claims({"groups": groups}) == expected


def test_staff_passwords_can_be_turned_off_while_partners_keep_theirs(client, staff, mapping):
    mapping.OIDC_STAFF_PASSWORDS = False
    mapping.OIDC_PROVIDER_NAME = "Exempelkommunen"
    response = client.post(
        reverse("login"), {"username": "staff", "password": "password-for-tests"}
    )
    assert response.status_code == 200
    assert "Staff sign in with their Exempelkommunen account" in response.content.decode()
    mapping.OIDC_STAFF_PASSWORDS = True
    response = client.post(
        reverse("login"), {"username": "staff", "password": "password-for-tests"}
    )
    assert response.status_code == 302


def test_the_login_page_offers_the_provider_only_when_on(client, settings):
    settings.OIDC_PROVIDER_NAME = "Exempelkommunen"
    settings.OIDC_ENABLED = False
    assert "Sign in with Exempelkommunen" not in client.get(reverse("login")).content.decode()
    settings.OIDC_ENABLED = True
    assert "Sign in with Exempelkommunen" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    "change,refused",
    [
        ({}, False),
        ({"aud": "another-client"}, True),
        ({"iss": "https://impostor.example"}, True),
        ({"exp": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)}, True),
    ],
)
def test_the_id_token_must_be_ours_from_our_provider_and_fresh(
    settings, monkeypatch, change, refused
):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    claims = {
        "iss": "https://login.example",
        "aud": "partnerships",
        "sub": "entra-1",
        "iat": now,
        "exp": now + datetime.timedelta(minutes=5),
        **change,
    }
    token = jwt.encode(claims, key, algorithm="RS256")
    monkeypatch.setattr(sso, "provider_metadata", lambda: {"issuer": "https://login.example"})
    backend = sso.OrganisationBackend()
    backend.OIDC_RP_SIGN_ALGO = "RS256"
    backend.OIDC_RP_CLIENT_ID = "partnerships"
    if refused:
        with pytest.raises(SuspiciousOperation):
            backend._verify_jws(token, key.public_key())
    else:
        assert backend._verify_jws(token, key.public_key())["sub"] == "entra-1"
