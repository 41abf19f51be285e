"""Calendar arithmetic for agreement periods."""

import calendar
import datetime

# The dates the app accepts anywhere (core.validators.refuse_implausible_day): wide
# enough for any agreement's history and future, far enough from the calendar's end
# (9999-12-31) that counting years and grace periods beyond a date never overflows.
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2199, 12, 31)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (Jan 31 + 1 = Feb 28/29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months_between(start: datetime.date, end_inclusive: datetime.date) -> int | None:
    """How many whole months a period start..end (inclusive) spans, or None if not whole."""
    after_end = end_inclusive + datetime.timedelta(days=1)
    months = (after_end.year - start.year) * 12 + after_end.month - start.month
    return months if months > 0 and add_months(start, months) == after_end else None
