"""Claiming a reminder: inserting its row under a unique key before anything is sent,
so a job run twice, or two workers at once, sends nothing twice."""

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from reminders.models import Delivery, Reminder, ReminderKind
from webhooks.events import EventType, emit_many

if TYPE_CHECKING:
    from reminders.services.planning import PlannedReminder


# Reminders claimed in one transaction. One transaction a reminder made the daily job
# take ~3 ms a reminder (30,000 agreements: thousands of reminders on a bad day).
CLAIM_BATCH = 500


def _reminder_row(planned: "PlannedReminder", today: datetime.date) -> Reminder:
    return Reminder(
        claim_key=planned.claim_key,
        kind=planned.kind,
        agreement=planned.agreement,
        period=planned.period,
        obligation=planned.obligation,
        incident=planned.incident,
        partner=planned.partner,
        sequence=planned.sequence,
        for_date=today,
    )


def _delivery_rows(reminder: Reminder, planned: "PlannedReminder") -> list[Delivery]:
    return [
        Delivery(reminder=reminder, recipient=recipient, email=recipient.email)
        for recipient in planned.recipients
    ]


def claim(planned: "PlannedReminder", today: datetime.date) -> Reminder | None:
    """Insert the reminder's row; None if someone (another run, another worker) has it."""
    try:
        with transaction.atomic():
            reminder = _reminder_row(planned, today)
            reminder.save()
            Delivery.objects.bulk_create(_delivery_rows(reminder, planned))
            _emit_events([reminder])
    except IntegrityError:
        return None
    return reminder


def claim_many(planned: list["PlannedReminder"], today: datetime.date) -> list[Reminder]:
    """Claim a batch in one transaction: the unique claim keys make every row inserted
    ours. If any key is taken (another run got there first) the insert fails, nothing of
    the batch is kept, and its reminders are claimed one by one instead, each once."""
    try:
        with transaction.atomic():
            # Both databases we run on return the new ids from a bulk insert.
            reminders = Reminder.objects.bulk_create(_reminder_row(p, today) for p in planned)
            Delivery.objects.bulk_create(
                delivery
                for reminder, plan in zip(reminders, planned, strict=True)
                for delivery in _delivery_rows(reminder, plan)
            )
            _emit_events(reminders)
    except IntegrityError:
        return [reminder for plan in planned if (reminder := claim(plan, today)) is not None]
    return reminders


def _emit_events(reminders: list[Reminder]) -> None:
    """An obligation's overdue reminder is claimed once, on the first day it is overdue:
    that is when other systems are told (webhooks), in the same transaction."""
    obligations = [
        reminder.obligation
        for reminder in reminders
        if reminder.kind == ReminderKind.OBLIGATION_OVERDUE
    ]
    if obligations:
        emit_many(EventType.OBLIGATION_OVERDUE, obligations)
