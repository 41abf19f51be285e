"""The audit trail as an A4 PDF report, made as the agreement summaries are: WeasyPrint
with our print stylesheet, through agreements.pdf.StaticFilesOnlyFetcher, so nothing
the entries contain can read a file or reach the network."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML

from agreements.pdf import PDF_BASE_URL, PRINT_STYLESHEET_URL, StaticFilesOnlyFetcher
from audit.sources import SOURCES


def render_audit_pdf(entries, *, filters: str, user) -> bytes:
    html = render_to_string(
        "audit/report_pdf.html",
        {
            "entries": entries,
            "kinds": {source.kind: source.label for source in SOURCES},
            "filters": filters,
            "organisation_name": settings.ORGANISATION_NAME,
            "generated_at": timezone.localtime(),
            "generated_by": user,
        },
    )
    fetcher = StaticFilesOnlyFetcher()
    stylesheet = CSS(url=PRINT_STYLESHEET_URL, url_fetcher=fetcher)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet]
    )
