"""Thin Celery tasks: they take ids or dates and call reminders.services."""

import datetime

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.utils import timezone

from reminders import services


def _day(date_iso: str | None) -> datetime.date:
    return datetime.date.fromisoformat(date_iso) if date_iso else timezone.localdate()


@shared_task
def send_daily_reminders(date_iso: str | None = None) -> int:
    """Claim the day's reminders and queue one email task per recipient."""
    claimed = services.run_daily_reminders(
        _day(date_iso), dispatch=lambda delivery_id: send_reminder_email.delay(delivery_id)
    )
    return len(claimed)


@shared_task
def send_incident_alerts() -> int:
    """Claim the serious-incident emails not sent yet and queue them (from a page)."""
    claimed = services.run_incident_alerts(
        timezone.localdate(), dispatch=lambda delivery_id: send_reminder_email.delay(delivery_id)
    )
    return len(claimed)


@shared_task
def send_manager_digests(date_iso: str | None = None) -> int:
    claimed = services.run_manager_digests(
        _day(date_iso), dispatch=lambda delivery_id: send_reminder_email.delay(delivery_id)
    )
    return len(claimed)


@shared_task(
    bind=True,
    autoretry_for=(services.DeliveryFailed,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=7,
)
def send_reminder_email(self, delivery_id: int) -> str:
    """Send one email; on an SMTP error the failure is recorded and the task retried
    with growing pauses. The daily job also picks up failed deliveries."""
    return services.deliver(delivery_id)


@worker_ready.connect
def catch_up_on_start(sender, **kwargs):
    """Send the day's reminders when a worker starts, so `make run` after 07:00 still
    sends today's. Claims make this harmless when the day's job already ran."""
    if settings.REMINDERS_ON_WORKER_START:
        send_daily_reminders.delay()
