"""The columns a partner file may have, their labels in both languages, and which of
the file's columns is which."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override

from partnerships.importing.limits import ImportFileError
from partnerships.models import FocusArea, Partner, PartnerKind, RiskLevel


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
