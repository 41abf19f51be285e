"""Pages that queue work keep working while Redis is down."""

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_enqueue_returns_none_quickly_when_redis_is_down():
    code = (
        "import django; django.setup()\n"
        "from core.queue import enqueue\n"
        "from reminders.tasks import send_daily_reminders\n"
        "print('result:', enqueue(send_daily_reminders))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "result: None" in result.stdout
    assert elapsed < 20


def test_queue_available_says_no_quickly_when_redis_is_down():
    code = (
        "import django; django.setup()\n"
        "from core.queue import queue_available\n"
        "print('available:', queue_available(), queue_available())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "available: False False" in result.stdout
    assert time.monotonic() - started < 20


def test_the_dashboard_says_what_is_delayed_while_the_queue_is_down(staff_client, monkeypatch):
    from dashboard import panels as dashboard

    assert "Background work is unavailable" not in staff_client.get("/").content.decode()
    monkeypatch.setattr(dashboard, "queue_available", lambda: False)
    page = staff_client.get("/").content.decode()
    assert "Background work is unavailable right now: reminder emails and summary downloads" in page
