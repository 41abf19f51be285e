"""The Swedish catalogue is complete, and the compiled file matches it."""

from pathlib import Path

import polib
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "sv" / "LC_MESSAGES"


def test_every_swedish_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]
    assert len(po) > 700


def test_the_compiled_catalogue_is_up_to_date():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in mo}
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        expected = entry.msgstr or {int(k): v for k, v in entry.msgstr_plural.items()}
        found = compiled.get(key)
        if isinstance(found, dict):
            found = {int(k): v for k, v in found.items()}
        assert found == expected, f"{entry.msgid!r}: run compilemessages"


def test_pages_speak_swedish_to_a_swedish_browser(staff_client):
    html = staff_client.get("/partners/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Registrera partner" in html
    with translation.override("sv"):
        assert str(translation.gettext("Overdue")) != "Overdue"
