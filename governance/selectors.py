"""Queries over incidents used in more than one place. Every list of incidents a person
sees comes from incidents_for(), which marks the rows whose details they may see."""

from django.db.models import BooleanField, Case, Q, Value, When

from governance import permissions
from governance.models import (
    RESTRICTED_CATEGORIES,
    Incident,
    IncidentOutcome,
    TerminationCitation,
    serious_unresolved_condition,
)


def details_visible_condition(user) -> Q | None:
    """The rows of incidents whose details `user` may see, as a filter; None when they
    may see every one. Mirrors permissions.can_view_incident_details for a whole list."""
    if permissions.can_view_restricted_incidents(user):
        return None
    return ~Q(category__in=RESTRICTED_CATEGORIES) | Q(recorded_by_id=user.pk)


def incidents_for(user):
    """Every incident, each annotated `details_visible` for this user. Lists show a
    restricted incident without details to everyone else: that it exists, its partner,
    severity and status."""
    condition = details_visible_condition(user)
    visible = (
        Value(True, output_field=BooleanField())
        if condition is None
        else Case(When(condition, then=Value(True)), default=Value(False))
    )
    return Incident.objects.select_related("partner", "agreement", "recorded_by").annotate(
        details_visible=visible
    )


def with_details_visible(queryset, **lookups):
    """Filter on a detail (category, text, agreement) only among rows whose details are
    visible: a filter must never tell which restricted incident is which."""
    return queryset.filter(details_visible=True, **lookups)


def serious_unresolved_incidents(partner):
    """The serious incidents of a partner not closed yet, oldest first: the banner on
    its pages and what approving an agreement with it must acknowledge."""
    return list(
        Incident.objects.filter(serious_unresolved_condition(), partner=partner).order_by(
            "recorded_at", "id"
        )
    )


def citable_incidents(partner):
    """What a termination of an agreement with the partner may cite as its cause: its
    incidents, except those closed as unfounded."""
    return (
        Incident.objects.filter(partner=partner)
        .exclude(outcome=IncidentOutcome.UNFOUNDED)
        .order_by("-recorded_at", "-id")
    )


def termination_citations(agreement) -> list[TerminationCitation]:
    """The incidents the agreement's termination named as its cause."""
    return list(TerminationCitation.objects.filter(agreement=agreement).select_related("incident"))
