"""Our pages against the Django admin showing the same rows, on a seeded database.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/seed.py
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/run.py [--requests 30]

Prints one table: median and 95th percentile over the requests (after warm-up), the SQL
query count, and the ratio to the peer measured in the same run. Figures, not a test.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402

# (name, user, url, peer name or None)
CASES = [
    ("admin: partners, page 1", "admin", "/admin/partnerships/partner/", None),
    ("partners, page 1", "manager0", "/partners/", "admin: partners, page 1"),
    ("admin: partners, page 200", "admin", "/admin/partnerships/partner/?p={deep}", None),
    ("partners, page 200", "manager0", "/partners/?page={deep}", "admin: partners, page 200"),
    ("admin: partners, search", "admin", "/admin/partnerships/partner/?q=kultur", None),
    (
        "partners, search + 2 filters",
        "manager0",
        "/partners/?q=kultur&country=SE&kind=association",
        "admin: partners, search",
    ),
    (
        "admin: agreements, page 1",
        "admin",
        "/admin/agreements/agreement/?status__exact=approved",
        None,
    ),
    (
        "agreements: approved, ends < 90 d",
        "manager0",
        "/agreements/?state=approved&ends_within=90",
        "admin: agreements, page 1",
    ),
    ("agreement page", "manager0", "AGREEMENT", None),
    ("dashboard (manager)", "manager0", "/", None),
    ("evaluations: overdue", "manager0", "/evaluations/?due=overdue", None),
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
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return statistics.median(timings), p95, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    # The peers show the same number of rows a page as our lists.
    from django.contrib import admin

    for model_admin in admin.site._registry.values():
        model_admin.list_per_page = settings.PAGE_SIZE
    from agreements.models import Agreement
    from evaluations.models import Evaluation

    busy = (
        Evaluation.objects.values("period__agreement_id")
        .order_by()
        .annotate(n=django.db.models.Count("id"))
        .order_by("-n")
        .first()
    )
    agreement_url = (
        f"/agreements/{busy['period__agreement_id'] if busy else Agreement.objects.first().pk}/"
    )
    from partnerships.models import Partner

    # Page 200, or the last page of a smaller register.
    deep_page = min(200, -(-Partner.objects.count() // settings.PAGE_SIZE))
    clients = {}
    results = {}
    print(
        f"database: {connection.vendor}, {Agreement.objects.count():,} agreements, "
        f"{args.requests} requests each\n"
    )
    print(f"{'page':<36} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'vs peer':>8}")
    for name, username, url, peer in CASES:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        url = agreement_url if url == "AGREEMENT" else url.format(deep=deep_page)
        median, p95, queries = measure(clients[username], url, args.requests)
        results[name] = median
        ratio = f"{median / results[peer]:.2f}×" if peer else ""
        print(f"{name:<36} {median:>10.1f} {p95:>9.1f} {queries:>8} {ratio:>8}")


if __name__ == "__main__":
    main()
