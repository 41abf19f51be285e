"""The agreement workflow, declared once: each action, the statuses it starts from,
the status it leads to, and the permission rule that guards it.

agreements.services.agreement_transition() is the only code that performs them; views,
the admin and tests all go through it.
"""

import datetime
from dataclasses import dataclass
from typing import Callable

from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from agreements import approvals, permissions
from agreements.models import Phase, Status


def _never_blocked(agreement, today) -> str:
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
    permission: Callable
    comment_required: bool = False
    # Beyond the status: why the action is impossible for this agreement on a day ("" if
    # it is possible). Buttons and the service both ask it.
    blocked: Callable[[object, datetime.date], str] = _never_blocked
    # How many managers must take the step before the status changes; until then each
    # one is recorded (agreements.models.ApprovalDecision) and the record stays where it
    # is. Only approving counts people this way.
    takers_needed: Callable[[object], int] = _one


TRANSITIONS = {
    transition.action: transition
    for transition in [
        Transition(
            action="submit",
            label=_("Submit for approval"),
            sources=(Status.DRAFT, Status.RETURNED),
            target=Status.PENDING,
            permission=permissions.can_submit_agreement,
        ),
        Transition(
            action="approve",
            label=_("Approve"),
            sources=(Status.PENDING,),
            target=Status.APPROVED,
            permission=permissions.can_approve_agreement,
            # Two approvals above the threshold, each by a manager who did not shape it.
            takers_needed=approvals.approvals_needed,
        ),
        Transition(
            action="return",
            label=_("Return to the author"),
            sources=(Status.PENDING,),
            target=Status.RETURNED,
            permission=permissions.can_return_agreement,
            comment_required=True,
        ),
        Transition(
            action="terminate",
            label=_("Terminate"),
            sources=(Status.APPROVED,),
            target=Status.TERMINATED,
            permission=permissions.can_terminate_agreement,
            comment_required=True,
            blocked=_blocked_if_expired,
        ),
    ]
}


def available_transitions(user, agreement, today: datetime.date | None = None) -> list[Transition]:
    """The actions this user may take on the agreement now: every button for a
    transition, on any page, comes from here."""
    today = today or timezone.localdate()
    return [
        transition
        for transition in TRANSITIONS.values()
        if agreement.status in transition.sources
        and not transition.blocked(agreement, today)
        and transition.permission(user, agreement)
    ]


def transition_available(user, agreement, action: str) -> bool:
    return any(transition.action == action for transition in available_transitions(user, agreement))
