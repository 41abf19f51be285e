"""The incident workflow, declared once: open → under review → closed with an outcome
(or closed straight from open). governance.services.incident_transition() performs it."""

from dataclasses import dataclass
from typing import Callable

from django.utils.translation import gettext_lazy as _

from governance import permissions
from governance.models import IncidentStatus


@dataclass(frozen=True)
class IncidentTransition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: Callable
    # Closing needs an outcome and a note of what was found and done.
    needs_outcome: bool = False


INCIDENT_TRANSITIONS = {
    transition.action: transition
    for transition in [
        IncidentTransition(
            action="review",
            label=_("Take under review"),
            sources=(IncidentStatus.OPEN,),
            target=IncidentStatus.UNDER_REVIEW,
            permission=permissions.can_review_incident,
        ),
        IncidentTransition(
            action="close",
            label=_("Close with an outcome"),
            sources=(IncidentStatus.OPEN, IncidentStatus.UNDER_REVIEW),
            target=IncidentStatus.CLOSED,
            permission=permissions.can_close_incident,
            needs_outcome=True,
        ),
    ]
}


def available_incident_transitions(user, incident) -> list[IncidentTransition]:
    """The steps this user may take on the incident now: its page's buttons."""
    return [
        transition
        for transition in INCIDENT_TRANSITIONS.values()
        if incident.status in transition.sources and transition.permission(user, incident)
    ]
