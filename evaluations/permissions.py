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


def can_edit_evaluation(user, evaluation) -> Decision:
    if not user.has_perm("evaluations.change_evaluation"):
        return denied(_("Only staff and managers can edit evaluations."))
    if evaluation.is_completed:
        return denied(_("A completed evaluation is locked. A manager can reopen it with a reason."))
    return ALLOWED


def can_reopen_evaluation(user, evaluation) -> Decision:
    if not user.has_perm("evaluations.reopen_evaluation"):
        return denied(_("Only managers can reopen a completed evaluation."))
    if not evaluation.is_completed:
        return denied(_("Only a completed evaluation can be reopened."))
    return ALLOWED
