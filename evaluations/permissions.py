"""Who may record, edit and reopen evaluations."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import ALLOWED, Decision, denied


def can_view_evaluations(user) -> Decision:
    if not user.has_perm("evaluations.view_evaluation"):
        return denied(_("You do not have access to evaluations."))
    return ALLOWED


def can_evaluate_period(user, period) -> Decision:
    if not user.has_perm("evaluations.add_evaluation"):
        return denied(_("Only staff and managers can record evaluations."))
    if not period.agreement.was_approved:
        return denied(_("Only approved agreements are evaluated."))
    if period.start_date > timezone.localdate():
        return denied(_("This period has not started yet."))
    return ALLOWED


def can_edit_evaluations(user) -> Decision:
    """The role part of can_edit_evaluation: enough to be shown a form's input again
    when the evaluation was completed after the form was opened."""
    if not user.has_perm("evaluations.change_evaluation"):
        return denied(_("Only staff and managers can edit evaluations."))
    return ALLOWED


def can_edit_evaluation(user, evaluation) -> Decision:
    decision = can_edit_evaluations(user)
    if not decision:
        return decision
    if evaluation.is_completed:
        return denied(_("A completed evaluation is locked. A manager can reopen it with a reason."))
    return ALLOWED


def can_reopen_evaluations(user) -> Decision:
    """The role part of can_reopen_evaluation."""
    if not user.has_perm("evaluations.reopen_evaluation"):
        return denied(_("Only managers can reopen a completed evaluation."))
    return ALLOWED


def can_reopen_evaluation(user, evaluation) -> Decision:
    decision = can_reopen_evaluations(user)
    if not decision:
        return decision
    if not evaluation.is_completed:
        return denied(_("Only a completed evaluation can be reopened."))
    return ALLOWED
