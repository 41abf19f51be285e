"""Unicode-aware LIKE for SQLite.

SQLite's built-in LIKE folds case for ASCII letters only, so a search for "öppna" would
miss "Öppna Dörrar". Django's contains/icontains/iexact on SQLite are all LIKE, so
replacing the LIKE function on each connection makes every text lookup fold case for
all letters, as PostgreSQL's ILIKE does.
"""

import functools
import re


@functools.lru_cache(maxsize=1024)
def _like_pattern(pattern: str, escape: str | None) -> re.Pattern:
    parts = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if escape and char == escape and index + 1 < len(pattern):
            parts.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        if char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
        index += 1
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def unicode_like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _like_pattern(pattern, escape).fullmatch(str(value)) is not None


def install_unicode_like(sender, connection, **kwargs):
    """connection_created handler: replace LIKE on every new SQLite connection."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("like", 2, unicode_like, deterministic=True)
    raw.create_function("like", 3, unicode_like, deterministic=True)
