"""Sending one delivery: taken with a conditional update so it goes out once, rendered
in the recipient's language, the attempt recorded."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from reminders.models import Delivery, DeliveryStatus
from reminders.services.content import message_content

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """Sending failed; the delivery is recorded as failed and will be tried again."""


def deliver(delivery_id: int) -> str:
    """Send one delivery's email. Returns "sent" or "skipped" (already sent or taken).

    The delivery is taken with a conditional update, so two workers given the same id
    send it once. On an error the attempt is recorded and DeliveryFailed raised, for the
    task to retry with backoff.
    """
    taken = Delivery.objects.filter(
        pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1)
    if not taken:
        return "skipped"
    delivery = Delivery.objects.select_related(
        "recipient",
        "reminder__agreement__partner",
        "reminder__period__agreement__partner",
        "reminder__obligation",
        "reminder__incident__partner",
        "reminder__partner",
    ).get(pk=delivery_id)
    try:
        message = build_message(delivery)
        message.send()
    except Exception as error:
        gave_up = delivery.attempts >= settings.REMINDER_MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.GAVE_UP if gave_up else DeliveryStatus.FAILED,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.warning("reminder delivery %s failed: %s", delivery_id, error)
        raise DeliveryFailed(str(error)) from error
    Delivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), subject=message.subject, last_error=""
    )
    return "sent"


def build_message(delivery: Delivery) -> EmailMultiAlternatives:
    """The email in the recipient's language, with a plain-text and an HTML part."""
    reminder = delivery.reminder
    recipient = delivery.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        subject, template, context = message_content(reminder, recipient)
        context.update(recipient=recipient, organisation=settings.ORGANISATION_NAME)
        text = render_to_string(f"reminders/email/{template}.txt", context)
        html = render_to_string(f"reminders/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[delivery.email]
    )
    message.attach_alternative(html, "text/html")
    return message
