"""Which reminders are due on a day. The rules of *when* come from the apps that own
them (Agreement.objects.ending_within, EvaluationPeriod.objects.overdue and due_within,
Obligation.objects.overdue); this module only decides which reminder each situation
calls for, under which claim key, and to whom. See docs/how-to.md to add a kind."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.roles import MANAGERS_GROUP
from agreements.models import Agreement, Obligation
from evaluations.models import EvaluationPeriod
from evaluations.periods import overdue_after
from reminders.models import Reminder, ReminderKind
from reminders.services.claiming import CLAIM_BATCH


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


# Planners of apps built on reminders (the partner portal plans its partners' report
# reminders): each takes the day and returns its PlannedReminders. Registered from the
# app's AppConfig.ready(), so reminders imports none of them.
_extra_planners: list[Callable[[datetime.date], list[PlannedReminder]]] = []


def register_planner(planner: Callable[[datetime.date], list[PlannedReminder]]) -> None:
    if planner not in _extra_planners:
        _extra_planners.append(planner)


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
        *(reminder for planner in _extra_planners for reminder in planner(today)),
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
    periods = EvaluationPeriod.objects.overdue(today).select_related("agreement__responsible")
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
        EvaluationPeriod.objects.due_within(settings.REMINDER_DUE_SOON_DAYS, today)
        .filter(end_date__gte=today)  # not late yet: late ones get the overdue reminder
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


def obligation_claim_key(obligation) -> str:
    """Once per obligation and due date: an amendment that moves the due date brings a
    new reminder when the new date passes; one that only rewords the obligation, or
    keeps its date, does not remind again (the versions of an obligation share a line)."""
    return f"obligation_overdue:{obligation.lineage_id}:{obligation.due_date.isoformat()}"


def _obligations_overdue(today):
    """Once per obligation and due date, to the agreement's responsible person, the first
    day it is overdue (or the first run after that)."""
    obligations = Obligation.objects.overdue(today).select_related("agreement__responsible")
    return [
        PlannedReminder(
            kind=ReminderKind.OBLIGATION_OVERDUE,
            claim_key=obligation_claim_key(obligation),
            sequence=0,
            agreement=obligation.agreement,
            obligation=obligation,
            recipients=_with_managers(obligation.agreement.responsible, []),
        )
        for obligation in obligations
    ]
