"""Many agreement summaries as one ZIP, made in a background task with its progress
stored on a SummaryExport row the progress page reads."""

import logging
import tempfile

from django.core.files.base import File
from django.db.models import F
from django.utils import timezone

from agreements import selectors
from agreements.models import SummaryExport, SummaryExportStatus
from agreements.pdf import write_summaries_zip

logger = logging.getLogger(__name__)


def build_summary_export(export_id) -> None:
    """Render every summary of the export into its ZIP, counting progress as it goes."""
    claimed = SummaryExport.objects.filter(pk=export_id, status=SummaryExportStatus.QUEUED).update(
        status=SummaryExportStatus.RUNNING
    )
    if not claimed:
        return  # already made, or being made by another worker
    export = SummaryExport.objects.select_related("requested_by").get(pk=export_id)
    agreements = (selectors.agreement_detail(pk) for pk in export.agreement_ids)

    def progress(done):
        SummaryExport.objects.filter(pk=export.pk).update(done=done)

    try:
        with tempfile.TemporaryFile() as target:
            write_summaries_zip(target, agreements, user=export.requested_by, on_progress=progress)
            target.seek(0)
            export.file.save(f"{export.pk}.zip", File(target), save=False)
    except Exception as error:
        logger.exception("summary export %s failed", export_id)
        SummaryExport.objects.filter(pk=export.pk).update(
            status=SummaryExportStatus.FAILED, error=str(error)[:1000]
        )
        raise
    SummaryExport.objects.filter(pk=export.pk).update(
        status=SummaryExportStatus.DONE, file=export.file.name, done=F("total")
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
