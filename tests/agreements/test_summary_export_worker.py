"""A real Celery worker killed while it makes a summary ZIP: the export does not stay
"running" for ever; the task delivered again to another worker takes it over."""

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from agreements.models import SummaryExport, SummaryExportStatus
from tests.conftest import test_database_url
from tests.factories import AgreementFactory, UserFactory
from tests.live_server import wait_for
from tests.reminders.test_celery_integration import redis_url  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
STALE_SECONDS = 3


def _start_worker(broker_url, log, media_root):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        "MEDIA_ROOT": str(media_root),
        "SUMMARY_EXPORT_STALE_SECONDS": str(STALE_SECONDS),
        "REMINDERS_ON_WORKER_START": "False",
        "DEBUG": "True",
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
            + ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    wait_for(lambda: "ready" in log.read_text(), timeout=90, what="the worker to start")
    return process


def _stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)


def _send(broker_url, export):
    from agreements.tasks import build_summary_export
    from config.celery import app

    with app.connection_for_write(broker_url) as connection:
        build_summary_export.apply_async(args=[str(export.pk)], connection=connection)


def _export(export):
    return SummaryExport.objects.get(pk=export.pk)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_workers_zip_is_taken_over_by_the_task_delivered_again(
    redis_url,  # noqa: F811
    tmp_path,
    settings,
):
    agreements = [AgreementFactory(approved=True) for _ in range(12)]
    export = SummaryExport.objects.create(
        requested_by=UserFactory(staff=True),
        agreement_ids=[agreement.pk for agreement in agreements],
        total=len(agreements),
    )
    first = _start_worker(redis_url, tmp_path / "first.log", settings.MEDIA_ROOT)
    try:
        _send(redis_url, export)
        wait_for(lambda: _export(export).done >= 2, timeout=120, what="two summaries made")
        _stop(first, signal.SIGKILL)  # the machine ran out of memory, say
    finally:
        _stop(first, signal.SIGKILL)
    stopped = _export(export)
    assert stopped.status == SummaryExportStatus.RUNNING and stopped.done < stopped.total

    # Once no heartbeat came for the stale time, the task handed out again (as the
    # broker does with a task whose worker never acknowledged it) finishes it.
    second = _start_worker(redis_url, tmp_path / "second.log", settings.MEDIA_ROOT)
    try:
        time.sleep(STALE_SECONDS + 1)
        _send(redis_url, export)
        wait_for(
            lambda: _export(export).status == SummaryExportStatus.DONE,
            timeout=120,
            what="the export to be finished by the second worker",
        )
    finally:
        _stop(second)
    finished = _export(export)
    assert (finished.done, finished.attempt) == (12, 2)
    archive = zipfile.ZipFile(io.BytesIO(finished.file.open("rb").read()))
    assert sorted(archive.namelist()) == sorted(f"{a.reference}-summary.pdf" for a in agreements)
