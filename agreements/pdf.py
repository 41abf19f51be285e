"""Agreement summaries as A4 PDFs, made with WeasyPrint from a template and our print
stylesheet (templates/agreements/summary_pdf.html, static/css/print.css).

WeasyPrint fetches every stylesheet, image and font a document names. A summary holds
text that users typed, so every render goes through StaticFilesOnlyFetcher: it serves
our own static files and refuses everything else. Autoescaping already shows hostile
markup as text; the fetcher makes sure that even markup that slipped through could
neither read a local file nor make a network request.
"""

import datetime
import io
import mimetypes
import urllib.request
import zipfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from agreements.models import AmendmentStatus, Side, in_terms_order
from evaluations.selectors import agreement_evaluation_overview

# Relative URLs in a summary resolve against this base. The .invalid top-level domain is
# reserved (RFC 6761) and never resolves, and the fetcher answers for it from disk
# without a request, so the base is a name for "our static files", not a place.
PDF_BASE_URL = "https://summary-pdf.invalid/"
STATIC_PREFIX = "/static/"
PRINT_STYLESHEET_URL = f"{PDF_BASE_URL}static/css/print.css"

# Small inline images are harmless; a huge data: URL only costs memory and time.
MAX_DATA_URL_LENGTH = 100 * 1024


class ResourceRefused(ValueError):
    """A summary asked for something that is not one of our static files.

    WeasyPrint catches it, logs it (logger "weasyprint") and leaves the resource out.
    """


class StaticFilesOnlyFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, cut down to our static files and small data: URLs.

    `<PDF_BASE_URL>static/<path>` is read from the static files (the staticfiles
    finders, then STATIC_ROOT); file:, http(s): to any other place, ftp: and every
    other scheme raise ResourceRefused without any I/O.
    """

    def fetch(self, url, headers=None):
        """Return our static file or a small data: URL's content; refuse anything else."""
        if url.startswith("data:"):
            return _data_url_response(url)
        if url.startswith(PDF_BASE_URL):
            return _static_file_response(url)
        raise ResourceRefused(f"only our own static files may be used in a PDF: {url[:200]}")


def _data_url_response(url: str) -> URLFetcherResponse:
    if len(url) > MAX_DATA_URL_LENGTH:
        raise ResourceRefused(f"data: URL longer than {MAX_DATA_URL_LENGTH} characters")
    try:
        # The standard library's data: decoder reads the URL itself; it does no I/O.
        decoded = urllib.request.DataHandler().data_open(urllib.request.Request(url))
    except ValueError as error:
        raise ResourceRefused(f"malformed data: URL ({error})") from None
    return URLFetcherResponse(
        url, body=decoded.read(), headers={"Content-Type": decoded.headers["Content-Type"]}
    )


def _static_file_response(url: str) -> URLFetcherResponse:
    parts = urlsplit(url)
    if not parts.path.startswith(STATIC_PREFIX):
        raise ResourceRefused(f"not a static file: {url[:200]}")
    relative_path = unquote(parts.path.removeprefix(STATIC_PREFIX))
    file_path = static_file_path(relative_path)
    if file_path is None:
        raise ResourceRefused(f"no such static file: {relative_path[:200]}")
    content_type = mimetypes.guess_type(file_path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(
        url, body=file_path.read_bytes(), headers={"Content-Type": content_type}
    )


def static_file_path(relative_path: str) -> Path | None:
    """The file behind a path under STATIC_URL, or None; never a file outside them.

    The finders cover development and tests (static/ and the apps' static folders);
    STATIC_ROOT covers a deployment that ran collectstatic.
    """
    segments = relative_path.split("/")
    # Dot segments were decoded from %2e just now; no path may climb out of the roots.
    if any(segment in ("", ".", "..") for segment in segments) or "\\" in relative_path:
        return None
    if "\x00" in relative_path:
        return None
    found = finders.find(relative_path)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = root.joinpath(*segments).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


def summary_context(
    agreement, *, user, today: datetime.date | None = None, for_partner: bool = False
) -> dict:
    """Everything the summary template shows, read with a handful of queries.

    `for_partner` makes the partner's version (the partner portal's download): the terms,
    goals, obligations and evaluation periods with their due dates, and our responsible
    person; none of our internal records (who drafted, submitted and approved it, the
    staff evaluations with their ratings and comments, the reason for a termination).
    """
    today = today or timezone.localdate()
    # Goals and obligations of the latest terms; each year's results are shown against
    # the goals in force at the end of that year (an amendment may have changed them).
    every_goal = in_terms_order(agreement.goals.all())
    goals = [goal for goal in every_goal if goal.superseded_in_id is None]
    obligations = in_terms_order(
        o for o in agreement.obligations.all() if o.superseded_in_id is None
    )
    amendments = sorted(agreement.amendments.all(), key=lambda amendment: amendment.number)
    periods, results_by_goal = agreement_evaluation_overview(agreement)
    period_summaries = [
        _period_summary(
            period,
            [goal for goal in every_goal if goal.is_in_force_on(period.end_date)],
            results_by_goal,
            today,
            for_partner=for_partner,
        )
        for period in periods
    ]
    # One query for every evaluator, however many years the agreement has run.
    prefetch_related_objects(
        [row["evaluation"] for row in period_summaries if row["evaluation"]], "evaluator"
    )
    return {
        "agreement": agreement,
        "organisation_name": settings.ORGANISATION_NAME,
        "generated_at": timezone.localtime(),
        "generated_by": user,
        # Until a manager approves it, a summary carries a DRAFT watermark on every page.
        "is_unapproved": not agreement.was_approved,
        "contacts": list(agreement.partner.contacts.all()),
        "followed_by": list(agreement.followed_by.all()),
        "terms": agreement.current_terms,
        "amendments": [a for a in amendments if a.status == AmendmentStatus.APPROVED],
        # An amendment in progress is internal until approved.
        "open_amendment": None if for_partner else next((a for a in amendments if a.is_open), None),
        "goals": goals,
        "obligation_groups": [
            (
                # "Our" would read as the partner's own in the partner's version.
                _("Obligations of %(organisation)s") % {"organisation": settings.ORGANISATION_NAME}
                if for_partner
                else _("Our obligations"),
                [o for o in obligations if o.side == Side.OURS],
            ),
            (_("The partner's obligations"), [o for o in obligations if o.side == Side.PARTNER]),
        ],
        "evaluation_periods": period_summaries,
        "for_partner": for_partner,
    }


def _period_summary(period, goals, results_by_goal, today, *, for_partner=False) -> dict:
    if for_partner:
        return {"period": period, "evaluation": None, "goal_results": []}
    evaluations = list(period.evaluations.all())
    completed = next((e for e in evaluations if e.is_completed), None)
    return {
        "period": period,
        "state": period.state(today),
        "evaluation": completed,
        "has_draft_evaluation": completed is None and bool(evaluations),
        "goal_results": [
            (number, goal, results_by_goal.get(goal.pk, {}).get(period.number))
            for number, goal in enumerate(goals, start=1)
        ]
        if completed
        else [],
    }


def render_summary_pdf(agreement, *, user, for_partner: bool = False) -> bytes:
    """The agreement's summary as PDF bytes, generated for `user` (named on the page);
    `for_partner` gives the partner's version (see summary_context).

    Give it an agreement from agreements.selectors.agreement_detail() to read the
    goals, obligations and followers without extra queries.
    """
    html = render_to_string(
        "agreements/summary_pdf.html",
        summary_context(agreement, user=user, for_partner=for_partner),
    )
    fetcher = StaticFilesOnlyFetcher()
    stylesheet = CSS(url=PRINT_STYLESHEET_URL, url_fetcher=fetcher)
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


def summary_filename(agreement) -> str:
    """`<reference>-summary.pdf`: the download's name and its name inside a ZIP."""
    return f"{agreement.reference}-summary.pdf"


def summaries_zip(agreements: Iterable, *, user) -> bytes:
    """A ZIP holding one `<reference>-summary.pdf` per agreement."""
    buffer = io.BytesIO()
    write_summaries_zip(buffer, agreements, user=user)
    return buffer.getvalue()


def write_summaries_zip(target, agreements: Iterable, *, user, on_progress=None) -> int:
    """Write the ZIP to a file object, calling on_progress(count done) after each PDF."""
    done = 0
    # Stored, not deflated: WeasyPrint already compresses every stream in a PDF.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for agreement in agreements:
            archive.writestr(summary_filename(agreement), render_summary_pdf(agreement, user=user))
            done += 1
            if on_progress:
                on_progress(done)
    return done
