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
