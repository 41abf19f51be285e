"""Single sign-on against a real OpenID provider (the oidc-provider package, started on
loopback by this test): sign in through the provider's own page, land with the role the
groups claim gives; after the group is removed at the provider, the next sign-in gives
no access."""

import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import SsoIdentity, User
from tests.conftest import free_port, service_required

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc"

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def provider(live_server, tmp_path):
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        service_required("Node and tests/oidc/node_modules (npm ci --prefix tests/oidc) are needed")
    port = free_port()
    accounts = tmp_path / "accounts.json"
    client = {
        "client_id": "partnerships",
        "client_secret": "a-client-secret-for-tests-only",
        "redirect_uris": [f"{live_server.url}/accounts/sso/callback/"],
    }
    process = subprocess.Popen(
        [node, str(PROVIDER_DIR / "provider.mjs"), str(port), json.dumps(client), str(accounts)],
        stdout=open(tmp_path / "op.log", "w"),
        stderr=subprocess.STDOUT,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"

    def set_account(login, **claims):
        accounts.write_text(json.dumps({login: claims}))

    set_account("entra-4711", email="karin@example.org", name="Karin Ek", groups=[])
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the OpenID provider did not start: {process.stdout.read()}")
            time.sleep(0.2)
    try:
        yield issuer, client, set_account
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso_settings(settings, provider):
    issuer, client, _set_account = provider
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Exempelkommunen"
    settings.OIDC_DISCOVERY_URL = f"{issuer}/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = client["client_id"]
    settings.OIDC_RP_CLIENT_SECRET = client["client_secret"]
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_STAFF_GROUPS = ["partnerships-staff"]
    settings.OIDC_MANAGER_GROUPS = ["partnerships-managers"]
    # The provider applies its own second factor: managers signing in through it are not
    # sent to enrol an authenticator app here.
    settings.TWO_FACTOR_REQUIRED = True
    return settings


def sign_in_at_the_provider(page, live_server, shoot, name, login="entra-4711"):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with Exempelkommunen").click()
    page.wait_for_url("http://127.0.0.1:*/interaction/*")
    shoot(f"{name}-provider-login")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("anything")
    page.locator("button[type=submit]").click()
    if page.locator("button[type=submit]").count() and "/interaction/" in page.url:
        shoot(f"{name}-provider-consent")
        page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/**")


def test_sso_gives_the_role_of_the_groups_claim_and_takes_it_away(
    page, live_server, shoot, sso_settings, provider
):
    _issuer, _client, set_account = provider
    set_account(
        "entra-4711", email="karin@example.org", name="Karin Ek", groups=["partnerships-managers"]
    )
    sign_in_at_the_provider(page, live_server, shoot, "manager")
    expect(page.get_by_role("heading", name="Welcome, Karin")).to_be_visible()
    expect(page.locator(".role-badge")).to_have_text("Manager")
    shoot("signed-in-as-manager")
    user = User.objects.get(sso_identities__subject="entra-4711")
    assert (user.email, user.get_full_name()) == ("karin@example.org", "Karin Ek")
    assert not user.has_usable_password()

    # An email that matches is never enough: the subject decides.
    set_account(
        "someone-else", email="karin@example.org", name="Karin Ek", groups=["partnerships-staff"]
    )
    sign_in_at_the_provider(page, live_server, shoot, "other-subject", login="someone-else")
    expect(page.locator(".role-badge")).to_have_text("Staff")
    assert SsoIdentity.objects.filter(subject="someone-else").exclude(user=user).exists()

    # The group is removed at the provider: the next sign-in ends with no access.
    set_account("entra-4711", email="karin@example.org", name="Karin Ek", groups=[])
    sign_in_at_the_provider(page, live_server, shoot, "no-group")
    expect(page.get_by_role("heading", name="You have no role yet")).to_be_visible()
    expect(page.get_by_text("not in a group that gives a role")).to_be_visible()
    expect(page.get_by_role("link", name="Agreements")).to_have_count(0)
    shoot("no-role")
    user.refresh_from_db()
    assert not user.groups.exists()
    page.goto(f"{live_server.url}/agreements/")
    expect(page.get_by_text("You do not have access to agreements.")).to_be_visible()
