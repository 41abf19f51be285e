"""Data that users read, stored in each language of the interface.

Rows that the organisation keeps as data (focus areas, selection criteria) are read on
English and Swedish pages alike, so a translation catalogue cannot hold them: the model
keeps the English text in `name` and the Swedish in `name_sv`, one column per further
language of LANGUAGES, and the page shows the active language's.
"""

from django.conf import settings
from django.utils import translation

# The language of the unsuffixed column.
BASE_LANGUAGE = "en"


def translated(obj, field: str) -> str:
    """`obj.<field>` in the active language; the English where that one is empty."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language != BASE_LANGUAGE:
        text = getattr(obj, f"{field}_{language}", "")
        if text:
            return text
    return getattr(obj, field)
