"""Every piece of user-facing text in a template is inside a translation tag, so the
Swedish catalogue can cover it: text between tags and the visible attributes (title,
alt, placeholder, aria-label) are checked after translation tags, variables and
comments are taken out."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
# Letters in a row that would be a word a user reads.
WORD = re.compile(r"[^\W\d_]{2,}")
# Words that are the same in every language we ship: units and codes.
SAME_IN_EVERY_LANGUAGE = {"PDF", "CSV", "ICS", "SEK", "EUR"}

_STRIP = [
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*blocktranslate\b.*?\{%\s*endblocktranslate\s*%\}", re.S),
    re.compile(r"\{%.*?%\}", re.S),
    re.compile(r"\{\{.*?\}\}", re.S),
    re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I),
]


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_data(self, data):
        self.found.extend(WORD.findall(data))

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.found.extend(WORD.findall(value))


def untranslated_words(source: str) -> list[str]:
    for pattern in _STRIP:
        source = pattern.sub(" ", source)
    collector = _TextCollector()
    collector.feed(source)
    return [word for word in collector.found if word not in SAME_IN_EVERY_LANGUAGE]


def test_the_check_finds_text_outside_translation_tags():
    assert untranslated_words("<p>Hello {{ name }}</p>") == ["Hello"]
    assert untranslated_words('<a title="Open it" href="/x">{% translate "x" %}</a>') == [
        "Open",
        "it",
    ]
    assert untranslated_words('<p>{% translate "Hello" %} {{ name }} – 3</p>') == []
    assert (
        untranslated_words("{% blocktranslate %}Hello{% plural %}Hellos{% endblocktranslate %}")
        == []
    )


@pytest.mark.parametrize(
    "path",
    sorted(
        p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt"} and "admin" not in p.parts
    ),
    ids=lambda p: str(p.relative_to(TEMPLATES)),
)
def test_template_has_no_text_outside_translation_tags(path):
    assert untranslated_words(path.read_text(encoding="utf-8")) == []
