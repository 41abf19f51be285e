"""Many agreement summaries as one ZIP, made in a background task with its progress
stored on a SummaryExport row the progress page reads.

A worker can die while it makes a ZIP (killed, out of memory, the machine restarted).
So the worker writes a heartbeat with every summary it counts, and an export that is
"running" without one for SUMMARY_EXPORT_STALE_SECONDS has no worker any more: a task
delivered again takes it over, and otherwise the progress page and a periodic sweep
mark it failed, so nobody waits for it forever. Each claim raises the export's
attempt, and a worker writes only under its own attempt: one that was only slow and
got taken over stops at its next count."""

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.files.base import File
from django.db.models import F, Q
from django.utils import timezone

from agreements import selectors
from agreements.models import ABANDONED_ERROR, SummaryExport, SummaryExportStatus
from agreements.pdf import write_summaries_zip

logger = logging.getLogger(__name__)

# An export still waiting this long after it was asked for was never handed to a worker
# (the message was lost): it fails too, so its page stops waiting.
NEVER_STARTED_AFTER = datetime.timedelta(hours=1)


class TakenOver(Exception):
    """Another worker claimed the export, or it was marked failed, while this one ran."""


def _running_without_a_worker(now) -> Q:
    """Running, and no heartbeat for SUMMARY_EXPORT_STALE_SECONDS (rows from before
    heartbeats count from when they were asked for)."""
    stale_before = now - datetime.timedelta(seconds=settings.SUMMARY_EXPORT_STALE_SECONDS)
    return Q(status=SummaryExportStatus.RUNNING) & (
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at=None, created_at__lt=stale_before)
    )


def claim_export(export_id) -> int | None:
    """Claim a waiting export, or take over one whose worker stopped; the attempt to
    write under, or None if another worker has it (or it is finished)."""
    now = timezone.now()
    claimable = Q(status=SummaryExportStatus.QUEUED) | _running_without_a_worker(now)
    claimed = SummaryExport.objects.filter(claimable, pk=export_id).update(
        status=SummaryExportStatus.RUNNING, heartbeat_at=now, done=0, attempt=F("attempt") + 1
    )
    if not claimed:
        return None
    return SummaryExport.objects.values_list("attempt", flat=True).get(pk=export_id)


def record_progress(export_id, attempt: int, *, done: int) -> bool:
    """Count `done` summaries and beat the heart; False if the export is no longer ours."""
    return bool(
        SummaryExport.objects.filter(
            pk=export_id, attempt=attempt, status=SummaryExportStatus.RUNNING
        ).update(done=done, heartbeat_at=timezone.now())
    )


def build_summary_export(export_id) -> None:
    """Render every summary of the export into its ZIP, counting progress as it goes."""
    attempt = claim_export(export_id)
    if attempt is None:
        return  # already made, or being made by a worker that is alive
    export = SummaryExport.objects.select_related("requested_by").get(pk=export_id)
    agreements = (selectors.agreement_detail(pk) for pk in export.agreement_ids)
    ours = SummaryExport.objects.filter(
        pk=export.pk, attempt=attempt, status=SummaryExportStatus.RUNNING
    )

    def progress(done):
        if not record_progress(export.pk, attempt, done=done):
            raise TakenOver

    try:
        with tempfile.TemporaryFile() as target:
            write_summaries_zip(target, agreements, user=export.requested_by, on_progress=progress)
            target.seek(0)
            export.file.save(f"{export.pk}.zip", File(target), save=False)
    except TakenOver:
        logger.warning("summary export %s: taken over, attempt %s stops", export_id, attempt)
        return
    except Exception as error:
        logger.exception("summary export %s failed", export_id)
        ours.update(status=SummaryExportStatus.FAILED, error=str(error)[:1000])
        raise
    finished = ours.update(
        status=SummaryExportStatus.DONE,
        file=export.file.name,
        done=F("total"),
        heartbeat_at=timezone.now(),
    )
    if not finished:
        # Taken over or failed while the last summary was written: the file is not ours.
        export.file.delete(save=False)


def fail_abandoned_exports(export_id=None) -> int:
    """Mark failed the exports no worker is making any more: running without a heartbeat
    for SUMMARY_EXPORT_STALE_SECONDS, or waiting for longer than NEVER_STARTED_AFTER.
    All of them, or only `export_id` (its progress page). Returns how many."""
    now = timezone.now()
    abandoned = SummaryExport.objects.filter(
        _running_without_a_worker(now)
        | Q(status=SummaryExportStatus.QUEUED, created_at__lt=now - NEVER_STARTED_AFTER)
    )
    if export_id is not None:
        abandoned = abandoned.filter(pk=export_id)
    return abandoned.update(
        status=SummaryExportStatus.FAILED,
        error=f"{ABANDONED_ERROR} no worker made progress for "
        f"{settings.SUMMARY_EXPORT_STALE_SECONDS} s",
    )


def delete_expired_exports() -> int:
    """Delete exports (and their files) older than their lifetime."""
    cutoff = timezone.now() - SummaryExport.EXPORT_LIFETIME
    expired = list(SummaryExport.objects.filter(created_at__lt=cutoff))
    for export in expired:
        if export.file:
            export.file.delete(save=False)
        export.delete()
    return len(expired)
