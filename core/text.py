"""What counts as one line of text, and the form of a text that uniqueness is judged on."""

import unicodedata

# Characters that reorder the text around them when it is shown (bidirectional
# embeddings, overrides and isolates): in a name they can make one word look like
# another. The marks U+200E and U+200F, which right-to-left text may need, are allowed.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_control_character(character: str) -> bool:
    """A control character (including line breaks and tabs), a line or paragraph
    separator, or a bidirectional override: none belongs in a one-line field."""
    return unicodedata.category(character) in ("Cc", "Zl", "Zp") or character in _BIDI_CONTROLS


def has_control_characters(text: str) -> bool:
    return any(is_control_character(character) for character in text)


def one_line(text: str) -> str:
    """The text as one line: line breaks and tabs become spaces, other control
    characters are dropped. For output that cannot carry them (a calendar entry's title)."""
    return " ".join(_replace_controls(text, line_break=" ").split())


def without_control_characters(text: str) -> str:
    """Multi-line text without the control characters that output formats refuse: line
    breaks stay (as newlines), tabs become spaces, the rest is dropped."""
    return _replace_controls(text.replace("\r\n", "\n"), line_break="\n")


def _replace_controls(text: str, *, line_break: str) -> str:
    kept = []
    for character in text:
        if not is_control_character(character):
            kept.append(character)
        elif character in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
            kept.append(line_break)
        elif character == "\t":
            kept.append(" ")
    return "".join(kept)


def uniqueness_key(text: str) -> str:
    """The form of a name that uniqueness is judged on.

    Letters typed in different ways are one: composed or decomposed (é or e + ◌́, as a
    copy from macOS gives), full-width or compatibility forms (ＡＢＣ, ﬁ), any case
    (casefold() treats Ö and ö, ß and ss alike on every database; SQLite's LOWER() only
    knows ASCII). Invisible format characters (zero-width spaces and joiners, soft
    hyphens, direction marks) are dropped, and runs of spaces count as one.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(character for character in text if unicodedata.category(character) != "Cf")
    return unicodedata.normalize("NFKC", " ".join(text.split()).casefold())


def tidy_code(text: str) -> str:
    """A code as typed (an organisation number), in its plain form: full-width digits
    become digits, invisible format characters go, spaces are single."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(
        "".join(character for character in text if unicodedata.category(character) != "Cf").split()
    )


def compact_key(text: str) -> str:
    """uniqueness_key() with only letters and digits kept: for codes such as
    organisation numbers, where 802000-1234, 802000 1234 and 8020001234 are one."""
    return "".join(character for character in uniqueness_key(text) if character.isalnum())
