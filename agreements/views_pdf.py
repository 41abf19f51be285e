"""PDF summaries of agreements: one as a download, or the filtered list as a ZIP."""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import selectors
from agreements.filters import AgreementFilter
from agreements.models import Agreement
from agreements.pdf import render_summary_pdf, summaries_zip, summary_filename


@permission_required("agreements.view_agreement", raise_exception=True)
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


@permission_required("agreements.view_agreement", raise_exception=True)
def agreement_summaries_zip(request):
    """A ZIP of the summaries of the agreements the list shows with the same filters.

    Every summary is rendered during the request, so the number is capped at
    settings.PDF_ZIP_MAX; above it the user goes back to the list with a message.
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
        messages.warning(request, _("No agreements match these filters; there is nothing to download."))
        return redirect(list_url)
    pks = list(agreement_filter.qs.values_list("pk", flat=True))
    # One agreement at a time, read the way the PDF needs it, so memory holds one
    # agreement's rows besides the growing ZIP.
    agreements = (selectors.agreement_detail(pk) for pk in pks)
    archive = summaries_zip(agreements, user=request.user)
    return FileResponse(
        io.BytesIO(archive),
        as_attachment=True,
        filename=f"agreement-summaries-{timezone.localdate().isoformat()}.zip",
        content_type="application/zip",
    )
