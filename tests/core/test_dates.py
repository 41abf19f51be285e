import datetime

import pytest

from core.dates import add_months, whole_months_between

D = datetime.date


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 11, 15), 3, D(2027, 2, 15)),
        (D(2026, 3, 1), 24, D(2028, 3, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_whole_months_between():
    assert whole_months_between(D(2026, 1, 1), D(2027, 12, 31)) == 24
    assert whole_months_between(D(2026, 3, 15), D(2026, 6, 14)) == 3
    assert whole_months_between(D(2026, 1, 1), D(2026, 2, 10)) is None
