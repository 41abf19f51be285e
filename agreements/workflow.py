"""The approval workflow, declared once: each action, the statuses it starts from, the
status it leads to, and the permission rule that guards it for each kind of workflow
record — an agreement, or an amendment of one's terms. Both go through the same
draft → pending → approved steps (or back to the author with a comment); an agreement
can then be terminated, an open amendment withdrawn.

agreements.services.workflow_transition() is the only code that performs them; views,
the admin and tests all go through it.
"""

import datetime
from dataclasses import dataclass, field
from typing import Callable

from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from agreements import approvals, permissions
from agreements.models import AmendmentStatus, Phase, Status

AGREEMENT = "agreement"
AMENDMENT = "amendment"


def _never_blocked(record, today) -> str:
    return ""


def _one(record) -> int:
    return 1


def _blocked_if_expired(agreement, today) -> str:
    if agreement.phase(today) == Phase.EXPIRED:
        return gettext_now("This agreement has already expired; there is nothing to terminate.")
    return ""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    # The kinds of record the action applies to, each with its permission rule.
    rules: dict[str, Callable] = field(default_factory=dict)
    comment_required: bool = False
    # Beyond the status: why the action is impossible for this record on a day ("" if
    # it is possible). Buttons and the service both ask it.
    blocked: Callable[[object, datetime.date], str] = _never_blocked
    # How many managers must take the step before the status changes; until then each
    # one is recorded (agreements.models.ApprovalDecision) and the record stays where it
    # is. Only approving counts people this way.
    takers_needed: Callable[[object], int] = _one

    def applies_to(self, record) -> bool:
        return record.workflow_kind in self.rules

    def permission(self, user, record):
        return self.rules[record.workflow_kind](user, record)


TRANSITIONS = {
    transition.action: transition
    for transition in [
        Transition(
            action="submit",
            label=_("Submit for approval"),
            sources=(Status.DRAFT, Status.RETURNED),
            target=Status.PENDING,
            rules={
                AGREEMENT: permissions.can_submit_agreement,
                AMENDMENT: permissions.can_submit_amendment,
            },
        ),
        Transition(
            action="approve",
            label=_("Approve"),
            sources=(Status.PENDING,),
            target=Status.APPROVED,
            rules={
                AGREEMENT: permissions.can_approve_agreement,
                AMENDMENT: permissions.can_approve_amendment,
            },
            # Two approvals above the threshold, each by a manager who did not shape it.
            takers_needed=approvals.approvals_needed,
        ),
        Transition(
            action="return",
            label=_("Return to the author"),
            sources=(Status.PENDING,),
            target=Status.RETURNED,
            rules={
                AGREEMENT: permissions.can_return_agreement,
                AMENDMENT: permissions.can_return_agreement,
            },
            comment_required=True,
        ),
        Transition(
            action="terminate",
            label=_("Terminate"),
            sources=(Status.APPROVED,),
            target=Status.TERMINATED,
            rules={AGREEMENT: permissions.can_terminate_agreement},
            comment_required=True,
            blocked=_blocked_if_expired,
        ),
        Transition(
            action="withdraw",
            label=_("Withdraw"),
            sources=(AmendmentStatus.DRAFT, AmendmentStatus.PENDING, AmendmentStatus.RETURNED),
            target=AmendmentStatus.WITHDRAWN,
            rules={AMENDMENT: permissions.can_withdraw_amendment},
            comment_required=True,
        ),
    ]
}


def transitions_for(kind: str) -> dict[str, Transition]:
    """The actions that apply to one kind of record."""
    return {action: t for action, t in TRANSITIONS.items() if kind in t.rules}


def available_transitions(user, record, today: datetime.date | None = None) -> list[Transition]:
    """The actions this user may take on the record (an agreement or an amendment) now:
    every button for a transition, on any page, comes from here."""
    today = today or timezone.localdate()
    return [
        transition
        for transition in TRANSITIONS.values()
        if transition.applies_to(record)
        and record.status in transition.sources
        and not transition.blocked(record, today)
        and transition.permission(user, record)
    ]


def transition_available(user, record, action: str) -> bool:
    return any(transition.action == action for transition in available_transitions(user, record))
