"""The evaluation rule, written once (docs/domain.md: evaluated at least once a year).

An approved agreement is divided into periods of twelve months from its start date; the
last period ends on the end date, or on the termination date. Each period needs one
completed evaluation, due on the period's last day and overdue when that day plus the
grace period (settings.EVALUATION_GRACE_DAYS) has passed.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from core.dates import add_months

PERIOD_MONTHS = 12


@dataclass(frozen=True)
class PeriodDates:
    number: int  # 1 for the first year
    start: datetime.date
    end: datetime.date


def evaluation_periods(start: datetime.date, last_day: datetime.date) -> list[PeriodDates]:
    """The twelve-month periods from `start`, the last one cut at `last_day`."""
    periods = []
    number = 1
    period_start = start
    while period_start <= last_day:
        period_end = add_months(start, PERIOD_MONTHS * number) - datetime.timedelta(days=1)
        periods.append(PeriodDates(number, period_start, min(period_end, last_day)))
        period_start = period_end + datetime.timedelta(days=1)
        number += 1
    return periods


def grace_days() -> int:
    return settings.EVALUATION_GRACE_DAYS


def overdue_after(due_date: datetime.date) -> datetime.date:
    """The last day an evaluation due on `due_date` is not yet overdue."""
    return due_date + datetime.timedelta(days=grace_days())


def overdue_cutoff(today: datetime.date) -> datetime.date:
    """Periods ending before this day are overdue today if not evaluated.

    The same rule as overdue_after(), turned around for queries: end < today - grace.
    """
    return today - datetime.timedelta(days=grace_days())
