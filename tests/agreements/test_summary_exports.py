"""Many summaries as one ZIP: at once for a few, in the background with progress for many."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone

from agreements import exports, tasks
from agreements.exports import delete_expired_exports
from agreements.models import SummaryExport, SummaryExportStatus
from config.celery import app as celery_app
from tests.factories import AgreementFactory, UserFactory


@pytest.fixture
def tasks_run_in_process():
    """Celery runs queued tasks at once, in this process (no worker in this test)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def test_many_summaries_are_made_in_the_background_with_progress(
    staff_client, settings, tasks_run_in_process
):
    settings.PDF_ZIP_AT_ONCE = 2
    agreements = [AgreementFactory(approved=True) for _ in range(3)]
    response = staff_client.get("/agreements/summaries.zip", {"state": "active"})
    export = SummaryExport.objects.get()
    assert response.url == f"/agreements/summaries/{export.pk}/"
    assert (export.status, export.total, export.done) == (SummaryExportStatus.DONE, 3, 3)

    page = staff_client.get(response.url).content.decode()
    assert "All 3 summaries are ready." in page
    download = staff_client.get(f"/agreements/summaries/{export.pk}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(archive.namelist()) == sorted(f"{a.reference}-summary.pdf" for a in agreements)


def test_a_running_export_shows_a_progress_bar_that_refreshes(staff_client, staff):
    export = SummaryExport.objects.create(
        requested_by=staff,
        agreement_ids=[1, 2, 3, 4],
        total=4,
        done=1,
        status=SummaryExportStatus.RUNNING,
    )
    html = staff_client.get(f"/agreements/summaries/{export.pk}/").content.decode()
    assert '<progress id="export-progress" max="4" value="1">' in html
    assert "1 of 4 summaries made" in html
    assert '<meta http-equiv="refresh" content="2">' in html


def test_someone_elses_export_is_not_shown(client, staff):
    export = SummaryExport.objects.create(
        requested_by=staff, total=1, status=SummaryExportStatus.DONE
    )
    client.force_login(UserFactory(staff=True))
    assert client.get(f"/agreements/summaries/{export.pk}/").status_code == 404
    assert client.get(f"/agreements/summaries/{export.pk}/download/").status_code == 404


def test_when_the_queue_is_down_the_page_says_so(staff_client, settings, monkeypatch):
    import agreements.views.pdf as views_pdf

    settings.PDF_ZIP_AT_ONCE = 1
    AgreementFactory(approved=True)
    AgreementFactory(approved=True)
    monkeypatch.setattr(views_pdf, "enqueue", lambda task, *args: None)
    response = staff_client.get("/agreements/summaries.zip", follow=True)
    assert "Background work is unavailable right now" in response.content.decode()
    assert SummaryExport.objects.get().status == SummaryExportStatus.FAILED


def test_exports_expire_after_a_day(staff_client, settings, tasks_run_in_process):
    settings.PDF_ZIP_AT_ONCE = 0
    AgreementFactory(approved=True)
    staff_client.get("/agreements/summaries.zip")
    export = SummaryExport.objects.get()
    stored = export.file.path
    SummaryExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    response = staff_client.get(f"/agreements/summaries/{export.pk}/download/", follow=True)
    assert "expires after a day" in response.content.decode()
    assert delete_expired_exports() == 1
    assert not SummaryExport.objects.exists()
    import os

    assert not os.path.exists(stored)


def _running_export(user, agreements, *, last_progress_ago, done=1):
    """An export a worker was making when it last counted a summary `last_progress_ago`."""
    export = SummaryExport.objects.create(
        requested_by=user,
        agreement_ids=[agreement.pk for agreement in agreements],
        total=len(agreements),
        done=done,
        status=SummaryExportStatus.RUNNING,
    )
    SummaryExport.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - last_progress_ago
    )
    return export


def test_a_redelivered_task_takes_over_an_export_whose_worker_died(staff, settings):
    settings.SUMMARY_EXPORT_STALE_SECONDS = 120
    agreements = [AgreementFactory(approved=True) for _ in range(2)]
    export = _running_export(staff, agreements, last_progress_ago=datetime.timedelta(minutes=3))
    tasks.build_summary_export(str(export.pk))  # the broker hands the task out again
    export.refresh_from_db()
    assert (export.status, export.done, export.total) == (SummaryExportStatus.DONE, 2, 2)
    archive = zipfile.ZipFile(export.file.open("rb"))
    assert sorted(archive.namelist()) == sorted(f"{a.reference}-summary.pdf" for a in agreements)


def test_an_export_its_worker_is_still_making_is_left_to_it(staff_client, staff, settings):
    settings.SUMMARY_EXPORT_STALE_SECONDS = 120
    agreements = [AgreementFactory(approved=True) for _ in range(2)]
    export = _running_export(staff, agreements, last_progress_ago=datetime.timedelta(seconds=5))
    tasks.build_summary_export(str(export.pk))  # a duplicate delivery
    export.refresh_from_db()
    assert (export.status, export.done) == (SummaryExportStatus.RUNNING, 1)
    html = staff_client.get(f"/agreements/summaries/{export.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html


def test_an_export_whose_worker_died_fails_and_its_page_stops_refreshing(
    staff_client, staff, settings
):
    settings.SUMMARY_EXPORT_STALE_SECONDS = 120
    export = _running_export(
        staff, [AgreementFactory(approved=True)], last_progress_ago=datetime.timedelta(minutes=3)
    )
    html = staff_client.get(f"/agreements/summaries/{export.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "No background worker is making these summaries any more" in html
    export.refresh_from_db()
    assert export.status == SummaryExportStatus.FAILED


def test_the_periodic_sweep_fails_abandoned_exports_and_leaves_the_others(staff, settings):
    settings.SUMMARY_EXPORT_STALE_SECONDS = 120
    agreement = AgreementFactory(approved=True)
    abandoned = _running_export(staff, [agreement], last_progress_ago=datetime.timedelta(hours=1))
    working = _running_export(staff, [agreement], last_progress_ago=datetime.timedelta(seconds=5))
    never_started = SummaryExport.objects.create(requested_by=staff, agreement_ids=[1], total=1)
    SummaryExport.objects.filter(pk=never_started.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    waiting = SummaryExport.objects.create(requested_by=staff, agreement_ids=[1], total=1)
    from_before_heartbeats = SummaryExport.objects.create(
        requested_by=staff, agreement_ids=[1], total=1, status=SummaryExportStatus.RUNNING
    )
    SummaryExport.objects.filter(pk=from_before_heartbeats.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert tasks.fail_abandoned_summary_exports() == 3
    statuses = {
        name: SummaryExport.objects.get(pk=export.pk).status
        for name, export in {
            "abandoned": abandoned,
            "working": working,
            "never_started": never_started,
            "waiting": waiting,
            "from_before_heartbeats": from_before_heartbeats,
        }.items()
    }
    assert statuses == {
        "abandoned": SummaryExportStatus.FAILED,
        "working": SummaryExportStatus.RUNNING,
        "never_started": SummaryExportStatus.FAILED,
        "waiting": SummaryExportStatus.QUEUED,
        "from_before_heartbeats": SummaryExportStatus.FAILED,
    }
    assert "fail-abandoned-summary-exports" in settings.CELERY_BEAT_SCHEDULE


def test_a_worker_that_was_taken_over_stops_and_leaves_the_export_alone(staff, settings):
    """The first worker was only slow: its next count finds the export taken over."""
    settings.SUMMARY_EXPORT_STALE_SECONDS = 120
    agreements = [AgreementFactory(approved=True) for _ in range(2)]
    export = SummaryExport.objects.create(
        requested_by=staff, agreement_ids=[a.pk for a in agreements], total=2
    )
    first_attempt = exports.claim_export(export.pk)  # the first worker starts, then stalls
    SummaryExport.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    exports.build_summary_export(str(export.pk))  # a second worker takes over and finishes
    assert exports.record_progress(export.pk, first_attempt, done=1) is False
    export.refresh_from_db()
    assert (export.status, export.done, export.attempt) == (SummaryExportStatus.DONE, 2, 2)
