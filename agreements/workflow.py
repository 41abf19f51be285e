"""The agreement workflow, declared once: each action, the statuses it starts from,
the status it leads to, and the permission rule that guards it.

agreements.services.agreement_transition() is the only code that performs them; views,
the admin and tests all go through it.
"""

from dataclasses import dataclass
from typing import Callable

from django.utils.translation import gettext_lazy as _

from agreements import permissions
from agreements.models import Status


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: Callable
    comment_required: bool = False


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
        ),
    ]
}


def available_transitions(user, agreement) -> list[Transition]:
    """The actions this user may take on the agreement now (for its page's buttons)."""
    return [
        transition
        for transition in TRANSITIONS.values()
        if agreement.status in transition.sources and transition.permission(user, agreement)
    ]
