"""Which agreements and evaluation periods a user's calendar feed shows: the rule is
here once, for the feed and its tests."""

import datetime

from django.utils import timezone

from accounts.roles import is_manager
from agreements.models import APPROVED_STATUSES, Agreement, Status
from evaluations.models import EvaluationPeriod

# Agreements that ended longer ago than this drop out of the feed.
FEED_PAST_DAYS = 366


def feed_agreements(user, today: datetime.date | None = None):
    """Approved agreements the user is responsible for (every one, for a manager) that
    have not been over for more than FEED_PAST_DAYS."""
    today = today or timezone.localdate()
    agreements = Agreement.objects.filter(
        status=Status.APPROVED, end_date__gte=today - datetime.timedelta(days=FEED_PAST_DAYS)
    )
    if not is_manager(user):
        agreements = agreements.filter(responsible=user)
    return agreements.select_related("partner", "responsible").order_by("end_date", "pk")


def feed_periods(user):
    """Evaluation periods still without a completed evaluation, of the same agreements
    (a terminated agreement's last period still needs its final evaluation)."""
    periods = EvaluationPeriod.objects.not_evaluated().filter(
        agreement__status__in=APPROVED_STATUSES
    )
    if not is_manager(user):
        periods = periods.filter(agreement__responsible=user)
    return periods.select_related("agreement__partner", "agreement__responsible").order_by(
        "end_date", "pk"
    )


def agreement_periods(agreement):
    """The same periods for a single agreement's download."""
    return (
        EvaluationPeriod.objects.not_evaluated()
        .filter(agreement=agreement)
        .select_related("agreement__partner", "agreement__responsible")
        .order_by("number")
    )
