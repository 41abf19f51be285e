"""The partner's report reminders, through the reminder claims (each email once):
due in REMINDER_DUE_SOON_DAYS days, overdue (repeated every REMINDER_OVERDUE_REPEAT_DAYS),
sent back and accepted. They go to the partner's active portal users. The daily job
plans the first two (registered with reminders.services.register_planner); the review
services claim the other two at the moment of the decision."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.links import absolute_url
from core.queue import enqueue
from portal.models import (
    PartnerReport,
    PartnerUser,
    periods_awaiting_partner_report,
    report_is_overdue,
)
from reminders.models import ReminderKind
from reminders.services import PlannedReminder, claim

DUE_SOON = ReminderKind.PARTNER_REPORT_DUE_SOON
OVERDUE = ReminderKind.PARTNER_REPORT_OVERDUE
SENT_BACK = ReminderKind.PARTNER_REPORT_SENT_BACK
ACCEPTED = ReminderKind.PARTNER_REPORT_ACCEPTED


def portal_recipients(partner_ids) -> dict[int, list]:
    """The active portal users with an email address, per partner (of the given
    partners, or of all when None), in one query."""
    people = defaultdict(list)
    partner_users = (
        PartnerUser.objects.active().exclude(user__email="").select_related("user").order_by("pk")
    )
    if partner_ids is not None:
        partner_users = partner_users.filter(partner_id__in=set(partner_ids))
    for partner_user in partner_users:
        people[partner_user.partner_id].append(partner_user.user)
    return people


def overdue_repeat_number(period, today) -> int:
    """0 on the day after the report was due, 1 after the repeat interval, and so on."""
    first_overdue_day = period.end_date + datetime.timedelta(days=1)
    return (today - first_overdue_day).days // settings.REMINDER_OVERDUE_REPEAT_DAYS


def planned_report_reminders(today: datetime.date) -> list[PlannedReminder]:
    """Reports due soon (once per period) and overdue ones (once per repeat interval),
    for partners with someone to tell: two queries, however many periods."""
    people = portal_recipients(None)
    if not people:
        return []
    horizon = today + datetime.timedelta(days=settings.REMINDER_DUE_SOON_DAYS)
    periods = (
        periods_awaiting_partner_report(today)
        .filter(end_date__lte=horizon, agreement__partner_id__in=list(people))
        .select_related("agreement")
        .order_by("end_date", "pk")
    )
    planned = []
    for period in periods:
        recipients = people[period.agreement.partner_id]
        if report_is_overdue(period, today):
            repeat = overdue_repeat_number(period, today)
            kind, key = OVERDUE, f"{OVERDUE}:{period.pk}:{repeat}"
        else:
            repeat, kind, key = 0, DUE_SOON, f"{DUE_SOON}:{period.pk}"
        planned.append(
            PlannedReminder(
                kind=kind,
                claim_key=key,
                sequence=repeat,
                agreement=period.agreement,
                period=period,
                recipients=recipients,
            )
        )
    return planned


def notify_partner(*, kind: str, report, version) -> None:
    """Claim the decision's email (once per version) and hand it out after the commit."""
    period = report.period
    recipients = portal_recipients([period.agreement.partner_id]).get(
        period.agreement.partner_id, []
    )
    if not recipients:
        return
    reminder = claim(
        PlannedReminder(
            kind=kind,
            claim_key=f"{kind}:{report.pk}:{version.number}",
            sequence=version.number,
            agreement=period.agreement,
            period=period,
            recipients=recipients,
        ),
        timezone.localdate(),
    )
    if reminder is None:
        return
    delivery_ids = list(reminder.deliveries.values_list("pk", flat=True))

    def hand_out():
        from reminders.tasks import send_reminder_email

        for delivery_id in delivery_ids:
            # With the broker down the delivery waits; the next daily run sends it.
            enqueue(send_reminder_email, delivery_id)

    transaction.on_commit(hand_out)


def _report_url(period) -> str:
    return absolute_url(reverse("portal:report", args=[period.agreement_id, period.number]))


def report_content(reminder, recipient) -> tuple[str, str, dict]:
    """Subject, template and context of the four partner report emails."""
    period = reminder.period
    agreement = period.agreement
    context = {
        "agreement": agreement,
        "period": period,
        "partner": agreement.partner,
        "report_url": _report_url(period),
        "portal_url": absolute_url(reverse("portal:home")),
        "responsible": agreement.responsible,
    }
    reference = {"reference": agreement.reference, "number": period.number}
    if reminder.kind == DUE_SOON:
        context["days_left"] = (period.end_date - reminder.for_date).days
        subject = _("The yearly report on %(reference)s, year %(number)s, is due soon") % reference
        return subject, "partner_report_due_soon", context
    if reminder.kind == OVERDUE:
        context["days_late"] = (reminder.for_date - period.end_date).days
        subject = _("Overdue: the yearly report on %(reference)s, year %(number)s") % reference
        return subject, "partner_report_overdue", context
    report = PartnerReport.objects.get(period=period)
    context["version"] = report.versions.get(number=reminder.sequence)
    if reminder.kind == SENT_BACK:
        subject = _("Please revise the report on %(reference)s, year %(number)s") % reference
        return subject, "partner_report_sent_back", context
    subject = _("Your report on %(reference)s, year %(number)s, is accepted") % reference
    return subject, "partner_report_accepted", context
