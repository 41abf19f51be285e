"""Which reminders go out on which day, exactly once, to whom, in which language."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from reminders import services
from reminders.models import Delivery, DeliveryStatus, Reminder
from reminders.services import claiming
from tests.factories import AgreementFactory, EvaluationFactory, ObligationFactory, UserFactory

D = datetime.date


def on(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, 0), tick=False)


def run(day):
    """The daily job as the management command and Celery run it, sending at once."""
    with on(day):
        return services.run_daily_reminders(day, dispatch=services.deliver)


@pytest.fixture
def people(db):
    responsible = UserFactory(staff=True, email="anna@example.org", first_name="Anna")
    manager = UserFactory(manager=True, email="maria@example.org", first_name="Maria")
    return responsible, manager


@pytest.fixture
def ending_agreement(people):
    responsible, manager = people
    return AgreementFactory(
        approved=True,
        created_by=responsible,
        approved_by=manager,
        start_date=D(2026, 1, 1),
        end_date=D(2026, 12, 31),
    )


@pytest.mark.parametrize(
    "day,expected",
    [
        (D(2026, 10, 1), []),  # 91 days left: nothing yet
        (D(2026, 10, 2), ["agreement_ending:90"]),
        (D(2026, 12, 1), ["agreement_ending:30"]),
        (D(2026, 12, 24), ["agreement_ending:7"]),
        (D(2027, 1, 1), []),  # ended
    ],
)
def test_agreement_ending_qualifies_at_each_distance(ending_agreement, day, expected):
    with on(day):
        planned = [p for p in services.planned_reminders(day) if p.kind == "agreement_ending"]
    assert [f"{p.kind}:{p.sequence}" for p in planned] == expected


def test_ending_reminder_goes_to_the_responsible_and_managers_once(ending_agreement, people):
    run(D(2026, 10, 2))
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@example.org",
        "maria@example.org",
    ]
    message = mail.outbox[0]
    assert ending_agreement.reference in message.subject
    assert "will not be extended automatically" in message.body
    assert f"http://127.0.0.1:8000/agreements/{ending_agreement.pk}/renew/" in message.body
    html = message.alternatives[0][0]
    assert f'href="http://127.0.0.1:8000/agreements/{ending_agreement.pk}/"' in html
    # The job run again the same day, and the day after, sends nothing more.
    run(D(2026, 10, 2))
    run(D(2026, 10, 3))
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 1


def test_a_missed_day_is_caught_up_with_the_nearest_distance_only(ending_agreement):
    run(D(2026, 12, 5))  # the job did not run at 30 days; 26 days left
    ending = Reminder.objects.filter(kind="agreement_ending")
    assert [r.claim_key for r in ending] == [f"agreement_ending:{ending_agreement.pk}:30"]


def test_terminated_and_unapproved_agreements_get_no_ending_reminder(people):
    AgreementFactory(terminated=True, end_date=D(2026, 12, 31), start_date=D(2026, 1, 1))
    AgreementFactory(pending=True, end_date=D(2026, 12, 31), start_date=D(2026, 1, 1))
    run(D(2026, 12, 24))
    assert not mail.outbox


def test_overdue_evaluation_reminder_and_its_repeats(people):
    responsible, manager = people
    agreement = AgreementFactory(
        approved=True,
        created_by=responsible,
        approved_by=manager,
        start_date=D(2025, 1, 1),
        end_date=D(2027, 12, 31),
    )
    # Year 1 ended 2025-12-31; with 30 days' grace it is overdue from 2026-01-31.
    run(D(2026, 1, 30))
    assert not [m for m in mail.outbox if "Overdue" in m.subject]
    run(D(2026, 1, 31))
    assert len([m for m in mail.outbox if "Overdue" in m.subject]) == 2
    run(D(2026, 2, 13))
    assert len([m for m in mail.outbox if "Overdue" in m.subject]) == 2
    run(D(2026, 2, 14))  # 14 days later: the first repeat
    assert len([m for m in mail.outbox if "Overdue" in m.subject]) == 4
    EvaluationFactory(period=agreement.evaluation_periods.get(number=1), completed=True)
    run(D(2026, 2, 28))
    assert len([m for m in mail.outbox if "Overdue" in m.subject]) == 4


def busy_agreements(people, count):
    """Agreements that each call for four reminders on 2026-12-01: ending in 19 days,
    year 1 not evaluated (overdue), year 2 due soon, and an obligation overdue."""
    responsible, manager = people
    for _number in range(count):
        agreement = AgreementFactory(
            approved=True,
            created_by=responsible,
            approved_by=manager,
            start_date=D(2025, 1, 1),
            end_date=D(2026, 12, 20),
        )
        ObligationFactory(agreement=agreement, due_date=D(2026, 6, 1))


@pytest.mark.parametrize("count", [2, 30])
def test_daily_job_query_count_is_constant(people, django_assert_max_num_queries, count):
    busy_agreements(people, count)
    with on(D(2026, 12, 1)):
        # Managers, the four kinds of reminder, the partner portal's users (and, when
        # there are any, their reports' periods), the claims already made; then a batch:
        # its transaction, the reminders, their deliveries (a few inserts on SQLite,
        # which limits parameters a statement) and their ids, the webhook endpoints told of
        # overdue obligations; and the retries.
        with django_assert_max_num_queries(16):
            claimed = services.run_daily_reminders(D(2026, 12, 1), dispatch=lambda pk: None)
    assert len(claimed) == 4 * count
    assert Delivery.objects.count() == 6 * count  # manager too on ending and overdue


def test_a_batch_with_a_reminder_already_claimed_claims_the_others_once(people):
    busy_agreements(people, 3)
    day = D(2026, 12, 1)
    with on(day):
        planned = services.planned_reminders(day)
        # Another run claims one of them between our planning and our claiming.
        taken = services.claim(planned[5], day)
        claimed = services.claim_many(planned, day)
    assert taken is not None
    assert len(claimed) == len(planned) - 1
    assert taken.claim_key not in {reminder.claim_key for reminder in claimed}
    assert Reminder.objects.count() == len(planned)
    assert Delivery.objects.count() == sum(len(plan.recipients) for plan in planned)
    # The job run afterwards finds nothing left to claim.
    with on(day):
        assert services.run_daily_reminders(day, dispatch=lambda pk: None) == []


def test_a_day_with_more_reminders_than_a_batch_claims_each_once(people, monkeypatch):
    monkeypatch.setattr(claiming, "CLAIM_BATCH", 3)
    busy_agreements(people, 2)
    sent = []
    with on(D(2026, 12, 1)):
        claimed = services.run_daily_reminders(D(2026, 12, 1), dispatch=sent.append)
    assert len(claimed) == 8
    assert sorted(sent) == sorted(Delivery.objects.values_list("pk", flat=True))
    assert len(sent) == 12


def test_due_soon_goes_to_the_responsible_only(people):
    responsible, manager = people
    AgreementFactory(
        approved=True,
        created_by=responsible,
        approved_by=manager,
        start_date=D(2026, 1, 1),
        end_date=D(2027, 12, 31),
    )
    run(D(2026, 12, 1))
    due_soon = [m for m in mail.outbox if "Due soon" in m.subject]
    assert [m.to for m in due_soon] == [["anna@example.org"]]


def test_a_failed_send_is_recorded_and_retried(ending_agreement, settings):
    settings.EMAIL_BACKEND = "tests.reminders.failing_backend.FailingBackend"
    from tests.reminders.failing_backend import FailingBackend

    # Sending to Anna fails, and so does the same run's immediate retry.
    FailingBackend.failures = {"anna@example.org": 2}
    FailingBackend.sent = []
    run(D(2026, 10, 2))
    assert len(FailingBackend.sent) == 1  # the other recipient's email still went out
    failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert "SMTPServerDisconnected" in failed.last_error
    assert failed.attempts == 2
    # The next run sends what failed, and only that.
    run(D(2026, 10, 3))
    assert len(FailingBackend.sent) == 2
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (DeliveryStatus.SENT, 3, "")
    assert {message.to[0] for message in FailingBackend.sent} == {
        "anna@example.org",
        "maria@example.org",
    }


def test_a_delivery_never_queued_is_picked_up_by_a_later_run(ending_agreement):
    def broker_down(delivery_id):
        raise ConnectionError("Redis is down")

    with on(D(2026, 10, 2)):
        services.run_daily_reminders(D(2026, 10, 2), dispatch=broker_down)
    assert not mail.outbox
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2
    with time_machine.travel(datetime.datetime(2026, 10, 2, 10, 0), tick=False):
        services.run_daily_reminders(D(2026, 10, 2), dispatch=services.deliver)
    assert len(mail.outbox) == 2


def test_a_delivery_is_sent_once_even_if_handed_out_twice(ending_agreement):
    with on(D(2026, 10, 2)):
        services.run_daily_reminders(D(2026, 10, 2), dispatch=lambda delivery_id: None)
        delivery = Delivery.objects.first()
        assert services.deliver(delivery.pk) == "sent"
        assert services.deliver(delivery.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_emails_use_the_recipients_language(people):
    responsible, manager = people
    responsible.language = "sv"
    responsible.save()
    AgreementFactory(
        approved=True,
        created_by=responsible,
        approved_by=manager,
        start_date=D(2026, 1, 1),
        end_date=D(2026, 12, 31),
    )
    run(D(2026, 12, 24))
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert by_recipient["anna@example.org"].body.startswith("Hej Anna!")
    assert by_recipient["maria@example.org"].body.startswith("Hello Maria")
    # Dates are ISO in both languages (English is not written month first).
    assert "2026-12-31" in by_recipient["anna@example.org"].body
    assert "2026-12-31" in by_recipient["maria@example.org"].body


def test_weekly_digest_once_per_manager_and_week(people):
    responsible, manager = people
    AgreementFactory(pending=True, created_by=responsible, title="Väntar på beslut")
    monday = D(2026, 11, 30)
    with on(monday):
        services.run_manager_digests(monday, dispatch=services.deliver)
        services.run_manager_digests(monday, dispatch=services.deliver)
    with on(monday + datetime.timedelta(days=3)):
        services.run_manager_digests(monday + datetime.timedelta(days=3), dispatch=services.deliver)
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]
    assert "Väntar på beslut" in mail.outbox[0].body


def test_send_reminders_command_dry_run_lists_and_sends_nothing(ending_agreement, capsys):
    call_command("send_reminders", "--dry-run", "--date", "2026-10-02")
    output = capsys.readouterr().out
    assert "1 reminder(s) would go out on 2026-10-02" in output
    assert ending_agreement.reference in output
    assert not mail.outbox and not Reminder.objects.exists()


def test_send_reminders_command_sends_once(ending_agreement, capsys):
    with on(D(2026, 10, 2)):
        call_command("send_reminders", "--date", "2026-10-02")
        call_command("send_reminders", "--date", "2026-10-02")
    assert "1 reminder(s) claimed on 2026-10-02; 2 email(s) sent" in capsys.readouterr().out
    assert len(mail.outbox) == 2


def test_bad_date_is_a_clear_error(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "30/11/2026")


def test_agreement_page_shows_the_reminders_sent(ending_agreement, client, people):
    run(D(2026, 10, 2))
    responsible, _manager = people
    client.force_login(responsible)
    html = client.get(f"/agreements/{ending_agreement.pk}/").content.decode()
    assert "Ends in 90 days" in html
    assert "maria@example.org" in html and "Sent" in html


def test_beat_schedule_names_importable_tasks():
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]
    assert settings.CELERY_BEAT_SCHEDULE["daily-reminders"]["schedule"].hour == {7}


def test_an_email_sent_a_day_late_says_what_was_true_on_the_day_of_its_run(ending_agreement):
    """The content counts days from the day the reminder was claimed for, not the clock:
    a retry the next morning still says 90 days, as the claim key does."""
    with on(D(2026, 10, 2)):
        services.run_daily_reminders(D(2026, 10, 2), dispatch=lambda delivery_id: None)
    delivery = Delivery.objects.filter(reminder__kind="agreement_ending").first()
    with on(D(2026, 10, 3)):
        services.deliver(delivery.pk)
    assert "in 90 days" in mail.outbox[-1].body
