"""Ids asked for in one IN list, a batch at a time.

SQLite before 3.32 allows 999 variables in a statement (newer builds 32,766), and a
bulk write of a seeded register touches hundreds of thousands of rows: the stored
states that bulk writes refresh ask for their rows in batches that fit either limit.
"""

from collections.abc import Iterable, Iterator

# Under the 999 variables of the oldest SQLite, leaving room for a query's own values.
IN_BATCH = 900


def id_batches(ids: Iterable[int | None]) -> Iterator[list[int]]:
    """The distinct ids (None left out), sorted, in lists of at most IN_BATCH."""
    ordered = sorted({pk for pk in ids if pk is not None})
    for start in range(0, len(ordered), IN_BATCH):
        yield ordered[start : start + IN_BATCH]
