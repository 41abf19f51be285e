"""The dates of agreements as iCalendar (RFC 5545) all-day events.

Each event's UID names what it is about (agreement-12-end@host), never when, so a
calendar program that fetches the feed again, or imports a download again, replaces the
event instead of adding a second one, also after a date has moved.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event, vDuration

from agreements.models import Status
from calendars.selectors import agreement_periods, feed_agreements, feed_periods
from core.links import absolute_url
from core.text import one_line, without_control_characters
from reminders.services import ending_reminder_dates

PRODID = "-//Partnerships//Agreement dates//EN"
# How often a subscribed calendar program is asked to fetch the feed again.
REFRESH_INTERVAL = datetime.timedelta(hours=6)


@dataclass(frozen=True)
class Entry:
    uid: str
    day: datetime.date
    summary: str
    description: str
    url: str
    last_modified: datetime.datetime
    sequence: int


def _uid(name: str) -> str:
    return f"{name}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def _day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _names(agreement) -> dict:
    return {
        "agreement": f"{agreement.reference} {agreement.title}",
        "partner": agreement.partner.name,
    }


def _entry(agreement, *, uid, day, summary, lines, anchor=""):
    url = absolute_url(agreement.get_absolute_url() + anchor)
    responsible = _("Responsible: %(name)s") % {"name": agreement.responsible}
    return Entry(
        uid=_uid(uid),
        day=day,
        summary=summary,
        description="\n".join([*lines, responsible, url]),
        url=url,
        last_modified=agreement.updated_at,
        sequence=agreement.version,
    )


def agreement_entries(agreement) -> list[Entry]:
    """An approved agreement's end date and the days its ending reminders go out."""
    if agreement.status != Status.APPROVED:
        return []
    names = _names(agreement)
    ends = {**names, "date": _day(agreement.end_date)}
    entries = [
        _entry(
            agreement,
            uid=f"agreement-{agreement.pk}-end",
            day=agreement.end_date,
            summary=_("Agreement ends: %(agreement)s (%(partner)s)") % names,
            lines=[
                _("%(agreement)s with %(partner)s ends on %(date)s.") % ends,
                _(
                    "It is never extended automatically: continuing needs a new, approved agreement."
                ),
            ],
        )
    ]
    for distance, day in ending_reminder_dates(agreement):
        days_left = (agreement.end_date - day).days
        entries.append(
            _entry(
                agreement,
                uid=f"agreement-{agreement.pk}-ending-reminder-{distance}",
                day=day,
                summary=ngettext(
                    "Reminder email: %(agreement)s ends in %(days)s day (%(partner)s)",
                    "Reminder email: %(agreement)s ends in %(days)s days (%(partner)s)",
                    days_left,
                )
                % {**names, "days": days_left},
                lines=[
                    _(
                        "The responsible staff member and the managers are reminded by email that %(agreement)s with %(partner)s ends on %(date)s."
                    )
                    % ends
                ],
            )
        )
    return entries


def period_entry(period) -> Entry:
    """The day a yearly evaluation falls due."""
    agreement = period.agreement
    names = _names(agreement)
    return _entry(
        agreement,
        uid=f"agreement-{agreement.pk}-evaluation-{period.number}",
        day=period.due_date,
        summary=_("Evaluation due: %(agreement)s, year %(number)s (%(partner)s)")
        % {**names, "number": period.number},
        lines=[
            _(
                "The evaluation of year %(number)s (%(start)s – %(end)s) of %(agreement)s with %(partner)s is due. It is overdue after %(overdue)s."
            )
            % {
                **names,
                "number": period.number,
                "start": _day(period.start_date),
                "end": _day(period.end_date),
                "overdue": _day(period.overdue_after),
            }
        ],
        anchor="#evaluations",
    )


def render_calendar(entries, *, name: str, uid: str, subscribed: bool) -> bytes:
    """The entries as one calendar. Titles are made one line and descriptions lose
    control characters, whatever was stored: the format allows neither, and the
    calendar's own name is not escaped at all by the library."""
    calendar = Calendar.new(name=one_line(name), prodid=PRODID, method="PUBLISH", uid=_uid(uid))
    if subscribed:
        calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))  # Outlook's name
    stamp = timezone.now()
    for entry in sorted(entries, key=lambda entry: (entry.day, entry.uid)):
        calendar.add_component(
            Event.new(
                uid=entry.uid,
                start=entry.day,
                end=entry.day + datetime.timedelta(days=1),
                summary=one_line(entry.summary),
                description=without_control_characters(entry.description),
                url=entry.url,
                stamp=stamp,
                last_modified=entry.last_modified,
                sequence=entry.sequence,
                # Dates to know, not meetings: they do not make the day busy.
                transparency="TRANSPARENT",
            )
        )
    return calendar.to_ical()


def user_feed(user, today: datetime.date | None = None) -> bytes:
    """The user's feed, in the user's language (a calendar program sends none)."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        entries = [
            entry
            for agreement in feed_agreements(user, today)
            for entry in agreement_entries(agreement)
        ]
        entries += [period_entry(period) for period in feed_periods(user)]
        return render_calendar(
            entries,
            name=_("Partnerships: %(name)s") % {"name": user},
            uid=f"feed-{user.pk}",
            subscribed=True,
        )


def agreement_calendar(agreement) -> bytes:
    """One agreement's dates, to import once, in the active language."""
    entries = agreement_entries(agreement)
    entries += [period_entry(period) for period in agreement_periods(agreement)]
    return render_calendar(
        entries,
        name=f"{agreement.reference} {agreement.title}",
        uid=f"agreement-{agreement.pk}",
        subscribed=False,
    )
