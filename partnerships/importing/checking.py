"""The preview: every row checked by the partner form's own rules, duplicates in the
register and earlier in the file, and what will be created."""

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_countries import countries

from partnerships import selectors
from partnerships.forms import ContactForm, PartnerImportForm
from partnerships.importing.columns import COLUMNS_BY_KEY, match_columns
from partnerships.importing.limits import PREVIEW_ROWS_SHOWN
from partnerships.importing.reading import Formula, Table
from partnerships.models import (
    FocusArea,
    Partner,
    PartnerKind,
    RiskLevel,
    organisation_number_key,
    partner_name_key,
)

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
        self._holders = {"name_key": {}, "organisation_number_key": {}}
        for pk, name, name_key, number_key in Partner.objects.values_list(
            "pk", "name", "name_key", "organisation_number_key"
        ):
            self._holders["name_key"][name_key] = (pk, name)
            if number_key:
                self._holders["organisation_number_key"][number_key] = (pk, name)

    def holder(self, field_name: str, value: str) -> Partner | int | None:
        """The partner holding the value, the number of the file's row that does, or None."""
        holder = self._holders[field_name].get(value)
        if isinstance(holder, tuple):
            return Partner(pk=holder[0], name=holder[1])
        return holder

    def claim(self, row_number: int, name: str, number: str) -> None:
        if name.strip():
            self._holders["name_key"].setdefault(partner_name_key(name), row_number)
        if organisation_number_key(number):
            self._holders["organisation_number_key"].setdefault(
                organisation_number_key(number), row_number
            )


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
