"""emit(): the one call a service makes when something happens that other systems may
be told of. It stores the event and one delivery per subscribed endpoint in the
caller's transaction (a decision rolled back sends nothing), and queues the deliveries
once that transaction has committed.

The services call it at the one place each decision is taken: agreement_transition
(approved, terminated), evaluation_complete (completed), the claim of an overdue
obligation's reminder (overdue, once per obligation).
"""

import json
import logging
import uuid
from operator import attrgetter

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from core.links import absolute_url
from webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

logger = logging.getLogger(__name__)

# What the body tells of each kind of object: JSON key -> attribute path. The receiver
# reads the rest through the API. An object of another kind is sent with its id and name.
OBJECT_FIELDS = {
    "agreements.agreement": {
        "reference": "reference",
        "title": "title",
        "status": "status",
        "agreement_type": "agreement_type",
        "partner_id": "partner_id",
        "partner_name": "partner.name",
        "start_date": "start_date",
        "end_date": "end_date",
        "economic_amount": "economic_amount",
        "currency": "currency",
        "terminated_on": "terminated_on",
        "termination_cause": "termination_cause",
    },
    "evaluations.evaluation": {
        "status": "status",
        "agreement_id": "period.agreement_id",
        "agreement_reference": "period.agreement.reference",
        "period_number": "period.number",
        "period_start": "period.start_date",
        "period_end": "period.end_date",
        "held_on": "held_on",
        "overall_rating": "overall_rating",
        "recommendation": "recommendation",
        "completed_at": "completed_at",
    },
    "agreements.obligation": {
        "agreement_id": "agreement_id",
        "agreement_reference": "agreement.reference",
        "side": "side",
        "category": "category",
        "description": "description",
        "due_date": "due_date",
        "fulfilment": "fulfilment",
    },
}


def describe(obj) -> dict:
    """The "object" part of an event body."""
    label = obj._meta.label_lower
    fields = OBJECT_FIELDS.get(label, {"name": "__str__"})
    described = {"type": obj._meta.model_name, "id": obj.pk}
    for key, path in fields.items():
        described[key] = str(obj) if path == "__str__" else attrgetter(path)(obj)
    if hasattr(obj, "get_absolute_url"):
        described["url"] = absolute_url(obj.get_absolute_url())
    return described


def emit(event_type: str, obj) -> WebhookEvent | None:
    """Record that `event_type` happened to `obj`, for every active endpoint that
    subscribed to it. Returns the event, or None when no endpoint wants it."""
    events = emit_many(event_type, [obj])
    return events[0] if events else None


def emit_many(event_type: str, objects) -> list[WebhookEvent]:
    """emit() for many objects at once, in a fixed number of queries (the daily job
    claims overdue obligations in batches of hundreds)."""
    if event_type not in EventType.values:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    objects = list(objects)
    if not objects:
        return []
    # One query; the few endpoints are filtered here, as SQLite cannot look into a list.
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True)
        if event_type in endpoint.event_types
    ]
    if not endpoints:
        return []
    now = timezone.now()
    events = []
    for obj in objects:
        event_id = uuid.uuid4()
        body = {"id": str(event_id), "type": event_type, "created_at": now, "object": describe(obj)}
        events.append(
            WebhookEvent(
                id=event_id,
                event_type=event_type,
                object_label=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_name=str(obj)[:200],
                body=json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
                created_at=now,
            )
        )
    WebhookEvent.objects.bulk_create(events)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            event=event,
            endpoint=endpoint,
            status=DeliveryStatus.PENDING,
            next_attempt_at=now,
            created_at=now,
        )
        for event in events
        for endpoint in endpoints
    )
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: queue_deliveries(ids))
    return events


def queue_deliveries(ids) -> None:
    """Hand each delivery to a Celery worker. One that cannot be queued now (the broker
    is down) stays waiting, and the job that runs every minute sends it."""
    from webhooks.tasks import send_webhook  # here: the tasks module imports the services

    for delivery_id in ids:
        try:
            send_webhook.delay(str(delivery_id))
        except Exception as error:
            logger.warning("webhook delivery %s not queued now: %s", delivery_id, error)
