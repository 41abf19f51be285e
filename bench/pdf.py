"""How fast agreement summary PDFs render: one typical summary, one long one, a ZIP of 100.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python bench/pdf.py [--save-dir DIR]

Creates its own throw-away data, with the test factories (requirements-dev.txt), in a
temporary SQLite database, so it never touches var/db.sqlite3. Prints figures; it is not
a test and asserts nothing. With --save-dir it also writes the typical and the long
summary there, to look at.
"""

import argparse
import datetime
import io
import logging
import os
import statistics
import sys
import tempfile
import time
import zipfile
from decimal import Decimal
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
TYPICAL_RUNS = 9
LONG_RUNS = 5
ZIP_SIZE = 100


def main() -> None:
    """Set up a temporary database, build the data, time the renders, print a table."""
    arguments = _parse_arguments()
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as scratch:
        # Before django.setup(): settings read DATABASE_URL once, at import.
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
        os.environ["MEDIA_ROOT"] = str(Path(scratch) / "media")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        sys.path.insert(0, str(REPOSITORY))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        # WeasyPrint logs each rendering step at INFO; the figures are what we want to see.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        # Hashing a password per created user would dominate the set-up time.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("migrate", verbosity=0)
        _run(arguments.save_dir)


def _parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--save-dir", type=Path, help="write summary_typical.pdf and summary_long.pdf here"
    )
    return parser.parse_args()


def _run(save_dir: Path | None) -> None:
    import weasyprint
    from pypdf import PdfReader

    from agreements.models import Agreement
    from agreements.pdf import render_summary_pdf, summaries_zip
    from agreements.selectors import agreement_detail

    people = _people()
    typical = agreement_detail(_typical_agreement(people).pk)
    long = agreement_detail(_long_agreement(people).pk)
    user = people["staff"]

    started = time.perf_counter()
    render_summary_pdf(typical, user=user)
    cold_seconds = time.perf_counter() - started

    rows = []
    for label, agreement, runs in (
        ("typical summary", typical, TYPICAL_RUNS),
        ("long summary", long, LONG_RUNS),
    ):
        timings = []
        for _run_number in range(runs):
            started = time.perf_counter()
            pdf = render_summary_pdf(agreement, user=user)
            timings.append(time.perf_counter() - started)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        median = statistics.median(timings)
        rows.append((label, runs, median, pages, len(pdf)))
        if save_dir:
            save_dir.mkdir(parents=True, exist_ok=True)
            (save_dir / f"summary_{label.split()[0]}.pdf").write_bytes(pdf)

    for _number in range(ZIP_SIZE - 1):
        _typical_agreement(people)
    typical_pks = list(Agreement.objects.exclude(pk=long.pk).values_list("pk", flat=True))
    started = time.perf_counter()
    # Read each agreement as it is rendered, the way the ZIP view does.
    archive = summaries_zip((agreement_detail(pk) for pk in typical_pks), user=user)
    zip_seconds = time.perf_counter() - started
    zip_pages = sum(len(PdfReader(io.BytesIO(pdf)).pages) for pdf in _pdfs_in(archive))
    rows.append((f"ZIP of {len(typical_pks)} summaries", 1, zip_seconds, zip_pages, len(archive)))

    print(f"Agreement summary PDFs, WeasyPrint {weasyprint.__version__}")
    print(f"first render in the process (loads the fonts): {cold_seconds:.3f} s")
    header = f"{'case':<26}{'runs':>5}{'median s':>10}{'pages':>7}{'pages/s':>9}{'KB':>9}"
    print(header)
    print("-" * len(header))
    for label, runs, seconds, pages, size in rows:
        print(
            f"{label:<26}{runs:>5}{seconds:>10.3f}{pages:>7}{pages / seconds:>9.1f}"
            f"{size / 1024:>9.0f}"
        )


def _pdfs_in(archive: bytes):
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        for name in opened.namelist():
            yield opened.read(name)


def _people() -> dict:
    from tests.factories import UserFactory

    return {
        "staff": UserFactory(
            username="bench_staff", first_name="Åsa", last_name="Öberg", staff=True
        ),
        "manager": UserFactory(
            username="bench_manager", first_name="Märta", last_name="Ärlig", manager=True
        ),
    }


def _agreement(people, **fields):
    from tests.factories import AgreementFactory, PartnerContactFactory, PartnerFactory

    partner = PartnerFactory(
        responsible=people["staff"],
        organisation_number="",
        street_address="Storgatan 12",
        postal_code="211 34",
        city="Malmö",
    )
    PartnerContactFactory(partner=partner, name="Björn Åkesson", role="Verksamhetsledare")
    PartnerContactFactory(partner=partner, name="Linnéa Öst", role="Ekonomiansvarig")
    return AgreementFactory(
        partner=partner,
        created_by=people["staff"],
        approved_by=people["manager"],
        approved=True,
        description="Läsfrämjande insatser för barn och unga i Malmö, i samarbete med skolor.",
        termination_terms="Avtalet kan sägas upp omedelbart vid brott mot riktlinjerna.",
        **fields,
    )


def _typical_agreement(people):
    """Two years, three goals, four obligations, the first year evaluated."""
    from agreements.models import GoalKind, Side
    from tests.factories import EvaluationFactory, GoalFactory, ObligationFactory

    today = datetime.date.today()
    start = today - datetime.timedelta(days=400)
    agreement = _agreement(people, start_date=start, end_date=start + datetime.timedelta(days=729))
    GoalFactory(agreement=agreement, description="Fler vuxna deltar som läsombud")
    GoalFactory(
        agreement=agreement,
        kind=GoalKind.QUALITATIVE,
        indicator="",
        baseline=None,
        target_value=None,
        unit="",
        description="Starkare läskultur i skolorna",
        expected_outcome="Lärarna upplever att eleverna läser mer på egen hand.",
        assessment_method="Intervjuer med lärare vid årsuppföljningen.",
    )
    ObligationFactory(agreement=agreement, side=Side.OURS, category="economic")
    ObligationFactory(
        agreement=agreement, side=Side.PARTNER, due_date=start + datetime.timedelta(days=365)
    )
    EvaluationFactory(
        period=agreement.evaluation_periods.get(number=1),
        evaluator=people["staff"],
        completed=True,
        amount_spent=Decimal("24000"),
    )
    return agreement


def _long_agreement(people):
    """Five evaluated years, 30 goals and 20 obligations: a summary of many pages."""
    from agreements.models import GoalKind, Side
    from tests.factories import EvaluationFactory, GoalFactory, ObligationFactory

    today = datetime.date.today()
    start = today - datetime.timedelta(days=5 * 365 + 60)
    agreement = _agreement(
        people,
        agreement_type="long_term",
        start_date=start,
        end_date=start + datetime.timedelta(days=6 * 365),
    )
    for number in range(1, 31):
        if number % 3:
            GoalFactory(
                agreement=agreement,
                description=f"Mål {number}: fler barn i årskurs {number % 9 + 1} läser böcker på fritiden",
                target_value=Decimal(100 + number * 10),
            )
        else:
            GoalFactory(
                agreement=agreement,
                kind=GoalKind.QUALITATIVE,
                indicator="",
                baseline=None,
                target_value=None,
                unit="",
                description=f"Mål {number}: starkare samverkan mellan skola och bibliotek",
                expected_outcome="Skolbiblioteken och folkbiblioteket planerar läsåret tillsammans.",
                assessment_method="Samtal med bibliotekarier och rektorer vid årsuppföljningen.",
            )
    for number in range(1, 21):
        ObligationFactory(
            agreement=agreement,
            side=Side.OURS if number % 2 else Side.PARTNER,
            description=f"Åtagande {number}: rapportera och följa upp enligt avtalets bilaga.",
            due_date=start + datetime.timedelta(days=90 * number),
        )
    for period in agreement.evaluation_periods.order_by("number")[:5]:
        EvaluationFactory(period=period, evaluator=people["staff"], completed=True)
    return agreement


if __name__ == "__main__":
    main()
