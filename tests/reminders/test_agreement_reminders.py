"""The agreement page lists what was reminded about the agreement itself and about its
evaluation periods, and nothing about other agreements."""

import datetime

from reminders.models import Reminder, ReminderKind
from reminders.selectors import reminders_for_agreement
from tests.factories import AgreementFactory


def _reminder(key, kind, **about):
    return Reminder.objects.create(
        claim_key=key, kind=kind, for_date=datetime.date(2026, 12, 1), **about
    )


def test_the_agreements_own_reminders_and_its_periods(db):
    agreement, other = AgreementFactory(approved=True), AgreementFactory(approved=True)
    ending = _reminder("ending:1", ReminderKind.AGREEMENT_ENDING, agreement=agreement)
    period = _reminder(
        "evaluation:1",
        ReminderKind.EVALUATION_OVERDUE,
        period=agreement.evaluation_periods.first(),
    )
    _reminder("ending:2", ReminderKind.AGREEMENT_ENDING, agreement=other)
    _reminder(
        "evaluation:2", ReminderKind.EVALUATION_OVERDUE, period=other.evaluation_periods.first()
    )
    assert set(reminders_for_agreement(agreement)) == {ending, period}
