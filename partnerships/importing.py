"""Partners from a CSV or Excel file: read the file, preview every row, keep the upload
until the user confirms.

Every row is checked by the partner form itself (PartnerImportForm is PartnerForm with
the register read once for the whole file instead of once a row), so an import applies
exactly the rules of the "Register partner" page. Nothing here writes to the register:
services.partners_import does, after the user has seen the preview.
"""

import codecs
import csv
import datetime
import hashlib
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from functools import cached_property

import openpyxl
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override
from django_countries import countries

from partnerships import selectors
from partnerships.forms import ContactForm, PartnerImportForm
from partnerships.models import FocusArea, Partner, PartnerKind, RiskLevel, partner_name_key

# A larger register is imported in several files.
MAX_ROWS = 10_000
# An .xlsx file is a ZIP archive; one that unpacks to more than this is refused.
MAX_UNPACKED_SIZE = 100 * 1024 * 1024
# Cells read per spreadsheet row; anything to the right of them is ignored.
MAX_COLUMNS = 100
# Rows to be created shown on the preview page (every row with a problem is shown).
PREVIEW_ROWS_SHOWN = 100
# Uploads waiting for confirmation, in the private media storage (never served).
STAGING_FOLDER = "imports"
STAGING_HOURS = 24

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Control characters never found in a text table: a sign of a binary file.
_BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DELIMITERS = ";,\t"


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message tells the user why."""


@dataclass(frozen=True)
class Column:
    key: str  # the header in the template file
    label: str  # also accepted as a header, in every language of the interface
    example: str
    required: bool = False

    @property
    def form_field(self) -> str:
        return self.key.removeprefix("contact_")

    @property
    def is_contact(self) -> bool:
        return self.key.startswith("contact_")


def _partner_label(name):
    return capfirst(Partner._meta.get_field(name).verbose_name)


COLUMNS = [
    Column("name", _partner_label("name"), "Föreningen Läslust Malmö", required=True),
    Column("organisation_number", _partner_label("organisation_number"), "802456-1234"),
    Column("kind", _partner_label("kind"), PartnerKind.ASSOCIATION.value, required=True),
    Column("country", _partner_label("country"), "SE"),
    Column("website", _partner_label("website"), "https://laslust.example"),
    Column("email", _partner_label("email"), "info@laslust.example"),
    Column("phone", _partner_label("phone"), "040-123 45 67"),
    Column("street_address", _partner_label("street_address"), "Storgatan 12"),
    Column("postal_code", _partner_label("postal_code"), "211 20"),
    Column("city", _partner_label("city"), "Malmö"),
    Column("description", _partner_label("description"), "Läsfrämjande för barn och unga."),
    Column("focus_areas", _partner_label("focus_areas"), "education; culture"),
    Column("responsible", _partner_label("responsible"), ""),
    Column("risk_level", _partner_label("risk_level"), RiskLevel.LOW.value),
    Column("risk_note", _partner_label("risk_note"), ""),
    Column("contact_name", gettext_lazy("Contact name"), "Sara Nyström"),
    Column("contact_role", gettext_lazy("Contact role"), "Verksamhetsledare"),
    Column("contact_email", gettext_lazy("Contact email"), "sara@laslust.example"),
    Column("contact_phone", gettext_lazy("Contact phone"), "+46 70 123 45 67"),
]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}

# Headers other systems commonly use for the same thing.
_HEADER_ALIASES = {
    "organisation_number": ["organization number", "org number", "org no", "org nr", "orgnr"],
    "kind": ["type"],
    "email": ["e mail"],
    "website": ["web", "url"],
    "responsible": ["responsible staff", "responsible person"],
}


def column_guide() -> list[tuple[Column, str]]:
    """Each column with what it accepts, for the upload page and the template."""
    areas = ", ".join(FocusArea.objects.values_list("code", flat=True))
    accepts = {
        "name": _("Up to 200 characters. Unique in the register (case and spacing ignored)."),
        "organisation_number": _("Optional. Unique in the register when given."),
        "kind": _("One of: %(codes)s.") % {"codes": ", ".join(PartnerKind.values)},
        "country": _("Two-letter code (SE) or the country's name. Empty: Sweden."),
        "focus_areas": _("Codes separated by semicolons: %(codes)s.") % {"codes": areas},
        "responsible": _("User name or email of a staff member or manager. Empty: you."),
        "risk_level": _("One of: %(codes)s. Empty: not assessed.")
        % {"codes": ", ".join(RiskLevel.values)},
        "contact_name": _(
            "One contact person per partner; required if any contact column is filled in."
        ),
    }
    return [(column, accepts.get(column.key, "")) for column in COLUMNS]


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
            cells = [cell.strip() for cell in record[:MAX_COLUMNS]]
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
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows. Split it and import the parts one by one.")
            % {"max": f"{MAX_ROWS:,}".replace(",", "\u00a0")}
        )


def _read_xlsx(data: bytes) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise _damaged_workbook() from None
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise _not_a_table()  # a Word or OpenDocument file, or another ZIP
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_SIZE:
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
            cells = [_cell_value(cell) for cell in row[:MAX_COLUMNS]]
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


def _normalise_header(text) -> str:
    return " ".join(re.sub(r"[_\-.:]+", " ", str(text)).split()).casefold()


def _header_names() -> dict[str, Column]:
    names = {}
    for column in COLUMNS:
        for name in (column.key, *_HEADER_ALIASES.get(column.key, ())):
            names[_normalise_header(name)] = column
        for language, _name in settings.LANGUAGES:
            with override(language):
                names.setdefault(_normalise_header(column.label), column)
    return names


def match_columns(header: list[str]) -> tuple[dict[int, Column], list[str]]:
    """Which column of the file is which, and the headers that are not imported.

    Raises ImportFileError naming the required columns that are missing.
    """
    names = _header_names()
    by_index, seen, unknown = {}, {}, []
    for index, text in enumerate(header):
        if not str(text).strip():
            continue
        column = names.get(_normalise_header(text))
        if column is None:
            unknown.append(str(text))
            continue
        if column.key in seen:
            raise ImportFileError(
                _("Two columns are “%(column)s”: “%(first)s” and “%(second)s”. Keep one.")
                % {"column": column.key, "first": seen[column.key], "second": text}
            )
        seen[column.key] = text
        by_index[index] = column
    missing = [column.key for column in COLUMNS if column.required and column.key not in seen]
    if missing:
        raise ImportFileError(
            ngettext(
                "The required column %(columns)s is missing.",
                "The required columns %(columns)s are missing.",
                len(missing),
            )
            % {"columns": ", ".join(f"“{key}”" for key in missing)}
            + " "
            + _("The first row must name the columns, as in the template.")
        )
    return by_index, unknown


# The preview ----------------------------------------------------------------------------

NEW, DUPLICATE, ERROR = "new", "duplicate", "error"
_DUPLICATE_CODES = {"unique", "unique_in_file"}
_DEFAULT_COUNTRY = Partner._meta.get_field("country").default
_NUMBER_LIKE = re.compile(r"[+-][\d\s().\-/]*")


def looks_like_formula(text: str) -> bool:
    """A cell a spreadsheet would run as a formula. A phone number such as +46 8 123 45
    or a negative number is not one."""
    text = text.strip()
    return bool(text) and text[0] in "=+-@" and not _NUMBER_LIKE.fullmatch(text)


@dataclass
class Problem:
    column: str  # the header as written in the file; empty for the row as a whole
    message: str


@dataclass
class ImportRow:
    number: int
    values: dict  # by column key, as read
    status: str = NEW
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    partner_form: PartnerImportForm | None = None
    contact_form: ContactForm | None = None

    def value(self, key) -> str:
        value = self.values.get(key, "")
        return value.text if isinstance(value, Formula) else value

    @property
    def text(self) -> dict:
        """Every cell as text, a formula as its text, for the page."""
        return {key: self.value(key) for key in self.values}


@dataclass
class ImportPreview:
    rows: list
    unknown_columns: list
    file_format: str
    encoding: str

    @cached_property
    def new_rows(self):
        return [row for row in self.rows if row.status == NEW]

    @cached_property
    def duplicate_rows(self):
        return [row for row in self.rows if row.status == DUPLICATE]

    @cached_property
    def error_rows(self):
        return [row for row in self.rows if row.status == ERROR]

    @cached_property
    def shown_new_rows(self):
        """Every row with a warning, and the first rows to be created."""
        return [
            row
            for index, row in enumerate(self.new_rows)
            if row.warnings or index < PREVIEW_ROWS_SHOWN
        ]

    @property
    def hidden_new_count(self) -> int:
        return len(self.new_rows) - len(self.shown_new_rows)

    @property
    def fingerprint(self) -> str:
        """Changes when the rows to be created change, e.g. when someone registered one of
        them after the preview was shown."""
        digest = hashlib.sha256()
        for row in self.new_rows:
            digest.update(repr((row.number, sorted(row.values.items()))).encode())
        return digest.hexdigest()[:32]


class _Register:
    """Who holds each name and organisation number: the partners in the register, read
    in one query, and the rows of the file read so far."""

    def __init__(self):
        self._holders = {"name_key": {}, "organisation_number": {}}
        for pk, name, name_key, number in Partner.objects.values_list(
            "pk", "name", "name_key", "organisation_number"
        ):
            self._holders["name_key"][name_key] = (pk, name)
            if number:
                self._holders["organisation_number"][number] = (pk, name)

    def holder(self, field_name: str, value: str) -> Partner | int | None:
        """The partner holding the value, the number of the file's row that does, or None."""
        holder = self._holders[field_name].get(value)
        if isinstance(holder, tuple):
            return Partner(pk=holder[0], name=holder[1])
        return holder

    def claim(self, row_number: int, name: str, number: str) -> None:
        if name.strip():
            self._holders["name_key"].setdefault(partner_name_key(name), row_number)
        if number.strip():
            self._holders["organisation_number"].setdefault(number.strip(), row_number)


class _Lookups:
    """What a cell may name, read once: kinds, risk levels and countries by code or name,
    focus areas by code or name, staff by user name or email."""

    def __init__(self, user):
        self.user = user
        self.kinds = self._choices(PartnerKind)
        self.risk_levels = self._choices(RiskLevel)
        areas = list(FocusArea.objects.all())
        staff = list(selectors.staff_users())
        # What the form's choice fields accept, by primary key.
        self.choices = {
            "responsible": {user.pk: user for user in staff},
            "focus_areas": {area.pk: area for area in areas},
        }
        self.form_fields = PartnerImportForm.fields_for_import(choices=self.choices)
        self.focus_area_codes = [area.code for area in areas]
        self.focus_areas = {}
        for area in areas:
            self.focus_areas[area.code.casefold()] = area.pk
            for language, _name in settings.LANGUAGES:
                with override(language):
                    self.focus_areas.setdefault(str(area).casefold(), area.pk)
        self.staff = {}
        for user in staff:
            self.staff[user.username.casefold()] = user.pk
            if user.email:
                self.staff.setdefault(user.email.casefold(), user.pk)
        self._countries = {}

    @staticmethod
    def _choices(choices) -> dict[str, str]:
        found = {}
        for value, label in choices.choices:
            found[value.casefold()] = value
            for language, _name in settings.LANGUAGES:
                with override(language):
                    found.setdefault(str(label).casefold(), value)
        return found

    def country(self, text: str) -> str:
        if text not in self._countries:
            code = countries.alpha2(text) if len(text) in (2, 3) else ""
            if not code:
                for language, _name in settings.LANGUAGES:
                    code = countries.by_name(text, language=language)
                    if code:
                        break
            self._countries[text] = code or text
        return self._countries[text]


def _invalid_choice_message(key: str, value) -> str:
    if key == "kind":
        return _("“%(value)s” is not a kind of organisation. Use one of: %(codes)s.") % {
            "value": value,
            "codes": ", ".join(PartnerKind.values),
        }
    if key == "country":
        return _("“%(value)s” is not a country. Use a two-letter code such as SE.") % {
            "value": value
        }
    if key == "risk_level":
        return _("“%(value)s” is not a risk level. Use one of: %(codes)s, or leave it empty.") % {
            "value": value,
            "codes": ", ".join(RiskLevel.values),
        }
    if key == "responsible":
        return _("No active staff member or manager has the user name or email “%(value)s”.") % {
            "value": value
        }
    return ""


def preview_import(table: Table, *, user) -> ImportPreview:
    """What importing the table would do, row by row; writes nothing.

    The register is read in a fixed number of queries whatever the number of rows.
    """
    columns, unknown = match_columns(table.header)
    headers = {column.key: str(table.header[index]) for index, column in columns.items()}
    register = _Register()
    lookups = _Lookups(user)
    rows = []
    for number, cells in table.rows:
        values = {
            column.key: cells[index] if index < len(cells) else ""
            for index, column in columns.items()
        }
        row = ImportRow(number=number, values=values)
        _check_row(row, headers, register, lookups)
        register.claim(number, row.value("name"), row.value("organisation_number"))
        rows.append(row)
    return ImportPreview(
        rows=rows, unknown_columns=unknown, file_format=table.file_format, encoding=table.encoding
    )


def _check_row(row: ImportRow, headers: dict, register: _Register, lookups: _Lookups) -> None:
    def header(key):
        column = COLUMNS_BY_KEY[key]
        return headers.get(key) or str(column.label)

    formulas = set()
    for key, value in row.values.items():
        if isinstance(value, Formula):
            formulas.add(key)
            row.problems.append(
                Problem(
                    header(key),
                    _(
                        "The cell holds a formula (%(formula)s), which is not run. Type "
                        "the value itself, or copy the column and paste it as values."
                    )
                    % {"formula": value.text},
                )
            )
        elif looks_like_formula(value):
            row.warnings.append(
                Problem(
                    header(key),
                    _(
                        "Begins with “%(character)s”: it is stored as text, exactly as "
                        "written, and never run as a formula."
                    )
                    % {"character": value.strip()[0]},
                )
            )

    partner_data, contact_data = {}, {}
    for key in COLUMNS_BY_KEY:
        value = row.value(key) if key not in formulas else ""
        if COLUMNS_BY_KEY[key].is_contact:
            contact_data[COLUMNS_BY_KEY[key].form_field] = value
        else:
            partner_data[key] = value
    partner_data["kind"] = lookups.kinds.get(partner_data["kind"].casefold(), partner_data["kind"])
    partner_data["risk_level"] = lookups.risk_levels.get(
        partner_data["risk_level"].casefold(), partner_data["risk_level"]
    )
    country = partner_data["country"]
    partner_data["country"] = lookups.country(country) if country else _DEFAULT_COUNTRY
    responsible = partner_data["responsible"]
    partner_data["responsible"] = (
        lookups.staff.get(responsible.casefold(), responsible) if responsible else lookups.user.pk
    )
    areas = []
    for name in filter(
        None, (part.strip() for part in re.split(r"[;,]", partner_data["focus_areas"]))
    ):
        if name.casefold() in lookups.focus_areas:
            areas.append(lookups.focus_areas[name.casefold()])
        else:
            row.problems.append(
                Problem(
                    header("focus_areas"),
                    _("“%(value)s” is not a focus area. Use one of: %(codes)s.")
                    % {"value": name, "codes": ", ".join(lookups.focus_area_codes)},
                )
            )
    partner_data["focus_areas"] = areas

    row.partner_form = PartnerImportForm(
        data=partner_data,
        register=register,
        choices=lookups.choices,
        shared_fields=lookups.form_fields,
    )
    forms_to_check = [("", row.partner_form)]
    if any(contact_data.values()):
        row.contact_form = ContactForm(data=contact_data)
        forms_to_check.append(("contact_", row.contact_form))

    duplicate = False
    for prefix, form in forms_to_check:
        for field_name, errors in form.errors.as_data().items():
            key = prefix + field_name
            if key in formulas:
                continue  # already reported: the formula
            column = header(key) if key in COLUMNS_BY_KEY else ""
            for error in errors:
                duplicate = duplicate or error.code in _DUPLICATE_CODES
                if error.code == "invalid_choice" and _invalid_choice_message(key, ""):
                    messages = [_invalid_choice_message(key, row.value(key))]
                else:
                    messages = error.messages  # a link to the partner stays a link
                row.problems.extend(Problem(column, message) for message in messages)
    if duplicate:
        row.status = DUPLICATE
    elif row.problems:
        row.status = ERROR


# Staging: the upload waits in private storage until the user confirms -----------------
# What waits is the table as read (JSON), not the file: an Excel file is unpacked and
# parsed once, at the upload, however often the preview is opened.


def stage_table(table: Table) -> str:
    """Keep the table under a random name; returns the token that finds it again."""
    _remove_stale_uploads()
    token = uuid.uuid4().hex
    content = json.dumps(
        {
            "header": table.header,
            "rows": [
                [number, [{"formula": c.text} if isinstance(c, Formula) else c for c in cells]]
                for number, cells in table.rows
            ],
            "file_format": table.file_format,
            "encoding": table.encoding,
        },
        ensure_ascii=False,
    )
    default_storage.save(_staged_name(token), ContentFile(content.encode("utf-8")))
    return token


def staged_table(token: str) -> Table | None:
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        return None
    name = _staged_name(token)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as staged:
        content = json.loads(staged.read().decode("utf-8"))
    return Table(
        header=content["header"],
        rows=[
            (number, [Formula(c["formula"]) if isinstance(c, dict) else c for c in cells])
            for number, cells in content["rows"]
        ],
        file_format=content["file_format"],
        encoding=content["encoding"],
    )


def discard_staged(token: str) -> None:
    if re.fullmatch(r"[0-9a-f]{32}", token or ""):
        default_storage.delete(_staged_name(token))


def _staged_name(token: str) -> str:
    return f"{STAGING_FOLDER}/{token}.json"


def _remove_stale_uploads() -> None:
    """Uploads nobody confirmed within a day are removed at the next upload."""
    if not default_storage.exists(STAGING_FOLDER):
        return
    cutoff = timezone.now() - datetime.timedelta(hours=STAGING_HOURS)
    for name in default_storage.listdir(STAGING_FOLDER)[1]:
        path = f"{STAGING_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


# Template files -------------------------------------------------------------------------


def template_csv() -> bytes:
    """UTF-8 with the BOM Excel needs to show å, ä and ö; one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.key for column in COLUMNS])
    writer.writerow([column.example for column in COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Partners")[:31]
    sheet.append([column.key for column in COLUMNS])
    sheet.append([column.example for column in COLUMNS])
    bold = openpyxl.styles.Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for cell in sheet[2]:
        cell.number_format = "@"  # text, so 802456-1234 or 211 20 stay as typed
    for index, column in enumerate(COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = max(
            14, len(column.key) + 2, len(column.example) + 2
        )
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(_("Columns")[:31])
    guide.append([_("Column"), _("Required"), _("Accepts")])
    for cell in guide[1]:
        cell.font = bold
    for column, accepts in column_guide():
        guide.append([column.key, _("yes") if column.required else "", accepts])
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
