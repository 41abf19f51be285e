"""Who may do what with agreements. Each rule answers with a Decision and a reason."""

from django.utils.translation import gettext as _

from agreements import approvals
from agreements.models import EDITABLE_STATUSES, Phase, Status
from core.permissions import ALLOWED, Decision, denied


def can_view_agreements(user) -> Decision:
    if not user.has_perm("agreements.view_agreement"):
        return denied(_("You do not have access to agreements."))
    return ALLOWED


def can_create_agreement(user) -> Decision:
    if not user.has_perm("agreements.add_agreement"):
        return denied(_("Only staff and managers can draft agreements."))
    return ALLOWED


def can_edit_agreements(user) -> Decision:
    """The role part of can_edit_agreement: enough to be shown a form's input again
    when the agreement was submitted after the form was opened."""
    if not user.has_perm("agreements.change_agreement"):
        return denied(_("Only staff and managers can edit agreements."))
    return ALLOWED


def can_edit_agreement(user, agreement) -> Decision:
    decision = can_edit_agreements(user)
    if not decision:
        return decision
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
    return _approval_page_rules(user, agreement)


def _approval_page_rules(user, record) -> Decision:
    """What the manager's own answers on the approval page rule out, for an agreement
    or an amendment (agreements.approvals)."""
    if approvals.declared_interest(record, user):
        return denied(
            _("You declared an interest in this partner. Another manager must approve it.")
        )
    if approvals.decided_on_this_version(record, user):
        return denied(
            _(
                "You have approved this already. Its contribution needs a second approval, "
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


def can_attach_signed_agreement(user, agreement) -> Decision:
    """The signed copy is filed once the agreement is approved: signing follows approval.
    It may be replaced (the earlier copy stays in the history); the terms stay locked."""
    if not user.has_perm("agreements.change_agreement"):
        return denied(_("Only staff and managers can file the signed agreement."))
    if not agreement.was_approved:
        return denied(
            _(
                "The signed agreement is filed once the agreement is approved; this one is %(status)s."
            )
            % {"status": agreement.get_status_display().lower()}
        )
    return ALLOWED


def can_follow_up_obligations(user) -> Decision:
    """The role part of can_follow_up_obligation (see can_edit_agreements)."""
    if not user.has_perm("agreements.change_obligation"):
        return denied(_("Only staff and managers can follow up obligations."))
    return ALLOWED


def can_follow_up_obligation(user, agreement) -> Decision:
    decision = can_follow_up_obligations(user)
    if not decision:
        return decision
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


def can_amend_agreement(user, agreement) -> Decision:
    """Whether the user may start an amendment of the agreement now."""
    if not user.has_perm("agreements.change_agreement"):
        return denied(_("Only staff and managers can amend agreements."))
    if agreement.status != Status.APPROVED:
        return denied(
            _("Only approved agreements can be amended; this one is %(status)s.")
            % {"status": agreement.get_status_display().lower()}
        )
    if agreement.phase() == Phase.EXPIRED:
        return denied(_("This agreement has ended; an ended agreement is not amended."))
    # Read through .all(), so that an agreement page that prefetched them asks no more.
    open_amendment = next((a for a in agreement.amendments.all() if a.is_open), None)
    if open_amendment:
        return denied(
            _("%(amendment)s is in progress. Finish or withdraw it before starting another.")
            % {"amendment": open_amendment.label()}
        )
    return ALLOWED


def can_edit_amendment(user, amendment) -> Decision:
    if not user.has_perm("agreements.change_agreement"):
        return denied(_("Only staff and managers can edit amendments."))
    if not amendment.is_editable:
        return denied(
            _("The amendment is %(status)s. Only drafts and returned amendments can be edited.")
            % {"status": amendment.get_status_display().lower()}
        )
    return ALLOWED


def can_submit_amendment(user, amendment) -> Decision:
    if not user.has_perm("agreements.change_agreement"):
        return denied(_("Only staff and managers can submit amendments."))
    if user.pk not in (amendment.created_by_id, amendment.agreement.responsible_id):
        return denied(
            _(
                "Only the author of the amendment or the agreement's responsible staff member "
                "can submit it."
            )
        )
    return ALLOWED


def can_approve_amendment(user, amendment) -> Decision:
    decision = can_approve_agreements(user)
    if not decision:
        return decision
    if user.pk == amendment.created_by_id:
        return denied(_("You drafted this amendment. Another manager must approve it (four-eyes)."))
    if user.pk == amendment.submitted_by_id:
        return denied(
            _("You submitted this amendment. Another manager must approve it (four-eyes).")
        )
    if amendment.shaped_by(user):
        return denied(_("You edited this amendment. Another manager must approve it (four-eyes)."))
    return _approval_page_rules(user, amendment)


def can_withdraw_amendment(user, amendment) -> Decision:
    if not user.has_perm("agreements.change_agreement"):
        return denied(_("Only staff and managers can withdraw amendments."))
    is_manager = user.has_perm("agreements.approve_agreement")
    if not is_manager and user.pk not in (
        amendment.created_by_id,
        amendment.agreement.responsible_id,
    ):
        return denied(
            _(
                "Only the author, the agreement's responsible staff member or a manager can "
                "withdraw the amendment."
            )
        )
    return ALLOWED
