"""Which reminders are due on a day, claiming each exactly once, and sending them.

The rules of *when* come from the other apps (Agreement.objects.ending_within,
EvaluationPeriod.objects.awaiting_evaluation, evaluations.periods.overdue_cutoff); this
module only decides which reminder each situation calls for and makes sure it goes out
once.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import MANAGERS_GROUP
from agreements.models import Agreement, Obligation
from core.links import absolute_url
from evaluations.models import EvaluationPeriod
from evaluations.periods import overdue_after, overdue_cutoff
from reminders.models import Delivery, DeliveryStatus, Reminder, ReminderKind

logger = logging.getLogger(__name__)

# A delivery left "sending" this long was interrupted (a worker died): send it again.
STUCK_AFTER = datetime.timedelta(hours=1)
# A delivery still waiting this long after its claim was never queued (broker down).
NEVER_QUEUED_AFTER = datetime.timedelta(minutes=30)


@dataclass
class PlannedReminder:
    kind: str
    claim_key: str
    sequence: int
    recipients: list = field(default_factory=list)
    agreement: Agreement | None = None
    period: EvaluationPeriod | None = None
    obligation: Obligation | None = None

    def describe(self) -> str:
        target = self.agreement or (self.period.agreement if self.period else None)
        who = ", ".join(sorted(user.email for user in self.recipients))
        return f"{self.kind:<20} {target.reference if target else '':<15} seq={self.sequence:<4} to {who}"


def managers():
    return list(
        get_user_model()
        .objects.filter(groups__name=MANAGERS_GROUP, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _with_managers(responsible, manager_list):
    people = {
        user.pk: user for user in [responsible, *manager_list] if user.email and user.is_active
    }
    return list(people.values())


def planned_reminders(today: datetime.date) -> list[PlannedReminder]:
    """Every reminder that is due today and not yet claimed."""
    manager_list = managers()
    planned = [
        *_agreements_ending(today, manager_list),
        *_evaluations_overdue(today, manager_list),
        *_evaluations_due_soon(today),
        *_obligations_overdue(today),
    ]
    keys = [p.claim_key for p in planned]
    already = set()
    for start in range(0, len(keys), CLAIM_BATCH):  # a bounded number of parameters
        already.update(
            Reminder.objects.filter(claim_key__in=keys[start : start + CLAIM_BATCH]).values_list(
                "claim_key", flat=True
            )
        )
    return [p for p in planned if p.claim_key not in already]


def _agreements_ending(today, manager_list):
    """One reminder per agreement and distance (default 90, 30, 7 days before the end).

    The distance is the smallest one not below the days left, so a job that did not run
    on the exact day still sends the reminder, and late approvals skip the stale ones.
    """
    distances = sorted(settings.REMINDER_ENDING_DAYS)
    if not distances:
        return []
    agreements = Agreement.objects.ending_within(max(distances), today).select_related(
        "responsible"
    )
    planned = []
    for agreement in agreements:
        days_left = (agreement.end_date - today).days
        distance = next(d for d in distances if d >= days_left)
        planned.append(
            PlannedReminder(
                kind=ReminderKind.AGREEMENT_ENDING,
                claim_key=f"agreement_ending:{agreement.pk}:{distance}",
                sequence=distance,
                agreement=agreement,
                recipients=_with_managers(agreement.responsible, manager_list),
            )
        )
    return planned


def ending_reminder_dates(agreement) -> list[tuple[int, datetime.date]]:
    """The days the "agreement ending" reminders of an approved agreement go out, with
    the distance each is claimed under, as _agreements_ending() plans them.

    The reminder for a distance is due while the days left are at most that distance and
    more than the next smaller one; it goes out on the first of those days, or on the day
    of approval when the agreement was approved inside the window. A window that closed
    before the approval has no reminder.
    """
    approved_on = timezone.localdate(agreement.approved_at) if agreement.approved_at else None
    dates = []
    previous = -1
    for distance in sorted(settings.REMINDER_ENDING_DAYS):
        first_day = agreement.end_date - datetime.timedelta(days=distance)
        last_day = agreement.end_date - datetime.timedelta(days=previous + 1)
        day = max(first_day, approved_on) if approved_on else first_day
        if day <= last_day:
            dates.append((distance, day))
        previous = distance
    return dates


def overdue_repeat_number(period, today) -> int:
    """0 on the first day a period is overdue, 1 after the repeat interval, and so on."""
    first_overdue_day = overdue_after(period.end_date) + datetime.timedelta(days=1)
    return (today - first_overdue_day).days // settings.REMINDER_OVERDUE_REPEAT_DAYS


def _evaluations_overdue(today, manager_list):
    periods = (
        EvaluationPeriod.objects.awaiting_evaluation(today)
        .filter(end_date__lt=overdue_cutoff(today))
        .select_related("agreement__responsible")
    )
    planned = []
    for period in periods:
        repeat = overdue_repeat_number(period, today)
        planned.append(
            PlannedReminder(
                kind=ReminderKind.EVALUATION_OVERDUE,
                claim_key=f"evaluation_overdue:{period.pk}:{repeat}",
                sequence=repeat,
                agreement=period.agreement,
                period=period,
                recipients=_with_managers(period.agreement.responsible, manager_list),
            )
        )
    return planned


def _evaluations_due_soon(today):
    periods = (
        EvaluationPeriod.objects.awaiting_evaluation(today)
        .filter(
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=settings.REMINDER_DUE_SOON_DAYS),
        )
        .select_related("agreement__responsible")
    )
    return [
        PlannedReminder(
            kind=ReminderKind.EVALUATION_DUE_SOON,
            claim_key=f"evaluation_due_soon:{period.pk}",
            sequence=0,
            agreement=period.agreement,
            period=period,
            recipients=_with_managers(period.agreement.responsible, []),
        )
        for period in periods
    ]


def _obligations_overdue(today):
    """Once per obligation, to the agreement's responsible person, the first day it is
    overdue (or the first run after that)."""
    obligations = Obligation.objects.overdue(today).select_related("agreement__responsible")
    return [
        PlannedReminder(
            kind=ReminderKind.OBLIGATION_OVERDUE,
            claim_key=f"obligation_overdue:{obligation.pk}",
            sequence=0,
            agreement=obligation.agreement,
            obligation=obligation,
            recipients=_with_managers(obligation.agreement.responsible, []),
        )
        for obligation in obligations
    ]


# Reminders claimed in one transaction. One transaction a reminder made the daily job
# take ~3 ms a reminder (30,000 agreements: thousands of reminders on a bad day).
CLAIM_BATCH = 500


def _reminder_row(planned: PlannedReminder, today: datetime.date) -> Reminder:
    return Reminder(
        claim_key=planned.claim_key,
        kind=planned.kind,
        agreement=planned.agreement,
        period=planned.period,
        obligation=planned.obligation,
        sequence=planned.sequence,
        for_date=today,
    )


def _delivery_rows(reminder: Reminder, planned: PlannedReminder) -> list[Delivery]:
    return [
        Delivery(reminder=reminder, recipient=recipient, email=recipient.email)
        for recipient in planned.recipients
    ]


def claim(planned: PlannedReminder, today: datetime.date) -> Reminder | None:
    """Insert the reminder's row; None if someone (another run, another worker) has it."""
    try:
        with transaction.atomic():
            reminder = _reminder_row(planned, today)
            reminder.save()
            Delivery.objects.bulk_create(_delivery_rows(reminder, planned))
    except IntegrityError:
        return None
    return reminder


def claim_many(planned: list[PlannedReminder], today: datetime.date) -> list[Reminder]:
    """Claim a batch in one transaction: the unique claim keys make every row inserted
    ours. If any key is taken (another run got there first) the insert fails, nothing of
    the batch is kept, and its reminders are claimed one by one instead, each once."""
    try:
        with transaction.atomic():
            # Both databases we run on return the new ids from a bulk insert.
            reminders = Reminder.objects.bulk_create(_reminder_row(p, today) for p in planned)
            Delivery.objects.bulk_create(
                delivery
                for reminder, plan in zip(reminders, planned, strict=True)
                for delivery in _delivery_rows(reminder, plan)
            )
    except IntegrityError:
        return [reminder for plan in planned if (reminder := claim(plan, today)) is not None]
    return reminders


def run_daily_reminders(
    today: datetime.date, *, dispatch: Callable[[int], object]
) -> list[Reminder]:
    """Claim today's reminders and hand each delivery to `dispatch` (a Celery task's
    delay, or a direct send); also hand over deliveries that failed or got stuck."""
    claimed = []
    planned = planned_reminders(today)
    for start in range(0, len(planned), CLAIM_BATCH):
        reminders = claim_many(planned[start : start + CLAIM_BATCH], today)
        claimed.extend(reminders)
        # Each batch is handed out once it is committed, before the next is claimed.
        for delivery_id in Delivery.objects.filter(reminder__in=reminders).values_list(
            "pk", flat=True
        ):
            _dispatch_safely(dispatch, delivery_id)
    for delivery_id in deliveries_to_retry():
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
        subject, template, context = _content(reminder, recipient)
        context.update(recipient=recipient, organisation=settings.ORGANISATION_NAME)
        text = render_to_string(f"reminders/email/{template}.txt", context)
        html = render_to_string(f"reminders/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[delivery.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def _content(reminder: Reminder, recipient):
    today = timezone.localdate()
    if reminder.kind == ReminderKind.AGREEMENT_ENDING:
        agreement = reminder.agreement
        return (
            _("%(reference)s ends on %(date)s")
            % {"reference": agreement.reference, "date": agreement.end_date.isoformat()},
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
            "ending": list(
                Agreement.objects.ending_within(90, today)
                .select_related("partner")
                .order_by("end_date")
            ),
            "overdue": list(
                Agreement.objects.evaluation_overdue(today)
                .with_evaluation_status(today)
                .select_related("partner")
                .order_by("next_evaluation_due")
            ),
            "site_url": settings.SITE_URL.rstrip("/"),
            "list_url": absolute_url(reverse("agreements:agreement_list")),
        },
    )


def reminders_for_agreement(agreement):
    """What was sent about the agreement, newest first, with each delivery."""
    return (
        Reminder.objects.filter(Q(agreement=agreement) | Q(period__agreement=agreement))
        .select_related("period", "obligation")
        .prefetch_related("deliveries__recipient")
    )
