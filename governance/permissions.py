"""Who may do what with incidents. Each rule answers with a Decision and a reason."""

from django.utils.translation import gettext as _

from core.permissions import ALLOWED, Decision, denied


def can_view_incidents(user) -> Decision:
    """Seeing the register of incidents: that each exists, its partner, severity and
    status. The details of a restricted one need can_view_incident_details."""
    if not user.has_perm("governance.view_incident"):
        return denied(_("You do not have access to incidents."))
    return ALLOWED


def can_view_restricted_incidents(user) -> Decision:
    """Managers see the details of every incident. governance.selectors.incidents_for
    asks the same for a whole list."""
    if not user.has_perm("governance.view_restricted_incident"):
        return denied(
            _(
                "The details of suspected corruption and safeguarding incidents are for "
                "managers and the person who recorded them."
            )
        )
    return ALLOWED


def can_view_incident_details(user, incident) -> Decision:
    decision = can_view_incidents(user)
    if not decision:
        return decision
    if incident.is_restricted and user.pk != incident.recorded_by_id:
        return can_view_restricted_incidents(user)
    return ALLOWED


def can_record_incident(user, partner) -> Decision:
    """Anyone working with partners records what they learn, archived partner or not."""
    if not user.has_perm("governance.add_incident"):
        return denied(_("Only staff and managers can record incidents."))
    return ALLOWED


def can_edit_incident(user, incident) -> Decision:
    """The person who recorded it, or a manager, corrects the facts until it is closed."""
    if not user.has_perm("governance.change_incident"):
        return denied(_("Only staff and managers can edit incidents."))
    decision = can_view_incident_details(user, incident)
    if not decision:
        return decision
    if incident.is_closed:
        return denied(_("The incident is closed; its record is kept as it was closed."))
    if user.pk != incident.recorded_by_id and not user.has_perm("governance.close_incident"):
        return denied(_("Only the person who recorded the incident or a manager can edit it."))
    return ALLOWED


def can_review_incident(user, incident) -> Decision:
    if not user.has_perm("governance.review_incident"):
        return denied(_("Only managers take incidents under review."))
    return can_view_incident_details(user, incident)


def can_close_incident(user, incident) -> Decision:
    if not user.has_perm("governance.close_incident"):
        return denied(_("Only managers close incidents."))
    return can_view_incident_details(user, incident)
