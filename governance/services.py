"""Every change to incidents goes through these functions, and so do the records that
tie incidents to approvals (acknowledgements) and terminations (citations)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from core.history import record_history
from core.permissions import require
from core.versioning import next_version
from governance import permissions, selectors
from governance.models import (
    Incident,
    IncidentAcknowledgement,
    IncidentEvent,
    IncidentOutcome,
    IncidentStatus,
    TerminationCitation,
)
from governance.workflow import INCIDENT_TRANSITIONS


class IncidentRefused(Refused):
    """A change to an incident is not possible now."""


@transaction.atomic
def incident_record(*, form, partner, user) -> Incident:
    """Record an incident on a partner (optionally on one of its agreements)."""
    require(permissions.can_record_incident(user, partner))
    incident = form.save(commit=False)
    incident.partner = partner
    incident.recorded_by = user
    incident.status = IncidentStatus.OPEN
    incident.full_clean()
    incident._history_user = user
    incident.save()
    IncidentEvent.objects.create(
        incident=incident, actor=user, from_status="", to_status=IncidentStatus.OPEN
    )
    return incident


@transaction.atomic
def incident_update(*, form, user) -> Incident:
    """Correct the facts of an incident not closed yet. Raises EditConflict over a newer
    version, IncidentRefused once it is closed."""
    incident = form.instance
    current = Incident.objects.select_for_update().get(pk=incident.pk)
    decision = permissions.can_edit_incident(user, current)
    if not decision:
        raise IncidentRefused(decision.reason)
    version = next_version(Incident, incident.pk, form.cleaned_data.get("edit_version"))
    incident = form.save(commit=False)
    incident.version = version
    incident.full_clean()
    incident._history_user = user
    incident.save(update_fields=[*form.Meta.fields, "version", "updated_at"])
    return incident


@transaction.atomic
def incident_transition(
    *, incident: Incident, action: str, user, comment: str = "", outcome: str = ""
) -> Incident:
    """Take an incident under review, or close it with an outcome (managers only).

    The status changes with a conditional update, so of two managers closing at once
    one succeeds and the other is told; one event row per change.
    """
    transition = INCIDENT_TRANSITIONS[action]
    if incident.status not in transition.sources:
        raise IncidentRefused(
            _("This incident is %(status)s: “%(action)s” is not possible now.")
            % {"status": incident.get_status_display().lower(), "action": transition.label}
        )
    require(transition.permission(user, incident))
    comment = comment.strip()
    now = timezone.now()
    changes = {"status": transition.target, "updated_at": now}
    if transition.needs_outcome:
        if outcome not in IncidentOutcome.values:
            raise IncidentRefused(_("Choose the outcome."), field="outcome")
        if not comment:
            raise IncidentRefused(_("Say what was found and what was done."), field="comment")
        if (
            outcome == IncidentOutcome.LED_TO_TERMINATION
            and not incident.termination_citations.exists()
        ):
            raise IncidentRefused(
                _(
                    "No termination cites this incident. Terminate the agreement first, "
                    "naming this incident as its cause, or choose another outcome."
                ),
                field="outcome",
            )
        changes.update(outcome=outcome, closing_note=comment, closed_by=user, closed_at=now)
    claimed = Incident.objects.filter(pk=incident.pk, status=incident.status).update(**changes)
    if claimed != 1:
        current = Incident.objects.get(pk=incident.pk)
        raise IncidentRefused(
            _("Someone else changed this incident a moment ago: it is now %(status)s.")
            % {"status": current.get_status_display().lower()}
        )
    IncidentEvent.objects.create(
        incident=incident,
        actor=user,
        created_at=now,
        from_status=incident.status,
        to_status=transition.target,
        outcome=outcome if transition.needs_outcome else "",
        comment=comment,
    )
    incident.refresh_from_db()
    record_history(incident, user)
    return incident


# What approvals and terminations record about incidents ----------------------------


def check_acknowledged(*, partner, acknowledged_ids) -> list[Incident]:
    """The partner's serious unresolved incidents, if every one is among those the
    manager acknowledged; otherwise Refused naming what is missing (an incident
    recorded after the approval page was opened, say)."""
    incidents = selectors.serious_unresolved_incidents(partner)
    missing = [incident for incident in incidents if incident.pk not in set(acknowledged_ids)]
    if missing:
        raise Refused(
            _(
                "A serious incident on %(partner)s is not closed. Read it and tick that you "
                "acknowledge it before approving."
            )
            % {"partner": partner.name},
            [str(incident) for incident in missing],
            field="acknowledged_incidents",
        )
    return incidents


def record_acknowledgements(*, decision, incidents) -> None:
    IncidentAcknowledgement.objects.bulk_create(
        IncidentAcknowledgement(decision=decision, incident=incident) for incident in incidents
    )


def cite_in_termination(*, agreement, incident_ids, user) -> list[Incident]:
    """Record the incidents a termination names as its cause; each must be one of the
    partner's and not closed as unfounded."""
    ids = set(incident_ids)
    if not ids:
        return []
    incidents = list(selectors.citable_incidents(agreement.partner).filter(pk__in=ids))
    if len(incidents) != len(ids):
        raise Refused(
            _("Only this partner's incidents, not closed as unfounded, can be cited."),
            field="cited_incidents",
        )
    now = timezone.now()
    TerminationCitation.objects.bulk_create(
        TerminationCitation(agreement=agreement, incident=incident, cited_by=user, cited_at=now)
        for incident in incidents
    )
    return incidents
