"""CSV downloads open in the spreadsheet of the user's language: Swedish Excel reads `;`
between cells and a decimal comma, English Excel `,` and a decimal point; both need the
UTF-8 byte order mark for å, ä and ö. Headings and values are in the user's language,
and text that a spreadsheet would run as a formula stays text."""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from core import csv_export
from tests.factories import AgreementFactory, EvaluationFactory

D = datetime.date
REPOSITORY = Path(__file__).resolve().parents[2]


def download(client, url, language, params=None):
    response = client.get(url, params or {}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content)


def read(body: bytes, delimiter: str) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte order mark"
    text = body.decode("utf-8")[1:]
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.fixture
def agreement(db):
    return AgreementFactory(
        approved=True,
        title="Läslust",
        start_date=D(2026, 1, 1),
        end_date=D(2027, 12, 31),
        economic_amount=Decimal("1234567.50"),
    )


def test_agreements_in_swedish_have_semicolons_decimal_commas_and_swedish_headings(
    staff_client, agreement
):
    rows = read(download(staff_client, "/agreements/export.csv", "sv"), ";")
    header, row = rows
    assert header[:3] == ["Referens", "Rubrik", "Partner"]
    assert "Startdatum" in header and "Slutdatum" in header
    cells = dict(zip(header, row, strict=True))
    assert cells["Rubrik"] == "Läslust"
    assert cells["Startdatum"] == "2026-01-01" and cells["Slutdatum"] == "2027-12-31"
    amount = next(value for key, value in cells.items() if value.startswith("1234567"))
    assert amount == "1234567,50"
    assert cells["Status"] == "Godkänt"
    # The phase is a word the user reads, not a code.
    assert "active" not in row and "upcoming" not in row and "expired" not in row
    assert not any(re.fullmatch(r"[a-z_]+", heading) for heading in header), header


def test_agreements_in_english_have_commas_decimal_points_and_english_headings(
    staff_client, agreement
):
    rows = read(download(staff_client, "/agreements/export.csv", "en"), ",")
    header, row = rows
    assert header[:3] == ["Reference", "Title", "Partner"]
    assert "Start date" in header and "End date" in header
    assert "1234567.50" in row
    assert "Approved" in row
    assert not any(re.fullmatch(r"[a-z_]+", heading) for heading in header), header


@pytest.mark.parametrize("language,delimiter", [("sv", ";"), ("en", ",")])
def test_evaluations_export_in_the_users_language(staff_client, language, delimiter):
    agreement = AgreementFactory(approved=True, start_date=D(2024, 1, 1), end_date=D(2026, 12, 31))
    EvaluationFactory(
        period=agreement.evaluation_periods.get(number=1),
        completed=True,
        recommendation="adjust",
        amount_spent=Decimal("2500.75"),
        overall_rating=4,
    )
    header, row = read(
        download(staff_client, "/evaluations/recorded/export.csv", language), delimiter
    )
    with translation.override(language):
        expected_recommendation = str(translation.gettext("Adjust"))
    assert expected_recommendation in row
    assert ("2500,75" if language == "sv" else "2500.75") in row
    assert "2024-01-01" in row
    assert "adjust" not in row and "completed" not in row
    assert not any(re.fullmatch(r"[a-z_]+", heading) for heading in header), header
    if language == "sv":
        assert header[0] == "Avtal"


def test_formulas_stay_text_in_swedish_too(staff_client):
    AgreementFactory(approved=True, title='=HYPERLINK("http://evil.example";"click")')
    rows = read(download(staff_client, "/agreements/export.csv", "sv"), ";")
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example";"click")'


@pytest.mark.parametrize(
    "language,value,expected",
    [
        ("sv", Decimal("-5.50"), "-5,50"),
        ("en", Decimal("-5.50"), "-5.50"),
        ("sv", Decimal("1E+3"), "1000"),
        ("sv", 0.25, "0,25"),
        ("sv", 7, "7"),
        ("sv", None, ""),
        ("sv", True, "Ja"),
        ("en", False, "No"),
        ("sv", D(2026, 9, 22), "2026-09-22"),
        ("en", D(2026, 9, 22), "2026-09-22"),
        ("sv", "-1+2", "'-1+2"),
        ("sv", "@SUM(A1)", "'@SUM(A1)"),
        ("sv", "Läs", "Läs"),
    ],
)
def test_cells_are_written_as_the_language_reads_them(language, value, expected):
    with translation.override(language):
        body = csv_export.csv_bytes(["x"], [[value]])
    assert read(body, ";" if language == "sv" else ",")[1] == [expected]


def test_a_time_is_written_in_the_local_zone(settings):
    moment = datetime.datetime(2026, 6, 30, 22, 30, tzinfo=datetime.UTC)
    with translation.override("sv"):
        body = csv_export.csv_bytes(["x"], [[moment]])
    assert read(body, ";")[1] == ["2026-07-01 00:30"]  # Stockholm summer time


def test_rows_are_made_in_the_language_of_the_request_however_late_they_are_read(
    staff_client, agreement
):
    """The file streams after the view returns; the language must not change midway."""
    response = staff_client.get("/agreements/export.csv", HTTP_ACCEPT_LANGUAGE="sv")
    translation.activate("en")
    header, row = read(b"".join(response.streaming_content), ";")
    assert header[0] == "Referens" and "Godkänt" in row
    assert translation.get_language() == "en"


def test_the_partner_import_template_opens_in_swedish_excel(staff_client):
    response = staff_client.get("/partners/import/template.csv", HTTP_ACCEPT_LANGUAGE="sv")
    rows = read(response.content, ";")
    assert rows[0][0] == "name" and len(rows[0]) > 5


def test_every_csv_download_goes_through_core_csv_export():
    """One place writes CSV files for users: nowhere else makes a csv writer."""
    offenders = []
    for path in REPOSITORY.rglob("*.py"):
        relative = path.relative_to(REPOSITORY)
        if relative.parts[0] in {".venv", "tests", "bench", "var"} or relative == Path(
            "core/csv_export.py"
        ):
            continue
        source = path.read_text(encoding="utf-8")
        if "csv.writer" in source or "csv.DictWriter" in source:
            offenders.append(str(relative))
    assert offenders == []


@pytest.mark.parametrize("count", [3, 30])
def test_export_queries_do_not_grow_with_rows(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        AgreementFactory(approved=True)
    with django_assert_max_num_queries(8):
        body = download(staff_client, "/agreements/export.csv", "sv")
    assert len(read(body, ";")) == count + 1
