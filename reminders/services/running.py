"""The daily and weekly runs: plan, claim in batches, hand each delivery over, and pick
up deliveries that failed, got stuck or were never queued."""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from reminders.models import Delivery, DeliveryStatus, Reminder, ReminderKind
from reminders.services import claiming
from reminders.services.claiming import claim
from reminders.services.planning import (
    PlannedReminder,
    incident_alerts,
    managers,
    planned_reminders,
)

logger = logging.getLogger(__name__)

# A delivery left "sending" this long was interrupted (a worker died): send it again.
STUCK_AFTER = datetime.timedelta(hours=1)
# A delivery still waiting this long after its claim was never queued (broker down).
NEVER_QUEUED_AFTER = datetime.timedelta(minutes=30)


def run_daily_reminders(
    today: datetime.date, *, dispatch: Callable[[int], object]
) -> list[Reminder]:
    """Claim today's reminders and hand each delivery to `dispatch` (a Celery task's
    delay, or a direct send); also hand over deliveries that failed or got stuck."""
    claimed = _claim_and_dispatch(planned_reminders(today), today, dispatch)
    for delivery_id in deliveries_to_retry():
        _dispatch_safely(dispatch, delivery_id)
    return claimed


def run_incident_alerts(
    today: datetime.date, *, dispatch: Callable[[int], object]
) -> list[Reminder]:
    """Claim and hand out the serious-incident emails not sent yet, without waiting for
    the daily run (a page queues this when it records a serious incident)."""
    return _claim_and_dispatch(incident_alerts(), today, dispatch)


def _claim_and_dispatch(planned, today, dispatch) -> list[Reminder]:
    claimed = []
    for start in range(0, len(planned), claiming.CLAIM_BATCH):
        reminders = claiming.claim_many(planned[start : start + claiming.CLAIM_BATCH], today)
        claimed.extend(reminders)
        # Each batch is handed out once it is committed, before the next is claimed.
        for delivery_id in Delivery.objects.filter(reminder__in=reminders).values_list(
            "pk", flat=True
        ):
            _dispatch_safely(dispatch, delivery_id)
    return claimed


def _dispatch_safely(dispatch, delivery_id):
    """One delivery that cannot be sent or queued now (SMTP or the broker down) must not
    stop the others; it stays pending or failed and the next run picks it up."""
    try:
        dispatch(delivery_id)
    except Exception as error:
        logger.warning("reminder delivery %s not sent now: %s", delivery_id, error)


def deliveries_to_retry() -> list[int]:
    """Deliveries to hand out again: failed ones with attempts left, ones stuck while
    sending, and ones still waiting long after they were claimed (never queued)."""
    now = timezone.now()
    Delivery.objects.filter(status=DeliveryStatus.SENDING, updated_at__lt=now - STUCK_AFTER).update(
        status=DeliveryStatus.FAILED, last_error="interrupted while sending"
    )
    return list(
        Delivery.objects.filter(
            Q(status=DeliveryStatus.FAILED, attempts__lt=settings.REMINDER_MAX_ATTEMPTS)
            | Q(status=DeliveryStatus.PENDING, updated_at__lt=now - NEVER_QUEUED_AFTER)
        ).values_list("pk", flat=True)
    )


def run_manager_digests(
    today: datetime.date, *, dispatch: Callable[[int], object]
) -> list[Reminder]:
    """One digest a week for each manager (claimed by ISO year and week)."""
    year, week, _weekday = today.isocalendar()
    claimed = []
    for manager in managers():
        planned = PlannedReminder(
            kind=ReminderKind.MANAGER_DIGEST,
            claim_key=f"manager_digest:{manager.pk}:{year}-{week:02d}",
            sequence=year * 100 + week,
            recipients=[manager],
        )
        reminder = claim(planned, today)
        if reminder is not None:
            claimed.append(reminder)
            for delivery_id in reminder.deliveries.values_list("pk", flat=True):
                _dispatch_safely(dispatch, delivery_id)
    return claimed
