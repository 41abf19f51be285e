"""Reminder emails through Django's real SMTP backend while the mail server is down, and
after it comes up: each failure is recorded and retried, and nothing is sent twice."""

import pytest

from reminders import services, tasks
from reminders.models import Delivery, DeliveryStatus
from tests.conftest import free_port
from tests.live_server import SmtpServer
from tests.reminders.test_services import D, ending_agreement, on, people, run  # noqa: F401


@pytest.fixture
def smtp(settings):
    """The mail server's address, with nothing listening there until the test starts it."""
    server = SmtpServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 10
    yield server
    server.stop()


@pytest.mark.usefixtures("ending_agreement")
def test_a_refused_connection_is_recorded_and_the_next_run_sends(smtp):
    # The run sends, then tries what failed once more at its end: two attempts each.
    run(D(2026, 10, 2))
    failed = Delivery.objects.order_by("email")
    assert [d.status for d in failed] == [DeliveryStatus.FAILED, DeliveryStatus.FAILED]
    assert all("ConnectionRefusedError" in d.last_error for d in failed)
    assert [d.attempts for d in failed] == [2, 2]

    smtp.start()
    run(D(2026, 10, 3))
    sent = Delivery.objects.order_by("email")
    assert [(d.status, d.attempts, d.last_error) for d in sent] == [
        (DeliveryStatus.SENT, 3, ""),
        (DeliveryStatus.SENT, 3, ""),
    ]
    assert sorted(message["To"] for message in smtp.messages) == [
        "anna@example.org",
        "maria@example.org",
    ]

    run(D(2026, 10, 4))  # nothing left to send: nothing sent twice
    assert len(smtp.messages) == 2


@pytest.mark.usefixtures("ending_agreement")
def test_the_celery_task_retries_until_it_gives_up_and_records_each_attempt(smtp, settings):
    # The task's retries (max_retries=7) and the delivery's attempts agree: 8 in all.
    assert tasks.send_reminder_email.max_retries + 1 == settings.REMINDER_MAX_ATTEMPTS == 8
    with on(D(2026, 10, 2)):
        services.run_daily_reminders(D(2026, 10, 2), dispatch=lambda delivery_id: None)
    delivery = Delivery.objects.order_by("email").first()

    # Run in this process; the task's own retry policy repeats it at once here.
    result = tasks.send_reminder_email.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert result.failed()
    assert delivery.attempts == 8
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert "ConnectionRefusedError" in delivery.last_error

    smtp.start()
    other = Delivery.objects.exclude(pk=delivery.pk).get()
    assert tasks.send_reminder_email.apply(args=[other.pk]).get() == "sent"
    assert [message["To"] for message in smtp.messages] == [other.email]
