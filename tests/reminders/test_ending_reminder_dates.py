"""The days the calendar says ending reminders go out are the days the daily job sends
them: the rule is checked against the job itself, day by day."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from reminders import services
from reminders.models import Reminder, ReminderKind
from tests.factories import AgreementFactory

D = datetime.date


def _sent_days(agreement, first_day):
    """Run the daily job every day from `first_day` to the end; the day each distance's
    reminder was claimed."""
    day = first_day
    while day <= agreement.end_date:
        with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 7), tick=False):
            services.run_daily_reminders(day, dispatch=lambda delivery_id: None)
        day += datetime.timedelta(days=1)
    return sorted(
        Reminder.objects.filter(
            agreement=agreement, kind=ReminderKind.AGREEMENT_ENDING
        ).values_list("sequence", "for_date")
    )


@pytest.mark.parametrize(
    "approved_on,expected",
    [
        # Approved long before: each reminder on its own distance.
        (D(2026, 1, 10), [(7, D(2026, 12, 24)), (30, D(2026, 12, 1)), (90, D(2026, 10, 2))]),
        # Approved 60 days before the end: the 90-day reminder goes out at once.
        (D(2026, 11, 1), [(7, D(2026, 12, 24)), (30, D(2026, 12, 1)), (90, D(2026, 11, 1))]),
        # Approved 20 days before: the 90-day window had closed; 30 at once, then 7.
        (D(2026, 12, 11), [(7, D(2026, 12, 24)), (30, D(2026, 12, 11))]),
    ],
)
def test_ending_reminder_dates_are_the_days_the_job_sends_them(db, approved_on, expected):
    approved_at = timezone.make_aware(datetime.datetime.combine(approved_on, datetime.time(6)))
    agreement = AgreementFactory(
        approved=True,
        start_date=D(2026, 1, 1),
        end_date=D(2026, 12, 31),
        approved_at=approved_at,
    )
    assert sorted(services.ending_reminder_dates(agreement)) == expected
    first_job_day = max(approved_on, D(2026, 9, 25))  # nothing is due earlier
    assert _sent_days(agreement, first_job_day) == expected
