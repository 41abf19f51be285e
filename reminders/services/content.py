"""What each kind of reminder says. Days are counted from the day the reminder was
claimed for (Reminder.for_date), not from the clock: an email retried the next morning
still says what was true on the day of its run."""

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.models import Agreement, Amendment
from core.links import absolute_url
from evaluations.selectors import agreements_evaluation_overdue, with_evaluation_status
from reminders.models import Reminder, ReminderKind

# What the kinds of apps built on reminders say (the partner portal's report reminders):
# kind -> function(reminder, recipient) returning what message_content() returns.
_extra_content: dict[str, Callable[[Reminder, object], tuple[str, str, dict]]] = {}


def register_content(kind: str, content: Callable[[Reminder, object], tuple[str, str, dict]]):
    _extra_content[kind] = content


def message_content(reminder: Reminder, recipient) -> tuple[str, str, dict]:
    """The subject, the template name (under reminders/email/) and its context for one
    reminder."""
    if reminder.kind in _extra_content:
        return _extra_content[reminder.kind](reminder, recipient)
    today = reminder.for_date
    if reminder.kind == ReminderKind.AGREEMENT_ENDING:
        agreement = reminder.agreement
        return (
            _("%(reference)s ends on %(date)s")
            % {
                "reference": agreement.reference,
                "date": date_format(agreement.end_date, "SHORT_DATE_FORMAT"),
            },
            "agreement_ending",
            {
                "agreement": agreement,
                "days_left": (agreement.end_date - today).days,
                "agreement_url": absolute_url(agreement.get_absolute_url()),
                "renew_url": absolute_url(
                    reverse("agreements:agreement_renew", args=[agreement.pk])
                ),
            },
        )
    if reminder.kind in (ReminderKind.EVALUATION_OVERDUE, ReminderKind.EVALUATION_DUE_SOON):
        period = reminder.period
        agreement = period.agreement
        overdue = reminder.kind == ReminderKind.EVALUATION_OVERDUE
        subject = (
            _("Overdue: the yearly evaluation of %(reference)s")
            if overdue
            else _("Due soon: the yearly evaluation of %(reference)s")
        ) % {"reference": agreement.reference}
        return (
            subject,
            "evaluation_overdue" if overdue else "evaluation_due_soon",
            {
                "agreement": agreement,
                "period": period,
                "days_late": (today - period.end_date).days,
                "evaluate_url": absolute_url(
                    reverse("evaluations:evaluation_create", args=[agreement.pk, period.number])
                ),
                "agreement_url": absolute_url(agreement.get_absolute_url() + "#evaluations"),
            },
        )
    if reminder.kind == ReminderKind.OBLIGATION_OVERDUE:
        obligation = reminder.obligation
        agreement = reminder.agreement
        return (
            _("Overdue: an obligation in %(reference)s") % {"reference": agreement.reference},
            "obligation_overdue",
            {
                "agreement": agreement,
                "obligation": obligation,
                "follow_up_url": absolute_url(
                    reverse("agreements:obligation_outcome", args=[agreement.pk, obligation.pk])
                ),
                "agreement_url": absolute_url(agreement.get_absolute_url() + "#obligations"),
            },
        )
    return (
        _("Weekly overview: approvals, agreements ending, overdue evaluations"),
        "manager_digest",
        {
            "pending": list(
                Agreement.objects.awaiting_approval_by(recipient).select_related("partner")
            ),
            "pending_amendments": list(
                Amendment.objects.awaiting_approval_by(recipient)
                .select_related("agreement__partner")
                .order_by("agreement__reference", "number")
            ),
            "ending": list(
                Agreement.objects.ending_within(settings.ENDING_SOON_DAYS, today)
                .select_related("partner")
                .order_by("end_date")
            ),
            "overdue": list(
                with_evaluation_status(
                    agreements_evaluation_overdue(Agreement.objects, today), today
                )
                .select_related("partner")
                .order_by("next_evaluation_due")
            ),
            "ending_soon_days": settings.ENDING_SOON_DAYS,
            "site_url": settings.SITE_URL.rstrip("/"),
            "list_url": absolute_url(reverse("agreements:agreement_list")),
        },
    )
