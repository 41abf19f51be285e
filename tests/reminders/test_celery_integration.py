"""A real Redis server and a real Celery worker send the day's reminders once."""

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import pytest

from reminders.models import Delivery, DeliveryStatus, Reminder
from tests.conftest import free_port, service_required, test_database_url
from tests.factories import AgreementFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
DAY = datetime.date.today() + datetime.timedelta(days=1)


def _wait_for(condition, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def redis_url():
    redis_server = shutil.which("redis-server")
    if not redis_server:
        service_required("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [
            redis_server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: _port_open(port), timeout=20, what="redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _port_open(port) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def worker(redis_url, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "REMINDERS_ON_WORKER_START": "False",
        "DEBUG": "True",
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for(lambda: "ready" in log.read_text(), timeout=60, what="the worker to start")
        yield {"mail_dir": mail_dir, "log": log, "broker": redis_url}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _emails(mail_dir):
    messages = []
    for path in sorted(mail_dir.iterdir()):
        # The file backend writes each message followed by a line of dashes.
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.strip()))
    return messages


def _run_daily_job(broker_url, log):
    from config.celery import app
    from reminders.tasks import send_daily_reminders

    with app.connection_for_write(broker_url) as conn:
        result = send_daily_reminders.apply_async(args=[DAY.isoformat()], connection=conn)
    _wait_for(
        lambda: f"send_daily_reminders[{result.id}] succeeded" in log.read_text(),
        what="the daily job",
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_each_reminder_once(worker):
    responsible = UserFactory(staff=True, email="anna@example.org")
    manager = UserFactory(manager=True, email="maria@example.org")
    agreement = AgreementFactory(
        approved=True,
        created_by=responsible,
        approved_by=manager,
        start_date=DAY - datetime.timedelta(days=300),
        end_date=DAY + datetime.timedelta(days=30),
    )

    _run_daily_job(worker["broker"], worker["log"])
    # Ending in 30 days: to Anna and Maria. The agreement's only evaluation period ends
    # with it, so its evaluation is due soon too: to Anna.
    _wait_for(
        lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 3,
        what="three deliveries sent",
    )
    _run_daily_job(worker["broker"], worker["log"])
    time.sleep(2)  # give a wrongly queued second email time to appear

    messages = _emails(worker["mail_dir"])
    sent = sorted((message["To"], message["Subject"].split(":")[0]) for message in messages)
    assert sent == [
        ("anna@example.org", f"{agreement.reference} ends on {agreement.end_date.isoformat()}"),
        ("anna@example.org", "Due soon"),
        ("maria@example.org", f"{agreement.reference} ends on {agreement.end_date.isoformat()}"),
    ]
    assert all(message.is_multipart() for message in messages)  # text and HTML parts
    period = agreement.evaluation_periods.get()
    assert sorted(Reminder.objects.values_list("claim_key", flat=True)) == [
        f"agreement_ending:{agreement.pk}:30",
        f"evaluation_due_soon:{period.pk}",
    ]
