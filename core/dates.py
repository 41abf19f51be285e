"""Calendar arithmetic for agreement periods."""

import calendar
import datetime


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
