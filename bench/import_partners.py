"""Time a partner import of 5,000 rows through the pages a user takes: upload, preview,
confirm. The figures, not a test.

    .venv/bin/python bench/import_partners.py [--rows 5000] [--existing 10000] [--format csv]
    DATABASE_URL=postgres://.../partners_bench .venv/bin/python bench/import_partners.py

Without DATABASE_URL it uses its own SQLite file, var/bench-import.sqlite3. The register
first holds --existing partners (made once, kept between runs), so the duplicate check
reads a register of realistic size; the file has 1% duplicates and 1% rows with errors.
"""

import argparse
import io
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-import.sqlite3'}")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from partnerships.importing import COLUMNS  # noqa: E402
from partnerships.models import Partner, PartnerContact, partner_name_key  # noqa: E402

PREFIX = "Bench import"


def existing_register(count: int, responsible: User) -> None:
    have = Partner.objects.filter(name__startswith="Bench register").count()
    Partner.objects.bulk_create(
        (
            Partner(
                name=f"Bench register {n}",
                name_key=partner_name_key(f"Bench register {n}"),
                organisation_number=f"700000-{n:04d}" if n < 10_000 else "",
                kind="association",
                responsible=responsible,
            )
            for n in range(have, count)
        ),
        batch_size=1000,
    )


def rows(count: int) -> list[list[str]]:
    """`count` rows: 1% repeat a partner of the register, 1% have an invalid email."""
    out = []
    for n in range(count):
        row = {
            "name": f"{PREFIX} {n} Föreningen Ängby",
            "organisation_number": f"802{n:03d}-{n % 10_000:04d}",
            "kind": ["association", "company", "Foundation", "public_body"][n % 4],
            "country": ["SE", "Norway", "FI", ""][n % 4],
            "website": f"https://partner{n}.example",
            "email": f"info@partner{n}.example",
            "phone": "+46 40 123 45 67",
            "city": "Malmö",
            "focus_areas": "education; culture",
            "risk_level": "low",
            "contact_name": f"Kontakt {n}",
            "contact_email": f"kontakt{n}@partner{n}.example",
        }
        if n % 100 == 50:
            row["name"] = "Bench register 7"  # already in the register
        if n % 100 == 99:
            row["email"] = "not an email"
        out.append([row.get(column.key, "") for column in COLUMNS])
    return out


def make_file(file_format: str, count: int) -> SimpleUploadedFile:
    header = [column.key for column in COLUMNS]
    if file_format == "xlsx":
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(header)
        for row in rows(count):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return SimpleUploadedFile("partners.xlsx", buffer.getvalue())
    import csv

    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows(count))
    return SimpleUploadedFile("partners.csv", text.getvalue().encode("utf-8-sig"))


def timed(method, *args):
    """Seconds and SQL statements of one request (the test client's request resets
    connection.queries, so the statements are counted as they run)."""
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = method(*args)
        seconds = time.perf_counter() - started
    return response, seconds, len(statements)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--existing", type=int, default=10_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--repeat", type=int, default=1, help="runs; medians are printed")
    args = parser.parse_args()

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-import-")
    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench-importer")
    user.groups.add(Group.objects.get(name="Staff"))
    existing_register(args.existing, user)

    results = {"upload": [], "preview": [], "confirm": []}
    for _run in range(args.repeat):
        Partner.objects.filter(name__startswith=PREFIX).delete()
        client = Client()
        client.force_login(user)
        upload = make_file(args.format, args.rows)
        response, seconds, queries = timed(client.post, "/partners/import/", {"file": upload})
        assert response.status_code == 302, response.content[:2000]
        results["upload"].append((seconds, queries))
        preview_url = response.url
        response, seconds, queries = timed(client.get, preview_url)
        assert response.status_code == 200
        results["preview"].append((seconds, queries))
        page = response.content.decode()
        fingerprint = re.search(r'name="fingerprint" value="(\w+)"', page).group(1)
        response, seconds, queries = timed(client.post, preview_url, {"fingerprint": fingerprint})
        assert response.status_code == 302, response.content[:2000]
        results["confirm"].append((seconds, queries))
        created = Partner.objects.filter(name__startswith=PREFIX).count()
        history = Partner.history.filter(
            id__in=Partner.objects.filter(name__startswith=PREFIX).values("pk"),
            history_type="+",
            history_user=user,
        ).count()
        assert history == created

    print(
        f"{connection.vendor}, {args.format}, {args.rows:,} rows "
        f"({created:,} created), register of "
        f"{Partner.objects.exclude(name__startswith=PREFIX).count():,} partners, "
        f"{PartnerContact.objects.filter(partner__name__startswith=PREFIX).count():,} "
        f"contacts; {args.repeat} run(s), median"
    )
    print("| step | seconds | SQL queries |")
    print("|---|---|---|")
    for step, figures in results.items():
        seconds = statistics.median(figure[0] for figure in figures)
        print(f"| {step} | {seconds:.2f} | {figures[-1][1]} |")
    total = sum(statistics.median(f[0] for f in figures) for figures in results.values())
    print(f"| total | {total:.2f} | |")


if __name__ == "__main__":
    main()
