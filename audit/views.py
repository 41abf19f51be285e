from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import pdf
from audit.forms import AuditFilterForm, local_time
from audit.permissions import can_view_audit
from audit.sources import SOURCES, audit_entries
from core.csv_export import csv_response
from core.links import absolute_url
from core.pagination import paginate
from core.permissions import rule_required

# Rows a page of the trail shows.
ENTRIES_PER_PAGE = 50


@rule_required(can_view_audit)
def audit_trail(request):
    form = AuditFilterForm.from_request(request.GET)
    entries = audit_entries(form.window(), form.kinds()) if form.is_valid() else []
    return render(
        request,
        "audit/audit_trail.html",
        {
            "form": form,
            "page": paginate(request, entries, per_page=ENTRIES_PER_PAGE),
            "query": request.GET.urlencode(),
        },
    )


CSV_COLUMNS = ["when", "kind", "decision", "who", "partner", "record", "rule", "details", "link"]


@rule_required(can_view_audit)
def audit_export(request):
    """The trail as CSV, one row per decision, as the page lists them."""
    form = AuditFilterForm.from_request(request.GET)
    if not form.is_valid():
        return redirect(f"{reverse('audit:audit_trail')}?{request.GET.urlencode()}")
    kinds = {source.kind: str(source.label) for source in SOURCES}

    def rows():
        for entry in audit_entries(form.window(), form.kinds()):
            yield [
                local_time(entry.when),
                kinds[entry.kind],
                entry.decision,
                str(entry.who),
                entry.partner.name if entry.partner else "",
                entry.record,
                entry.rule,
                "; ".join(entry.details),
                absolute_url(entry.url),
            ]

    today = timezone.localdate().isoformat()
    return csv_response(f"audit-trail-{today}.csv", CSV_COLUMNS, rows())


@rule_required(can_view_audit)
def audit_report_pdf(request):
    """The trail as a PDF report, for filing. Very long ranges are refused: narrow them
    (or take the CSV, which has no limit)."""
    form = AuditFilterForm.from_request(request.GET)
    back = f"{reverse('audit:audit_trail')}?{request.GET.urlencode()}"
    if not form.is_valid():
        return redirect(back)
    entries = audit_entries(form.window(), form.kinds())
    if len(entries) > settings.AUDIT_PDF_MAX_ENTRIES:
        messages.error(
            request,
            _(
                "%(count)s decisions are too many for one PDF (at most %(max)s). Narrow the "
                "range or the kinds, or download the CSV."
            )
            % {"count": len(entries), "max": settings.AUDIT_PDF_MAX_ENTRIES},
        )
        return redirect(back)
    content = pdf.render_audit_pdf(entries, filters=form.describe(), user=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"audit-trail-{timezone.localdate().isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
