"""Faults, with the real servers stopped and started: PostgreSQL restarting under a
running application, Redis going away and coming back. (An SMTP server that refuses
and later accepts is in tests/reminders/test_smtp_failure.py.)"""

import os
import subprocess
import sys
import time

import pytest

from agreements.models import Agreement, Status
from partnerships.models import Partner
from tests.agreements.test_views import agreement_data
from tests.conftest import test_database_url
from tests.factories import AgreementFactory, UserFactory
from tests.live_server import ROOT, LiveServer, RedisServer, wait_for
from tests.partnerships.test_partner_form import partner_data
from tests.private_postgres import PrivatePostgres

PASSWORD = "fault-test-password"
DELAYED = "Background work is unavailable right now"


def _manage(*arguments, env, timeout=300):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.live_settings", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.slow
def test_the_app_answers_again_after_postgresql_restarts(tmp_path):
    with PrivatePostgres() as postgres:
        env = {"DATABASE_URL": postgres.url()}
        _manage("migrate", "--noinput", env=env)
        _manage(
            "createsuperuser",
            "--noinput",
            "--username=nightshift",
            "--email=nightshift@example.org",
            env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        )
        # One sync worker: every request uses the same kept-open connection
        # (CONN_MAX_AGE), which the restart breaks.
        with LiveServer(
            database_url=postgres.url(), log_path=tmp_path / "server.log", workers=1
        ) as server:
            client = server.client()
            assert client.log_in("nightshift", PASSWORD).status == 302
            assert client.get("/partners/").status == 200
            assert client.get("/").status == 200

            postgres.restart()

            # The very first request after the restart: the health check finds the
            # old connection dead and opens a new one, with no restart of the app.
            assert client.get("/partners/").status == 200
            assert client.get("/").status == 200
            assert client.get("/agreements/").status == 200
            log = server.log()
        assert "Traceback" not in log, log[-4000:]


def _register_draft_submit(client, staff, number):
    name = f"Partner while Redis is down {number}"
    form = partner_data(staff, name=name, organisation_number="", **{"contacts-TOTAL_FORMS": "0"})
    response = client.post("/partners/new/", form)
    assert response.status == 302, response.errors()
    assert "registered" in " ".join(text for _, text in client.follow(response).messages())
    partner = Partner.objects.get(name=name)

    response = client.post(
        "/agreements/new/", agreement_data(partner, staff, title=f"Avtal utan Redis {number}")
    )
    assert response.status == 302, response.errors()
    agreement = Agreement.objects.get(title=f"Avtal utan Redis {number}")
    response = client.post(f"/agreements/{agreement.pk}/submit/", {})
    assert "is submitted" in " ".join(text for _, text in client.follow(response).messages())
    return agreement


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_redis_stopped_pages_work_and_say_what_is_delayed(tmp_path):
    staff = UserFactory(username="fault_staff", staff=True, password=PASSWORD)
    UserFactory(username="fault_manager", manager=True, password=PASSWORD)
    AgreementFactory(approved=True)
    AgreementFactory(approved=True)

    with RedisServer() as redis:
        queue = {
            "REDIS_URL": redis.url,
            "CELERY_BROKER_URL": redis.url,
            "CELERY_RESULT_BACKEND": redis.url,
            # Pages look at the broker again after a second (30 s by default).
            "QUEUE_CHECK_SECONDS": "1",
            # Two summaries already make a background download.
            "PDF_ZIP_AT_ONCE": "1",
        }
        with LiveServer(
            database_url=test_database_url(), log_path=tmp_path / "server.log", env=queue
        ) as server:
            author, manager = server.client(), server.client()
            assert author.log_in("fault_staff", PASSWORD).status == 302
            assert manager.log_in("fault_manager", PASSWORD).status == 302

            # Redis up: nothing is delayed, a large download is queued.
            assert DELAYED not in author.get("/").text
            response = author.get("/agreements/summaries.zip")
            assert response.status == 302 and "/agreements/summaries/" in response.location

            redis.stop()
            time.sleep(1.5)  # past QUEUE_CHECK_SECONDS

            dashboard = author.get("/")
            assert dashboard.status == 200
            assert DELAYED in dashboard.text
            assert "reminder emails" in dashboard.text
            assert dashboard.seconds < 15  # the broker check does not hang the page
            assert DELAYED in manager.get("/").text

            # Everything that does not need background work goes on as usual.
            agreement = _register_draft_submit(author, staff, 1)
            response = manager.post(f"/agreements/{agreement.pk}/approve/", {"conflict": "none"})
            assert "is approved" in " ".join(t for _, t in manager.follow(response).messages())
            agreement.refresh_from_db()
            assert agreement.status == Status.APPROVED

            # A large download cannot be queued: the user is told, promptly.
            response = author.get("/agreements/summaries.zip")
            assert response.status == 302 and response.seconds < 15
            page = author.follow(response)
            assert DELAYED in page.text and page.status == 200

            redis.start()
            # Back without restarting the application.
            wait_for(lambda: DELAYED not in author.get("/").text, timeout=60, what="the notice")
            response = author.get("/agreements/summaries.zip")
            assert response.status == 302 and "/agreements/summaries/" in response.location
            log = server.log()
    assert "Traceback" not in log, log[-4000:]
