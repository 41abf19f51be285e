"""When a partner's due diligence is reviewed again: every so many months after the last
review, by risk level (settings.DUE_DILIGENCE_REVIEW_MONTHS; a partner not yet assessed
is reviewed as often as a high-risk one). Its next review is due on that day and overdue
after it. This module is the one place that says so: the partner list's filter, the
dashboard, the reminders and the approval warning all ask it (through
Partner.objects.review_overdue / review_due_within and Partner.next_review_on).

A partner never reviewed has no review date: its due diligence is incomplete
(DUE_DILIGENCE_COMPLETE), which lists and pages show apart.
"""

import datetime

from django.conf import settings
from django.db.models import Q

from core.dates import add_months

ONE_DAY = datetime.timedelta(days=1)


def review_interval_months(risk_level: str) -> int:
    """Months between reviews for a risk level ("" for not assessed: the shortest)."""
    months = settings.DUE_DILIGENCE_REVIEW_MONTHS
    return months.get(risk_level) or min(months.values())


def next_review_on(last_review: datetime.date | None, risk_level: str) -> datetime.date | None:
    if last_review is None:
        return None
    return add_months(last_review, review_interval_months(risk_level))


def _earliest_review_not_overdue(day: datetime.date, months: int) -> datetime.date:
    """The earliest last-review date whose next review falls on or after `day`. Month
    ends are clamped (31 March + 1 month = 30 April), so step to the exact edge."""
    edge = add_months(day, -months)
    while add_months(edge - ONE_DAY, months) >= day:
        edge -= ONE_DAY
    while add_months(edge, months) < day:
        edge += ONE_DAY
    return edge


def review_overdue_condition(day: datetime.date, prefix: str = "") -> Q:
    """Current partners whose next review is before `day`: overdue on that day."""
    levels = {
        level: review_interval_months(level) for level in settings.DUE_DILIGENCE_REVIEW_MONTHS
    }
    levels[""] = review_interval_months("")
    # Current partners in each branch: one range of the (risk level, last review) index
    # each, where "not archived" outside the branches had SQLite read every partner.
    condition = Q()
    for level, months in levels.items():
        condition |= Q(
            **{
                f"{prefix}risk_level": level,
                f"{prefix}last_due_diligence_review_on__lt": _earliest_review_not_overdue(
                    day, months
                ),
                f"{prefix}archived_at__isnull": True,
            }
        )
    return condition


def review_state(last_review, risk_level, archived: bool, today: datetime.date) -> str:
    """ "overdue", "due" (within settings.REVIEW_DUE_SOON_DAYS) or "" for one partner.
    Mirrors review_overdue_condition()."""
    due = next_review_on(last_review, risk_level)
    if due is None or archived:
        return ""
    if due < today:
        return "overdue"
    if due <= today + datetime.timedelta(days=settings.REVIEW_DUE_SOON_DAYS):
        return "due"
    return ""
