"""Chasers: an approval waiting longer than APPROVAL_CHASE_DAYS emails the managers who
may approve it, again weekly; a returned agreement not resubmitted within
RESUBMIT_REMINDER_DAYS reminds its author. Each exactly once over repeated runs."""

import datetime

import pytest
import time_machine
from django.core import mail

from agreements import services as agreement_services
from agreements.models import Agreement
from reminders import services
from reminders.models import Reminder
from tests.agreements.test_conflict_of_interest import approve
from tests.factories import AgreementFactory, UserFactory

D = datetime.date


def at(day, hour=9):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour), tick=False)


def run(day):
    with at(day, hour=7):
        return services.run_daily_reminders(day, dispatch=services.deliver)


def sent_to():
    return sorted(message.to[0] for message in mail.outbox)


@pytest.fixture
def people(db):
    author = UserFactory(staff=True, email="anna@example.org")
    first, second, aside = (
        UserFactory(manager=True, email=f"{name}@example.org")
        for name in ("maria", "johan", "karin")
    )
    return author, first, second, aside


def submitted(author, day, **extra):
    with at(day):
        draft = AgreementFactory(
            complete=True,
            created_by=author,
            start_date=day + datetime.timedelta(days=60),
            end_date=day + datetime.timedelta(days=400),
            **extra,
        )
        return agreement_services.agreement_transition(
            agreement=draft, action="submit", user=author
        )


def test_a_waiting_approval_is_chased_weekly_to_the_managers_who_may_approve(people):
    author, first, second, aside = people
    agreement = submitted(author, D(2026, 3, 2), economic_amount=900_000)
    with at(D(2026, 3, 3)):
        approve(agreement, first)  # the first of two approvals
        agreement_services.agreement_declare_interest(
            agreement=Agreement.objects.get(pk=agreement.pk),
            user=aside,
            interest="Styrelseledamot.",
        )
    counts = []
    for day in [D(2026, 3, 6), D(2026, 3, 7), D(2026, 3, 7), D(2026, 3, 10), D(2026, 3, 14)]:
        run(day)
        counts.append(len(mail.outbox))
    assert counts == [0, 1, 1, 1, 2]  # 5 days after, then a week later
    assert sent_to() == ["johan@example.org", "johan@example.org"]
    assert list(
        Reminder.objects.filter(kind="approval_waiting")
        .order_by("id")
        .values_list("sequence", flat=True)
    ) == [0, 1]
    assert "Waiting for your approval" in mail.outbox[0].subject


def test_an_approved_agreement_is_chased_no_more(people):
    author, first, _second, _aside = people
    agreement = submitted(author, D(2026, 3, 2))
    run(D(2026, 3, 7))
    assert len(mail.outbox) == 3  # all three managers may approve it
    with at(D(2026, 3, 8)):
        approve(agreement, first)
    run(D(2026, 3, 14))
    assert len(mail.outbox) == 3


def test_a_returned_agreement_reminds_its_author_once_after_two_weeks(people):
    author, first, _second, _aside = people
    agreement = submitted(author, D(2026, 3, 2))
    with at(D(2026, 3, 4)):
        returned = agreement_services.agreement_transition(
            agreement=agreement, action="return", user=first, comment="Lägg till ett mål."
        )
    for day in [D(2026, 3, 17), D(2026, 3, 18), D(2026, 3, 18), D(2026, 4, 30)]:
        run(day)
    assert sent_to() == ["anna@example.org"]
    assert "Lägg till ett mål." in mail.outbox[0].body
    assert "Returned and not resubmitted" in mail.outbox[0].subject

    # Resubmitted and returned again: a new return, a new reminder two weeks on.
    mail.outbox.clear()
    with at(D(2026, 5, 4)):
        again = agreement_services.agreement_transition(
            agreement=returned, action="submit", user=author
        )
        agreement_services.agreement_transition(
            agreement=again, action="return", user=first, comment="Fortfarande inget mål."
        )
    run(D(2026, 5, 17))
    run(D(2026, 5, 18))
    run(D(2026, 5, 19))
    assert sent_to() == ["anna@example.org"]
    assert Reminder.objects.filter(kind="returned_waiting").count() == 2


@pytest.mark.parametrize("count", [2, 12])
def test_chasing_many_waiting_agreements_takes_a_constant_number_of_queries(
    people, django_assert_max_num_queries, count
):
    author = people[0]
    for _ in range(count):
        submitted(author, D(2026, 3, 2))
    with at(D(2026, 3, 9), hour=7):
        # The waiting agreements, one "may approve" query for each of the three
        # managers, the claims; the rest as for any day (with the partner portal's users).
        with django_assert_max_num_queries(22):
            claimed = services.run_daily_reminders(D(2026, 3, 9), dispatch=lambda pk: None)
    assert len(claimed) == count
