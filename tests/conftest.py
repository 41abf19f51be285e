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
    # A request in Swedish leaves Swedish active in this thread; each test starts in English.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _data_migrations_in_transactional_tests(request):
    """Transactional tests start from a flushed database after another one ran; put back
    what the data migrations load (roles, focus areas, criteria), with their own code.

    Transactional tests should also ask for serialized_rollback=True: the flush after a
    test without it re-creates content types with new ids, and the next test that
    restores the serialized database then collides with them."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group

    if not Group.objects.exists():
        restore_data_migrations()


def restore_data_migrations():
    from importlib import import_module

    from django.apps import apps

    steps = [
        ("accounts.migrations.0002_role_groups", "create_groups"),
        ("partnerships.migrations.0002_focus_areas_and_selection_criteria", "load"),
        (
            "partnerships.migrations.0009_names_in_swedish_for_focus_areas_and_criteria",
            "add_swedish",
        ),
        ("agreements.migrations.0002_role_permissions", "grant"),
        ("agreements.migrations.0007_programme_period_permissions", "grant"),
        ("evaluations.migrations.0002_roles_and_existing_periods", "forwards"),
        ("partnerships.migrations.0006_dialogue_role_permissions", "grant"),
        ("webhooks.migrations.0002_manager_permissions", "grant"),
        ("portal.migrations.0002_partner_users_group_and_role_permissions", "grant"),
    ]
    for module, function in steps:
        getattr(import_module(module), function)(apps, None)


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


def log_in(client, user):
    """Log in as a user who has been active a moment ago, so the session is in its
    steady state (core.middleware refreshes it only every few minutes)."""
    import time

    client.force_login(user)
    session = client.session
    session["last_seen"] = int(time.time())
    session.save()
    return client


@pytest.fixture
def staff_client(client, staff):
    return log_in(client, staff)


@pytest.fixture
def manager_client(client, manager):
    return log_in(client, manager)


def service_required(reason: str):
    """Skip when a service is missing, but fail under REQUIRE_SERVICES=1 (CI)."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    """A free TCP port on loopback for a server a test starts."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    """The test database as a DATABASE_URL, for a process a test starts to use too."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )


# Not a test, though pytest would collect it by its name.
test_database_url.__test__ = False
