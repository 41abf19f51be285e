"""Who may do what with agreements. Each rule answers with a Decision and a reason."""

from django.utils.translation import gettext as _

from agreements import approvals
from agreements.models import EDITABLE_STATUSES, Status
from core.permissions import ALLOWED, Decision, denied


def can_view_agreements(user) -> Decision:
    if not user.has_perm("agreements.view_agreement"):
        return denied(_("You do not have access to agreements."))
    return ALLOWED


def can_create_agreement(user) -> Decision:
    if not user.has_perm("agreements.add_agreement"):
        return denied(_("Only staff and managers can draft agreements."))
    return ALLOWED


def can_edit_agreement(user, agreement) -> Decision:
    if not user.has_perm("agreements.change_agreement"):
        return denied(_("Only staff and managers can edit agreements."))
    if agreement.status not in EDITABLE_STATUSES:
        return denied(
            _(
                "The terms are locked: the agreement is %(status)s. Only drafts and returned agreements can be edited."
            )
            % {"status": agreement.get_status_display().lower()}
        )
    return ALLOWED


def can_submit_agreement(user, agreement) -> Decision:
    if not user.has_perm("agreements.change_agreement"):
        return denied(_("Only staff and managers can submit agreements."))
    if user.pk not in (agreement.created_by_id, agreement.responsible_id):
        return denied(
            _("Only the author or the responsible staff member can submit the agreement.")
        )
    return ALLOWED


def can_approve_agreement(user, agreement) -> Decision:
    decision = can_approve_agreements(user)
    if not decision:
        return decision
    if user.pk == agreement.created_by_id:
        return denied(_("You drafted this agreement. Another manager must approve it (four-eyes)."))
    if user.pk == agreement.submitted_by_id:
        return denied(
            _("You submitted this agreement. Another manager must approve it (four-eyes).")
        )
    if agreement.shaped_by(user):
        return denied(
            _(
                "You edited the terms of this agreement. Another manager must approve it (four-eyes)."
            )
        )
    if approvals.declared_interest(agreement, user):
        return denied(
            _("You declared an interest in this partner. Another manager must approve it.")
        )
    if approvals.decided_on_this_version(agreement, user):
        return denied(
            _(
                "You have approved this agreement. Its contribution needs a second approval, "
                "by another manager."
            )
        )
    return ALLOWED


def can_return_agreement(user, agreement) -> Decision:
    if not user.has_perm("agreements.approve_agreement"):
        return denied(_("Only managers can return agreements."))
    return ALLOWED


def can_terminate_agreement(user, agreement) -> Decision:
    if not user.has_perm("agreements.terminate_agreement"):
        return denied(_("Only managers can terminate agreements."))
    return ALLOWED


def can_renew_agreement(user, agreement) -> Decision:
    if not user.has_perm("agreements.add_agreement"):
        return denied(_("Only staff and managers can renew agreements."))
    if agreement.status != Status.APPROVED:
        return denied(_("Only approved agreements (active or expired) can be renewed."))
    return ALLOWED


def can_follow_up_obligation(user, agreement) -> Decision:
    if not user.has_perm("agreements.change_obligation"):
        return denied(_("Only staff and managers can follow up obligations."))
    if agreement.status != Status.APPROVED:
        return denied(
            _("Obligations are followed up once the agreement is approved; this one is %(status)s.")
            % {"status": agreement.get_status_display().lower()}
        )
    return ALLOWED


def can_view_programme_periods(user) -> Decision:
    if not user.has_perm("agreements.view_programmeperiod"):
        return denied(_("You do not have access to programme periods and the budget."))
    return ALLOWED


def can_approve_agreements(user) -> Decision:
    """Whether the user takes approval decisions at all (the "awaiting my approval" list)."""
    if not user.has_perm("agreements.approve_agreement"):
        return denied(_("Only managers can approve agreements."))
    return ALLOWED


def can_manage_programme_periods(user) -> Decision:
    if not user.has_perm("agreements.change_programmeperiod"):
        return denied(_("Only managers can manage programme periods."))
    return ALLOWED
