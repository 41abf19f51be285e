"""Queries over reminders used by other apps' pages."""

from django.db.models import Q

from reminders.models import Reminder


def reminders_for_agreement(agreement):
    """What was sent about the agreement, newest first, with each delivery."""
    return (
        Reminder.objects.filter(Q(agreement=agreement) | Q(period__agreement=agreement))
        .select_related("period", "obligation")
        .prefetch_related("deliveries__recipient")
    )
