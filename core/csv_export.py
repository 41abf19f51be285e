"""CSV files that spreadsheets open as the user reads them, and safely.

Every CSV download is written here. Excel takes the cell separator and the decimal mark
from the computer's regional settings: Swedish Excel splits cells at `;` and reads
`1234,50` as a number, English Excel splits at `,` and reads `1234.50`; both need the
UTF-8 byte order mark to show å, ä and ö. So a file is written in the language of the
request: headings and labels as the caller translated them, numbers with the
language's decimal mark, dates as the pages show them, yes/no as words. Text a
spreadsheet would run as a formula gets a leading apostrophe.
"""

import csv
import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

BYTE_ORDER_MARK = "\ufeff"
# A cell starting with one of these is a formula to Excel and LibreOffice.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows sent together: one chunk (and one write to the socket) a row made a 30,000-row
# export 30,000 writes; a few hundred rows a chunk keep memory flat all the same.
ROWS_PER_CHUNK = 250


def spreadsheet_safe(value: str) -> str:
    """Text as text: a leading apostrophe stops a spreadsheet running it as a formula."""
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def cell_separator() -> str:
    """`;` where the active language writes a decimal comma (Swedish), else `,`."""
    return ";" if formats.get_format("DECIMAL_SEPARATOR") == "," else ","


class _Cells:
    """Turns values into cell text for the active language. Made once per file, so the
    formats and words are looked up once, not once a cell."""

    def __init__(self):
        self.decimal_mark = formats.get_format("DECIMAL_SEPARATOR")
        self.date_format = formats.get_format("SHORT_DATE_FORMAT")
        self.yes, self.no = gettext("Yes"), gettext("No")

    def __call__(self, value) -> str:
        kind = type(value)
        if kind is str:  # most cells: checked first
            return spreadsheet_safe(value)
        if value is None:
            return ""
        if kind is bool:
            return self.yes if value else self.no
        if kind is int:
            return str(value)
        if kind is float:
            value, kind = Decimal(repr(value)), Decimal
        if kind is Decimal:
            # Numbers stay numbers: no grouping, no exponent, and a minus sign is not a
            # formula.
            return format(value, "f").replace(".", self.decimal_mark)
        if kind is datetime.date:
            # ISO dates without the general formatter: a third of a large export's time.
            if self.date_format == "Y-m-d":
                return value.isoformat()
            return formats.date_format(value, self.date_format)
        if kind is datetime.datetime:
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return formats.date_format(value, "SHORT_DATETIME_FORMAT")
        # Lazy translations, and objects shown by their name (a user, a partner).
        return spreadsheet_safe(str(value))


class _Echo:
    def write(self, value):
        return value


def _lines(header: Iterable, rows: Iterable[Iterable], language: str):
    """The file in chunks of text, each made in `language`.

    A streamed file is read after the view has returned, while the request's language
    may no longer be active, so the language is switched on for each chunk (and off
    again before the chunk is handed on, never across a yield).
    """
    rows = iter(rows)
    with translation.override(language):
        cell = _Cells()
        writer = csv.writer(_Echo(), delimiter=cell_separator())
        chunk = [BYTE_ORDER_MARK, writer.writerow([cell(heading) for heading in header])]
    finished = False
    while not finished:
        with translation.override(language):
            for row in rows:
                chunk.append(writer.writerow([cell(value) for value in row]))
                if len(chunk) >= ROWS_PER_CHUNK:
                    break
            else:
                finished = True
        if chunk:
            yield "".join(chunk)
            chunk = []


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]):
    """Stream `rows` (iterables of values) under the `header` headings as a CSV download
    in the request's language: memory stays flat however many rows.

    Pass values as they are (dates, Decimals, None, booleans, labels): they are written
    here as the language reads them.
    """
    response = StreamingHttpResponse(
        _lines(header, rows, translation.get_language()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_bytes(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """The same file as csv_response() writes, whole, in the active language."""
    return "".join(_lines(header, rows, translation.get_language())).encode("utf-8")
