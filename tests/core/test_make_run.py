"""Smoke test: `make run`, as a newcomer types it, serves the login page over HTTP."""

import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_make_run_migrates_seeds_and_serves_the_login_page_with_a_worker(tmp_path):
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "REDIS_URL"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'smoke.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        CELERY_BROKER_URL="filesystem://",
        DEBUG="True",
    )
    log_path = tmp_path / "make-run.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        body = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as reply:
                    body = reply.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert body is not None, log_path.read_text()
        assert "Log in" in body
        assert 'name="username"' in body
        # The worker with beat that sends reminders starts beside the web server.
        # ("Demo data ready." also says ready: wait for the worker's own line.)
        worker_ready = re.compile(r"celery@\S+ ready\.")

        def started(output):
            return worker_ready.search(output) and "beat: Starting" in output

        while time.monotonic() < deadline and not started(log_path.read_text()):
            time.sleep(0.5)
        output = log_path.read_text()
        assert worker_ready.search(output), output
        assert "beat: Starting" in output, output
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    assert "Demo data ready" in log_path.read_text()
