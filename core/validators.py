"""Checks shared by every app: one-line text, plausible dates, and uploaded documents
(size and real file type, not just the name)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.dates import EARLIEST_DAY, LATEST_DAY
from core.text import has_control_characters


def refuse_control_characters(value: str) -> None:
    """A one-line field (a name, title, reference, unit) holds no line break, tab or
    other control character: they break calendar files and email headers, and can hide
    or reorder what a reader sees."""
    if has_control_characters(value):
        raise ValidationError(
            _("Write this on one line, without line breaks, tabs or other control characters."),
            code="control_characters",
        )


def refuse_implausible_day(value: datetime.date) -> None:
    """Every date the app stores lies in a range it can count days and years in (an
    agreement ending in 9999 left no room for its evaluation periods)."""
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s.")
            % {
                "earliest": date_format(EARLIEST_DAY, "SHORT_DATE_FORMAT"),
                "latest": date_format(LATEST_DAY, "SHORT_DATE_FORMAT"),
            },
            code="implausible_date",
        )


# Extension -> the bytes a genuine file of that type starts with.
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}

DOCUMENT_EXTENSIONS = ("pdf", "docx", "odt", "xlsx", "ods")
PDF_ONLY = ("pdf",)


@deconstructible
class DocumentValidator:
    """Accepts files with one of the allowed extensions whose content matches it."""

    def __init__(self, allowed_extensions=DOCUMENT_EXTENSIONS):
        self.allowed_extensions = tuple(allowed_extensions)

    def __call__(self, uploaded):
        max_size = settings.MAX_UPLOAD_SIZE
        if uploaded.size > max_size:
            raise ValidationError(
                _("The file is %(size)s; the largest allowed is %(max)s.")
                % {"size": filesizeformat(uploaded.size), "max": filesizeformat(max_size)},
                code="file_too_large",
            )
        extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
        allowed = ", ".join(ext.upper() for ext in self.allowed_extensions)
        if extension not in self.allowed_extensions:
            raise ValidationError(
                _("Only these file types are accepted: %(allowed)s.") % {"allowed": allowed},
                code="file_type",
            )
        position = uploaded.tell() if hasattr(uploaded, "tell") else 0
        uploaded.seek(0)
        head = uploaded.read(16)
        uploaded.seek(position)
        if not head.startswith(_SIGNATURES[extension]):
            raise ValidationError(
                _("The file's content is not a real %(type)s file.") % {"type": extension.upper()},
                code="file_content",
            )

    def __eq__(self, other):
        return isinstance(other, DocumentValidator) and (
            self.allowed_extensions == other.allowed_extensions
        )
