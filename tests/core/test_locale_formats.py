"""Dates as each language writes them, the same on pages, PDFs, emails and CSV files.

English: numeric dates in ISO form (2026-09-22), long dates day first (22 September
2026), a 24-hour clock, weeks from Monday; never the American month first. Swedish: ISO
(2026-09-22), long dates "22 september 2026"."""

import csv
import datetime
import io

import pytest
from django import forms
from django.core import mail
from django.utils import formats, translation

from reminders import services as reminder_services
from tests.agreements.test_pdf import contains, download, pdf_pages
from tests.factories import AgreementFactory, DialogueEntryFactory

D = datetime.date
START = D(2026, 9, 22)
END = D(2027, 3, 31)


@pytest.mark.parametrize(
    "language,short,long,short_datetime",
    [
        ("en", "2026-09-22", "22 September 2026", "2026-09-22 16:05"),
        ("sv", "2026-09-22", "22 september 2026", "2026-09-22 16:05"),
    ],
)
def test_each_language_writes_dates_its_way(language, short, long, short_datetime):
    moment = datetime.datetime(2026, 9, 22, 16, 5)
    with translation.override(language):
        assert formats.date_format(START, "SHORT_DATE_FORMAT") == short
        assert formats.date_format(START, "DATE_FORMAT") == long
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == short_datetime
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


@pytest.mark.parametrize("language", ["en", "sv"])
def test_typed_dates_are_read_day_first_never_month_first(language):
    """A browser without a date picker sends what the user typed: 10/11/2026 is the
    10th of November to an English or Swedish reader, never the 11th of October."""
    field = forms.DateField()
    with translation.override(language):
        assert field.clean("2026-11-10") == D(2026, 11, 10)
        assert field.clean("10/11/2026") == D(2026, 11, 10)
        with pytest.raises(forms.ValidationError):
            field.clean("09/22/2026")


@pytest.mark.parametrize("language", ["en", "sv"])
def test_agreement_page_shows_iso_dates(staff_client, language):
    agreement = AgreementFactory(start_date=START, end_date=END)
    page = staff_client.get(
        f"/agreements/{agreement.pk}/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert "2026-09-22" in page and "2027-03-31" in page
    assert "09/22/2026" not in page and "03/31/2027" not in page


@pytest.mark.parametrize(
    "language,heading", [("en", "22 September 2026"), ("sv", "22 september 2026")]
)
def test_dialogue_entry_heading_writes_the_long_date_day_first(staff_client, language, heading):
    entry = DialogueEntryFactory(date=START)
    page = staff_client.get(
        f"/partners/{entry.partner_id}/dialogue/{entry.pk}/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert heading in page


@pytest.mark.parametrize("language", ["en", "sv"])
def test_summary_pdf_shows_iso_dates(staff_client, language):
    agreement = AgreementFactory(approved=True, start_date=START, end_date=END)
    staff_client.cookies["django_language"] = language
    text = "\n".join(pdf_pages(download(staff_client, agreement)))
    assert contains(text, "2026-09-22 – 2027-03-31")
    assert "09/22/2026" not in text


@pytest.mark.parametrize("language", ["en", "sv"])
def test_reminder_email_shows_iso_dates(db, language):
    agreement = AgreementFactory(approved=True, start_date=START, end_date=END)
    agreement.responsible.language = language
    agreement.responsible.email = "responsible@example.org"
    agreement.responsible.save()
    reminder_services.run_daily_reminders(
        END - datetime.timedelta(days=30), dispatch=reminder_services.deliver
    )
    message = next(m for m in mail.outbox if m.to == ["responsible@example.org"])
    assert "2027-03-31" in message.subject
    assert "2027-03-31" in message.body and "2027-03-31" in message.alternatives[0][0]
    assert "03/31/2027" not in message.body
    # The HTML part says its language, as pages do (mail readers use it for hyphenation
    # and reading aloud).
    assert f'<html lang="{language}">' in message.alternatives[0][0]


@pytest.mark.parametrize("language", ["en", "sv"])
def test_csv_export_shows_iso_dates(staff_client, language):
    AgreementFactory(approved=True, start_date=START, end_date=END)
    response = staff_client.get("/agreements/export.csv", HTTP_ACCEPT_LANGUAGE=language)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    delimiter = ";" if language == "sv" else ","
    row = list(csv.reader(io.StringIO(body), delimiter=delimiter))[1]
    assert "2026-09-22" in row and "2027-03-31" in row
