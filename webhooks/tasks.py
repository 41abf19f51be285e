"""Thin Celery tasks: they take ids and call webhooks.services."""

from celery import shared_task

from webhooks import services


@shared_task
def send_webhook(delivery_id: str) -> str:
    """Send one delivery; a failure is recorded with the time of the next attempt."""
    return services.deliver(delivery_id)


@shared_task
def send_due_webhooks() -> int:
    """Every minute: queue the deliveries that are due (retries after their pause, new
    ones never queued, ones stuck while sending)."""
    return len(services.run_due_deliveries(dispatch=send_webhook.delay))
