"""PDF summaries of agreements: one as a download, or the filtered list as a ZIP."""

import io

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import exports, permissions, selectors, tasks
from agreements.filters import AgreementFilter
from agreements.models import Agreement, SummaryExport, SummaryExportStatus
from agreements.pdf import render_summary_pdf, summaries_zip, summary_filename
from core.permissions import rule_required
from core.queue import enqueue


@rule_required(permissions.can_view_agreements)
def agreement_summary_pdf(request, pk):
    """The agreement's summary as `<reference>-summary.pdf`."""
    try:
        agreement = selectors.agreement_detail(pk)
    except Agreement.DoesNotExist:
        raise Http404 from None
    pdf = render_summary_pdf(agreement, user=request.user)
    return FileResponse(
        io.BytesIO(pdf),
        as_attachment=True,
        filename=summary_filename(agreement),
        content_type="application/pdf",
    )


@rule_required(permissions.can_view_agreements)
def agreement_summaries_zip(request):
    """A ZIP of the summaries of the agreements the list shows with the same filters.

    Up to settings.PDF_ZIP_AT_ONCE the ZIP is made during the request; more (up to
    settings.PDF_ZIP_MAX) are made by a background task whose progress page offers the
    file when it is ready. Above the cap the user goes back to the list with a message.
    """
    agreement_filter = AgreementFilter(
        request.GET, queryset=selectors.agreement_list_queryset(), request=request
    )
    list_url = f"{reverse('agreements:agreement_list')}?{request.GET.urlencode()}"
    if not agreement_filter.is_valid():
        # The list page shows what is wrong with the filters.
        return redirect(list_url)
    limit = getattr(settings, "PDF_ZIP_MAX", 500)
    count = agreement_filter.qs.count()
    if count > limit:
        messages.error(
            request,
            _(
                "%(count)s agreements match these filters. At most %(limit)s summaries can be downloaded at once: narrow the filters and try again."
            )
            % {"count": count, "limit": limit},
        )
        return redirect(list_url)
    if count == 0:
        messages.warning(
            request, _("No agreements match these filters; there is nothing to download.")
        )
        return redirect(list_url)
    pks = list(agreement_filter.qs.values_list("pk", flat=True))
    if count > settings.PDF_ZIP_AT_ONCE:
        return _start_background_export(request, pks, list_url)
    # One agreement at a time, read the way the PDF needs it, so memory holds one
    # agreement's rows besides the growing ZIP.
    agreements = (selectors.agreement_detail(pk) for pk in pks)
    archive = summaries_zip(agreements, user=request.user)
    return FileResponse(
        io.BytesIO(archive),
        as_attachment=True,
        filename=_zip_name(),
        content_type="application/zip",
    )


def _zip_name():
    return f"agreement-summaries-{timezone.localdate().isoformat()}.zip"


def _start_background_export(request, pks, list_url):
    export = SummaryExport.objects.create(
        requested_by=request.user, agreement_ids=pks, total=len(pks)
    )
    if enqueue(tasks.build_summary_export, str(export.pk)) is None:
        export.status = SummaryExportStatus.FAILED
        export.error = "queue unavailable"
        export.save(update_fields=["status", "error"])
        messages.error(
            request,
            _(
                "Background work is unavailable right now, so %(count)s summaries cannot be made. "
                "Narrow the filters to at most %(limit)s agreements to download them at once, "
                "or try again later."
            )
            % {"count": len(pks), "limit": settings.PDF_ZIP_AT_ONCE},
        )
        return redirect(list_url)
    return redirect("agreements:summary_export", pk=export.pk)


def _own_export(request, pk) -> SummaryExport:
    export = get_object_or_404(SummaryExport, pk=pk)
    if export.requested_by_id != request.user.pk:
        raise Http404  # someone else's download is not shown, not even its existence
    return export


@rule_required(permissions.can_view_agreements)
def summary_export(request, pk):
    """Progress of a background ZIP; refreshes itself (no JavaScript) until ready, or
    until it turns out its worker stopped."""
    export = _own_export(request, pk)
    if exports.fail_abandoned_exports(export.pk):
        export.refresh_from_db()
    return render(request, "agreements/summary_export.html", {"export": export})


@rule_required(permissions.can_view_agreements)
def summary_export_download(request, pk):
    export = _own_export(request, pk)
    if export.status != SummaryExportStatus.DONE or export.is_expired or not export.file:
        messages.error(request, _("This download is not available (it expires after a day)."))
        return redirect("agreements:agreement_list")
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=_zip_name(),
        content_type="application/zip",
    )
