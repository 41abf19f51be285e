"""Reading a CSV or Excel file into a table of text cells, refusing what is not one."""

import codecs
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass

import openpyxl
from django.utils.translation import gettext as _

from partnerships.importing import limits
from partnerships.importing.limits import ImportFileError

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Control characters never found in a text table: a sign of a binary file.
_BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DELIMITERS = ";,\t"

# Reading the file -----------------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    """A spreadsheet cell that holds a formula: its text, never its result."""

    text: str


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list]]  # (row number as a spreadsheet shows it, cells)
    file_format: str  # "csv" or "xlsx"
    encoding: str = ""  # how a CSV file's bytes were read


def read_table(data: bytes) -> Table:
    """The header and the non-blank rows of a CSV or .xlsx file, told apart by content."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(_ZIP_SIGNATURE):
        table = _read_xlsx(data)
    elif data.startswith(_OLD_EXCEL_SIGNATURE):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls) or a protected workbook. Save it as an "
                "Excel workbook (.xlsx) or as “CSV UTF-8” and upload that."
            )
        )
    else:
        table = _read_csv(data)
    if not table.header:
        raise ImportFileError(_("The file is empty."))
    if not table.rows:
        raise ImportFileError(_("The file has a header row but no partners below it."))
    return table


def _not_a_table():
    return ImportFileError(
        _("This is not a CSV file or an Excel workbook (.xlsx). Upload one of those.")
    )


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without the BOM Excel writes), else the Windows code page Excel
    uses for "CSV" in Western Europe."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _not_a_table() from None
    if b"\x00" in data:
        raise _not_a_table()
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file's characters cannot be read: it is neither UTF-8 nor "
                "Windows-1252 text. Save it as “CSV UTF-8” and upload it again."
            )
        ) from None


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if _BINARY_CHARACTERS.search(text[:65536]):
        raise _not_a_table()
    first_line, _newline, rest = text.partition("\n")
    # Excel understands a first line "sep=;" naming the delimiter, and hides it.
    if re.fullmatch(r"sep=.", first_line.strip()):
        delimiter = first_line.strip()[-1]
        text = rest
    else:
        # The header row tells: Excel in Sweden separates with semicolons.
        header_line = next((line for line in text.splitlines() if line.strip()), "")
        counts = {character: header_line.count(character) for character in _DELIMITERS}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header, rows = [], []
    try:
        for number, record in enumerate(reader, start=1):
            cells = [cell.strip() for cell in record[: limits.MAX_COLUMNS]]
            if not any(cells):
                continue
            if not header:
                header = cells
                continue
            rows.append((number, cells))
            _check_row_count(rows)
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read at line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    return Table(header=header, rows=rows, file_format="csv", encoding=encoding)


def _check_row_count(rows):
    if len(rows) > limits.MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows. Split it and import the parts one by one.")
            % {"max": f"{limits.MAX_ROWS:,}".replace(",", "\u00a0")}
        )


def _read_xlsx(data: bytes) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise _damaged_workbook() from None
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise _not_a_table()  # a Word or OpenDocument file, or another ZIP
    if sum(entry.file_size for entry in entries) > limits.MAX_UNPACKED_SIZE:
        raise ImportFileError(_("The workbook is too large when unpacked."))
    try:
        # Not data_only: a formula cell then arrives as its text, which we refuse, rather
        # than as whatever result was last saved with it (or nothing at all).
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or unusual file
        raise _damaged_workbook() from None
    header, rows = [], []
    try:
        sheet = workbook.worksheets[0]
        # The size a workbook states for itself can be wrong; read what is there.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells = [_cell_value(cell) for cell in row[: limits.MAX_COLUMNS]]
            if not any(cells):
                continue
            if not header:
                header = [cell.text if isinstance(cell, Formula) else cell for cell in cells]
                continue
            rows.append((number, cells))
            _check_row_count(rows)
    except ImportFileError:
        raise
    except Exception:
        raise _damaged_workbook() from None
    finally:
        workbook.close()
    return Table(header=header, rows=rows, file_format="xlsx")


def _damaged_workbook():
    return ImportFileError(
        _(
            "The Excel file cannot be read; it may be damaged. Open it in Excel, save it "
            "again as .xlsx (or as “CSV UTF-8”) and upload that."
        )
    )


def _cell_value(cell):
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if getattr(cell, "data_type", None) == "f":
        return Formula(str(getattr(value, "text", value)))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a postal code or phone number typed as a number
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()
