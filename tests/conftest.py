import os

import pytest

from accounts.roles import MANAGERS_GROUP, STAFF_GROUP
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Uploaded files of a test go to its own folder, never into var/.
    settings.MEDIA_ROOT = tmp_path / "media"
    # A deliberately slow hasher makes every created user cost a third of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", first_name="Sara", last_name="Staff", role=STAFF_GROUP)


@pytest.fixture
def other_staff(db):
    return UserFactory(username="other_staff", role=STAFF_GROUP)


@pytest.fixture
def manager(db):
    return UserFactory(
        username="manager", first_name="Maja", last_name="Manager", role=MANAGERS_GROUP
    )


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="no_role")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def service_required(reason: str):
    """Skip when a service is missing, but fail under REQUIRE_SERVICES=1 (CI)."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)
