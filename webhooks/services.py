"""Registering endpoints, and sending each delivery once: taken with a conditional
update, signed, posted, the attempt recorded; a failed one is tried again after a pause
that doubles each time, by the job that runs every minute (run_due_deliveries)."""

import datetime
import hashlib
import hmac
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from webhooks import permissions, transport
from webhooks.events import queue_deliveries
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Webhook-Signature"
DELIVERY_HEADER = "X-Webhook-Delivery"
EVENT_HEADER = "X-Webhook-Event"
# A delivery left "sending" this long was interrupted (a worker died): try it again.
STUCK_AFTER = datetime.timedelta(minutes=10)
LONGEST_PAUSE = datetime.timedelta(hours=1)


class DeliveryRefused(Exception):
    """The delivery cannot be sent again now; the message says why."""


def signature(secret: str, body: bytes) -> str:
    """The value of the signature header: HMAC-SHA256 of the exact body, in hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def pause_after(attempts: int) -> datetime.timedelta:
    """WEBHOOK_RETRY_SECONDS after the first failure, doubling up to an hour."""
    seconds = settings.WEBHOOK_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return min(datetime.timedelta(seconds=seconds), LONGEST_PAUSE)


@transaction.atomic
def endpoint_save(*, form, user) -> WebhookEndpoint:
    """Register or change an endpoint (the form has checked its address)."""
    require(permissions.can_manage_webhooks(user))
    endpoint = form.save(commit=False)
    if endpoint.pk is None:
        endpoint.created_by = user
    endpoint.full_clean()
    endpoint._history_user = user
    endpoint.save()
    return endpoint


def delivery_resend(*, delivery: WebhookDelivery, user) -> None:
    """Send a delivery again, now, whatever became of it (the receiver is told the same
    delivery id, so it can tell a repeat). Not while it is being sent."""
    require(permissions.can_manage_webhooks(user))
    now = timezone.now()
    taken = (
        WebhookDelivery.objects.filter(pk=delivery.pk)
        .exclude(status=DeliveryStatus.SENDING)
        .update(status=DeliveryStatus.PENDING, next_attempt_at=now, updated_at=now)
    )
    if not taken:
        raise DeliveryRefused(_("This delivery is being sent right now."))
    transaction.on_commit(lambda: queue_deliveries([delivery.pk]))


def run_due_deliveries(*, dispatch: Callable[[str], object]) -> list[str]:
    """Hand every delivery that is due to `dispatch` (a Celery task's delay, or a direct
    send): new ones never queued, failed ones whose pause has passed, and ones stuck
    while sending. Returns their ids."""
    now = timezone.now()
    WebhookDelivery.objects.filter(
        status=DeliveryStatus.SENDING, updated_at__lt=now - STUCK_AFTER
    ).update(
        status=DeliveryStatus.FAILED, last_error="interrupted while sending", next_attempt_at=now
    )
    due = list(
        WebhookDelivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
            next_attempt_at__lte=now,
            endpoint__is_active=True,
        )
        .order_by("next_attempt_at", "created_at")
        .values_list("pk", flat=True)
    )
    for delivery_id in due:
        try:
            dispatch(str(delivery_id))
        except Exception as error:  # one that cannot be sent or queued must not stop the rest
            logger.warning("webhook delivery %s not sent now: %s", delivery_id, error)
    return [str(delivery_id) for delivery_id in due]


def deliver(delivery_id) -> str:
    """Send one delivery. Returns "delivered", "failed" or "skipped" (already delivered,
    being sent by another worker, or not due yet).

    Taken with a conditional update, so two workers given the same id, or the job run
    twice, send it once. The address is checked again right before sending.
    """
    now = timezone.now()
    taken = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
        next_attempt_at__lte=now,
        endpoint__is_active=True,
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=now)
    if not taken:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    body = delivery.event.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Partnerships-Webhooks/1",
        EVENT_HEADER: delivery.event.event_type,
        DELIVERY_HEADER: str(delivery.pk),
        SIGNATURE_HEADER: signature(delivery.endpoint.secret, body),
    }
    status_code = None
    try:
        answer = transport.post(
            delivery.endpoint.url, body, headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
        )
        status_code = answer.status
        error = "" if answer.ok else f"HTTP {answer.status}: {answer.text}".strip()
    except Exception as failure:
        error = f"{type(failure).__name__}: {failure}"
    if not error:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=timezone.now(),
            last_status_code=status_code,
            last_error="",
            next_attempt_at=None,
        )
        return "delivered"
    gave_up = delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.GAVE_UP if gave_up else DeliveryStatus.FAILED,
        last_status_code=status_code,
        last_error=error[:2000],
        next_attempt_at=None if gave_up else timezone.now() + pause_after(delivery.attempts),
    )
    logger.warning("webhook delivery %s failed: %s", delivery_id, error)
    return "failed"
