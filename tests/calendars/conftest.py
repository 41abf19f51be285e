import datetime

import pytest
from icalendar import Calendar

from calendars import services


def parse(response) -> dict:
    """The events of an iCalendar response, by UID."""
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event.uid): event for event in calendar.events}


def host(settings) -> str:
    return settings.SITE_URL.split("://", 1)[1].split(":")[0].split("/")[0]


def is_all_day(event, day: datetime.date) -> bool:
    start, end = event.start, event.end
    return (
        not isinstance(start, datetime.datetime)
        and start == day
        and end == day + datetime.timedelta(days=1)
    )


def feed_path(token: str) -> str:
    return f"/calendar/feed/{token}.ics"


@pytest.fixture
def staff_feed(staff):
    return feed_path(services.feed_issue(user=staff))


@pytest.fixture
def manager_feed(manager):
    return feed_path(services.feed_issue(user=manager))
