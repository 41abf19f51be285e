"""Checks for uploaded documents: size and real file type, not just the name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

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
