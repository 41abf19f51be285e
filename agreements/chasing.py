"""When the approval workflow is chased: an approval waiting longer than
settings.APPROVAL_CHASE_DAYS (then every APPROVAL_CHASE_REPEAT_DAYS), and a returned
agreement not resubmitted within RESUBMIT_REMINDER_DAYS. The reminders ask these; the
rule of who may approve stays agreements.permissions.can_approve_agreement (and its
queryset form, Agreement.objects.awaiting_approval_by)."""

import datetime

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from agreements.models import Agreement, AgreementEvent, Status


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def days_waiting(moment: datetime.datetime, today: datetime.date) -> int:
    """Whole days from the local day of `moment` to `today`."""
    return (today - timezone.localdate(moment)).days


def approvals_to_chase(today: datetime.date):
    """Pending agreements submitted at least APPROVAL_CHASE_DAYS days before today."""
    last_day = today - datetime.timedelta(days=settings.APPROVAL_CHASE_DAYS)
    return Agreement.objects.filter(
        status=Status.PENDING, submitted_at__lt=_start_of(last_day + datetime.timedelta(days=1))
    )


def approval_chase_number(agreement, today: datetime.date) -> int:
    """0 on the first day an approval is chased, 1 a repeat later, and so on."""
    waited = days_waiting(agreement.submitted_at, today) - settings.APPROVAL_CHASE_DAYS
    return waited // settings.APPROVAL_CHASE_REPEAT_DAYS


def returned_to_remind(today: datetime.date):
    """Returned agreements whose latest return is RESUBMIT_REMINDER_DAYS days old or
    more, each annotated with that return: `returned_at` and `return_event_id`."""
    latest_return = AgreementEvent.objects.filter(
        agreement=OuterRef("pk"), to_status=Status.RETURNED
    ).order_by("-created_at", "-id")
    last_day = today - datetime.timedelta(days=settings.RESUBMIT_REMINDER_DAYS)
    return (
        Agreement.objects.filter(status=Status.RETURNED)
        .annotate(
            returned_at=Subquery(latest_return.values("created_at")[:1]),
            return_event_id=Subquery(latest_return.values("id")[:1]),
        )
        .filter(returned_at__lt=_start_of(last_day + datetime.timedelta(days=1)))
    )
