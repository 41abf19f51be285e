"""Our pages against the Django admin showing the same rows, on a seeded database.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/seed.py
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/run.py [--requests 30]

Prints one table: median and 95th percentile over the requests (after warm-up), the SQL
query count, and the ratios to the admin peer and to the floor measured in the same run:
the floor is a bare list view over the same table (bench/floor.py, served beside the app
in this process only), and for the PDFs WeasyPrint rendering the same HTML alone.
Figures, not a test.

The heavy things run fewer times (--heavy-runs): the CSV export of every agreement
(with the peak memory traced while the streamed response is read, for all rows and for
a tenth of them: the two must be about equal), the daily reminder job (its claims are
deleted after each run, so every run claims the same reminders) and the PDF summaries.
"""

import argparse
import contextlib
import io
import logging
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from agreements.models import Agreement  # noqa: E402
from evaluations.models import Evaluation  # noqa: E402
from partnerships.models import Partner  # noqa: E402

# (name, user, url, admin peer or None, floor or None). The floor is a bare list view of
# bench/floor.py over the same table; the ratios to both are printed beside each page.
F_PARTNERS = "floor: partners, page 1"
PARTNER_USER = "bench_partner_user"
F_AGREEMENTS = "floor: agreements, page 1"
CASES = [
    (F_PARTNERS, "manager0", "/bench-floor/partners/", None, None),
    ("floor: partners, page 200", "manager0", "/bench-floor/partners/?page={deep}", None, None),
    ("floor: partners, search", "manager0", "/bench-floor/partners/?q=kultur", None, None),
    (F_AGREEMENTS, "manager0", "/bench-floor/agreements/", None, None),
    (
        "floor: agreements, page 200",
        "manager0",
        "/bench-floor/agreements/?page={deep_agreements}",
        None,
        None,
    ),
    (
        "floor: agreements, approved, ends < 90 d",
        "manager0",
        "/bench-floor/agreements/?status=approved&ends_within=90",
        None,
        None,
    ),
    (
        "floor: agreements, approved, page 200",
        "manager0",
        "/bench-floor/agreements/?status=approved&page={deep_approved}",
        None,
        None,
    ),
    ("admin: partners, page 1", "admin", "/admin/partnerships/partner/", None, F_PARTNERS),
    (
        "partners, page 1",
        "manager0",
        "/partners/",
        "admin: partners, page 1",
        F_PARTNERS,
    ),
    (
        "admin: partners, page 200",
        "admin",
        "/admin/partnerships/partner/?p={deep}",
        None,
        "floor: partners, page 200",
    ),
    (
        "partners, page 200",
        "manager0",
        "/partners/?page={deep}",
        "admin: partners, page 200",
        "floor: partners, page 200",
    ),
    (
        "admin: partners, search",
        "admin",
        "/admin/partnerships/partner/?q=kultur",
        None,
        "floor: partners, search",
    ),
    (
        "partners, search",
        "manager0",
        "/partners/?q=kultur",
        "admin: partners, search",
        "floor: partners, search",
    ),
    (
        "partners, search + 2 filters",
        "manager0",
        "/partners/?q=kultur&country=SE&kind=association",
        "admin: partners, search",
        "floor: partners, search",
    ),
    ("admin: agreements, page 1", "admin", "/admin/agreements/agreement/", None, F_AGREEMENTS),
    ("agreements, page 1", "manager0", "/agreements/", "admin: agreements, page 1", F_AGREEMENTS),
    (
        "admin: agreements, page 200",
        "admin",
        "/admin/agreements/agreement/?p={deep_agreements}",
        None,
        "floor: agreements, page 200",
    ),
    (
        "agreements, page 200",
        "manager0",
        "/agreements/?page={deep_agreements}",
        "admin: agreements, page 200",
        "floor: agreements, page 200",
    ),
    (
        "admin: agreements, approved",
        "admin",
        "/admin/agreements/agreement/?status__exact=approved",
        None,
        "floor: agreements, approved, ends < 90 d",
    ),
    (
        "agreements: approved, ends < 90 d",
        "manager0",
        "/agreements/?state=approved&ends_within=90",
        "admin: agreements, approved",
        "floor: agreements, approved, ends < 90 d",
    ),
    (
        "agreements: approved, page 200",
        "manager0",
        "/agreements/?state=approved&page={deep_approved}",
        None,
        "floor: agreements, approved, page 200",
    ),
    (
        "admin: agreements, search",
        "admin",
        "/admin/agreements/agreement/?q=kultur",
        None,
        "floor: partners, search",
    ),
    (
        "agreements, search",
        "manager0",
        "/agreements/?q=kultur",
        "admin: agreements, search",
        "floor: partners, search",
    ),
    ("evaluations: due", "manager0", "/evaluations/", None, F_AGREEMENTS),
    ("evaluations: overdue", "manager0", "/evaluations/?due=overdue", None, F_AGREEMENTS),
    (
        "evaluations: overdue, page 20",
        "manager0",
        "/evaluations/?due=overdue&page=20",
        None,
        F_AGREEMENTS,
    ),
    ("follow-ups, page 1", "manager0", "/partners/follow-ups/", None, F_PARTNERS),
    ("agreement page", "manager0", "AGREEMENT", None, F_AGREEMENTS),
    ("partner page", "manager0", "PARTNER", None, F_AGREEMENTS),
    ("dashboard (manager)", "manager0", "/", None, F_AGREEMENTS),
    ("dashboard (staff)", "staff0", "/", None, F_AGREEMENTS),
    ("portal: reports (staff list)", "manager0", "/partner-portal/reports/", None, F_AGREEMENTS),
    ("portal: home (partner user)", PARTNER_USER, "/portal/", None, F_AGREEMENTS),
    ("portal: agreement page (partner user)", PARTNER_USER, "PORTAL_AGREEMENT", None, F_AGREEMENTS),
]


def measure(client, url, requests):
    for _ in range(3):  # warm-up
        client.get(url)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    median, p95 = percentiles(timings)
    return median, p95, len(queries)


def percentiles(timings):
    timings = sorted(timings)
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return statistics.median(timings), p95


@contextlib.contextmanager
def counted_queries():
    """Counts every statement, however many (CaptureQueriesContext keeps only 9,000)."""
    counter = {"queries": 0}

    def count(execute, sql, params, many, context):
        counter["queries"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


def read_streamed(response) -> tuple[int, int]:
    """Bytes and CSV lines of a streamed response, read chunk by chunk as a server does."""
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return size, lines


def csv_export(client, url, runs):
    """Median and p95 of the whole download, its queries, and the rows and peak memory."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        read_streamed(response)
        timings.append((time.perf_counter() - started) * 1000)
    with counted_queries() as counter:
        response = client.get(url)
        _size, lines = read_streamed(response)
    median, p95 = percentiles(timings)
    return median, p95, counter["queries"], lines - 1, peak_memory(client, url)


def peak_memory(client, url) -> int:
    """Peak bytes allocated by Python while the request is made and its body read."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        baseline = tracemalloc.get_traced_memory()[0]
        response = client.get(url)
        read_streamed(response)
        return tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()


def reminder_job(runs):
    """The daily job with a dispatch that sends nothing (sending is the workers' part).

    Each run's claims are deleted afterwards, so the next run claims the same ones.
    """
    from django.utils import timezone

    from reminders.models import Delivery, Reminder
    from reminders.services import run_daily_reminders

    today = timezone.localdate()
    timings = []
    queries = claimed = deliveries = 0
    for _ in range(runs):
        last_reminder = Reminder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        try:
            with counted_queries() as counter:
                started = time.perf_counter()
                reminders = run_daily_reminders(today, dispatch=lambda delivery_id: None)
                timings.append((time.perf_counter() - started) * 1000)
            queries, claimed = counter["queries"], len(reminders)
            deliveries = Delivery.objects.filter(reminder__pk__gt=last_reminder).count()
        finally:
            Reminder.objects.filter(pk__gt=last_reminder).delete()
    median, p95 = percentiles(timings)
    return median, p95, queries, claimed, deliveries


def pdf_summary(client, url, runs):
    from pypdf import PdfReader

    client.get(url)  # the first render in a process loads the fonts
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with counted_queries() as counter:
        b"".join(client.get(url).streaming_content)
    median, p95 = percentiles(timings)
    return median, p95, counter["queries"], len(PdfReader(io.BytesIO(body)).pages)


def weasyprint_alone(agreement_pk, user, runs):
    """WeasyPrint rendering the summary's HTML (made once beforehand), with the same
    stylesheet and static-file fetcher, and no Django request around it: the PDF floor."""
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML

    from agreements.pdf import (
        PDF_BASE_URL,
        PRINT_STYLESHEET_URL,
        StaticFilesOnlyFetcher,
        summary_context,
    )
    from agreements.selectors import agreement_detail

    html = render_to_string(
        "agreements/summary_pdf.html", summary_context(agreement_detail(agreement_pk), user=user)
    )

    def render():
        fetcher = StaticFilesOnlyFetcher()
        stylesheet = CSS(url=PRINT_STYLESHEET_URL, url_fetcher=fetcher)
        HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).write_pdf(
            stylesheets=[stylesheet]
        )

    render()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        timings.append((time.perf_counter() - started) * 1000)
    return percentiles(timings)


def ensure_partner_user(partner_id) -> int:
    """A portal login for the partner with the most agreements (made once, as the
    invitation would leave it after the password is set); its latest approved agreement."""
    from django.utils import timezone

    from portal.models import PartnerUser

    user, created = User.objects.get_or_create(
        username=PARTNER_USER, defaults={"email": "partner@bench.example"}
    )
    if created:
        PartnerUser.objects.create(
            user=user,
            partner_id=partner_id,
            invited_by=User.objects.get(username="manager0"),
            activated_at=timezone.now(),
        )
    return (
        Agreement.objects.filter(partner_id=partner_id, status="approved")
        .order_by("-start_date")
        .values_list("pk", flat=True)
        .first()
    )


def print_row(name, median, p95, queries, admin="", floor=""):
    print(f"{name:<42} {median:>10.1f} {p95:>9.1f} {queries:>8} {admin:>9} {floor:>9}", flush=True)


SECTIONS = ("pages", "export", "job", "pdf")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="requests a page")
    parser.add_argument(
        "--heavy-runs", type=int, default=5, help="runs of the export, the job and each PDF"
    )
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"some of {', '.join(SECTIONS)}")
    args = parser.parse_args()
    sections = set(args.only.split(","))
    # WeasyPrint logs each rendering step at INFO; the figures are what we want to see.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line for each sign-in
    settings.ALLOWED_HOSTS = ["*"]
    # The app's URLs and the bare list views of bench/floor.py beside them.
    settings.ROOT_URLCONF = "bench.floor"
    settings.DEBUG = False
    # The peers show the same number of rows a page as our lists.
    for model_admin in admin.site._registry.values():
        model_admin.list_per_page = settings.PAGE_SIZE

    evaluations_per_agreement = (
        Evaluation.objects.values("period__agreement_id")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("period__agreement_id", flat=True)
    )
    first = Agreement.objects.order_by("pk").values_list("pk", flat=True).first()
    busiest = evaluations_per_agreement.order_by("-n", "period__agreement_id").first() or first
    typical = evaluations_per_agreement.filter(n=1).order_by("period__agreement_id").first()
    # Page 200, or the last page of a smaller register.
    pages = {
        "deep": Partner.objects.count(),
        "deep_agreements": Agreement.objects.count(),
        "deep_approved": Agreement.objects.filter(status="approved").count(),
    }
    pages = {key: min(200, max(1, -(-count // settings.PAGE_SIZE))) for key, count in pages.items()}
    busiest_partner = (
        Agreement.objects.values("partner_id")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n", "partner_id")
        .values_list("partner_id", flat=True)
        .first()
    )
    portal_agreement = ensure_partner_user(busiest_partner)
    clients = {}
    results = {}
    print(
        f"database: {connection.vendor}, {Agreement.objects.count():,} agreements, "
        f"{args.requests} requests a page, {args.heavy_runs} runs of the heavy things\n"
    )
    print(
        f"{'measured':<42} {'median ms':>10} {'p95 ms':>9} {'queries':>8} "
        f"{'vs admin':>9} {'vs floor':>9}"
    )
    for name, username, url, peer, floor in CASES if "pages" in sections else []:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        if url == "AGREEMENT":
            url = f"/agreements/{busiest}/"
        elif url == "PARTNER":
            url = f"/partners/{busiest_partner}/"
        elif url == "PORTAL_AGREEMENT":
            url = f"/portal/agreements/{portal_agreement}/"
        else:
            url = url.format(**pages)
        median, p95, queries = measure(clients[username], url, args.requests)
        results[name] = median
        print_row(
            name,
            median,
            p95,
            queries,
            f"{median / results[peer]:.2f}×" if peer else "",
            f"{median / results[floor]:.2f}×" if floor else "",
        )

    manager = Client()
    manager.force_login(User.objects.get(username="manager0"))
    notes = []
    if "export" in sections:
        median, p95, queries, rows, memory = csv_export(
            manager, "/agreements/export.csv", args.heavy_runs
        )
        print_row(f"CSV export, all {rows:,} agreements", median, p95, queries)
        # Memory is flat when a part of the register peaks as high as all of it: the
        # peak is one fetch of rows from the database, whatever the total.
        sizes = [f"{memory / 2**20:.2f} MiB for {rows:,} rows"]
        for state in ("approved", "terminated"):
            _m, _p, _q, part_rows, part_memory = csv_export(
                manager, f"/agreements/export.csv?state={state}", 1
            )
            sizes.append(f"{part_memory / 2**20:.2f} MiB for {part_rows:,} ({state})")
        notes.append(f"CSV export, peak traced memory: {', '.join(sizes)}")
    if "job" in sections:
        median, p95, queries, claimed, deliveries = reminder_job(args.heavy_runs)
        print_row("daily reminder job", median, p95, queries)
        notes.append(f"reminder job: {claimed:,} reminders claimed, {deliveries:,} deliveries")
    for label, pk in (("typical", typical or first), ("long", busiest)):
        if "pdf" not in sections:
            break
        median, p95, queries, pages_ = pdf_summary(
            manager, f"/agreements/{pk}/summary.pdf", args.heavy_runs
        )
        floor_median, floor_p95 = weasyprint_alone(
            pk, User.objects.get(username="manager0"), args.heavy_runs
        )
        print_row(f"floor: WeasyPrint alone, {label}", floor_median, floor_p95, 0)
        print_row(
            f"PDF summary, {label} ({pages_} pages)",
            median,
            p95,
            queries,
            floor=f"{median / floor_median:.2f}×",
        )
    if notes:
        print()
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
