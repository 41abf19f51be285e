"""The partner's declaration as a PDF, made like the agreement summaries (agreements/pdf.py:
WeasyPrint, our print stylesheet, nothing fetched but our own static files)."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from agreements.pdf import PDF_BASE_URL, PRINT_STYLESHEET_URL, StaticFilesOnlyFetcher


def render_declaration_pdf(declaration) -> bytes:
    html = render_to_string(
        "portal/declaration_pdf.html",
        {
            "declaration": declaration,
            "partner": declaration.partner,
            "organisation_name": settings.ORGANISATION_NAME,
        },
    )
    fetcher = StaticFilesOnlyFetcher()
    stylesheet = CSS(url=PRINT_STYLESHEET_URL, url_fetcher=fetcher)
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])
