"""Obligation reminders follow the amended terms: a moved due date is reminded when the
new date passes, and a reminder already sent is not sent again for the same obligation
and date, whatever else an amendment rewords."""

import datetime
from importlib import import_module

import time_machine
from django.apps import apps
from django.core import mail

from agreements import services
from agreements.models import Obligation, Side
from reminders import services as reminder_services
from reminders.models import Reminder
from tests.agreements.amending import form_data, save
from tests.agreements.test_services import NO_INTEREST
from tests.factories import AgreementFactory, ObligationFactory, UserFactory

D = datetime.date


def on(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, 0), tick=False)


def run(day):
    with on(day):
        reminder_services.run_daily_reminders(day, dispatch=reminder_services.deliver)


def obligation_mails():
    return [m for m in mail.outbox if "obligation" in m.subject]


def _setup(db, settings):
    settings.REMINDER_ENDING_DAYS = []
    responsible = UserFactory(staff=True, email="anna@example.org")
    agreement = AgreementFactory(
        approved=True, created_by=responsible, start_date=D(2026, 1, 1), end_date=D(2027, 12, 31)
    )
    overdue = ObligationFactory(
        agreement=agreement, side=Side.PARTNER, description="Årsrapport", due_date=D(2026, 5, 31)
    )
    return responsible, agreement, overdue


def _amend_obligation(agreement, author, obligation, day, **fields):
    with on(day):
        data = form_data(agreement)
        row = next(
            n for n in range(10) if data.get(f"obligations-{n}-obligation") == str(obligation.pk)
        )
        amendment = save(
            agreement,
            author,
            types=["obligations"],
            effective_date=(day + datetime.timedelta(days=5)).isoformat(),
            reason="Rapporten flyttas.",
            **{f"obligations-{row}-{name}": value for name, value in fields.items()},
        )
        services.amendment_transition(amendment=amendment, action="submit", user=author)
        services.amendment_transition(
            amendment=amendment,
            action="approve",
            user=UserFactory(manager=True),
            statement=NO_INTEREST,
        )
    return Obligation.objects.get(origin=obligation)


def test_a_moved_due_date_is_reminded_when_the_new_date_passes(db, settings):
    responsible, agreement, overdue = _setup(db, settings)
    run(D(2026, 6, 15))
    assert len(obligation_mails()) == 1
    moved = _amend_obligation(
        agreement, responsible, overdue, D(2026, 6, 15), due_date="2026-09-30"
    )
    for day in (D(2026, 6, 16), D(2026, 6, 21), D(2026, 9, 30)):
        run(day)
    assert len(obligation_mails()) == 1  # the old date is reminded already, the new one not due
    run(D(2026, 10, 1))
    run(D(2026, 10, 2))
    sent = obligation_mails()
    assert len(sent) == 2
    assert f"/obligations/{moved.pk}/" in sent[1].body
    assert Reminder.objects.get(obligation=moved).claim_key == (
        f"obligation_overdue:{overdue.pk}:2026-09-30"
    )


def test_rewording_an_overdue_obligation_does_not_remind_again(db, settings):
    responsible, agreement, overdue = _setup(db, settings)
    run(D(2026, 6, 15))
    reworded = _amend_obligation(
        agreement, responsible, overdue, D(2026, 6, 15), description="Årsrapport med bilagor"
    )
    assert reworded.due_date == overdue.due_date
    run(D(2026, 6, 21))  # the reworded obligation is in force and overdue
    run(D(2026, 6, 22))
    assert len(obligation_mails()) == 1


def test_claims_made_before_amendments_get_the_due_date_they_were_sent_for(db, settings):
    _responsible, agreement, overdue = _setup(db, settings)
    Reminder.objects.create(
        claim_key=f"obligation_overdue:{overdue.pk}",
        kind="obligation_overdue",
        agreement=agreement,
        obligation=overdue,
        for_date=D(2026, 6, 1),
    )
    migration = import_module("reminders.migrations.0003_obligation_claim_keys_with_due_date")
    migration.forwards(apps, None)
    assert Reminder.objects.get().claim_key == f"obligation_overdue:{overdue.pk}:2026-05-31"
    run(D(2026, 6, 15))
    assert obligation_mails() == []
