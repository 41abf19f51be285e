"""Who may do what with partners. Views, templates and services ask these functions."""

from django.utils.translation import gettext as _

from accounts import roles
from core.permissions import ALLOWED, Decision, denied


def can_view_partners(user) -> Decision:
    if not user.has_perm("partnerships.view_partner"):
        return denied(_("You do not have access to the partner register."))
    return ALLOWED


def can_add_partner(user) -> Decision:
    if not user.has_perm("partnerships.add_partner"):
        return denied(_("Only staff and managers can register partners."))
    return ALLOWED


def can_import_partners(user) -> Decision:
    """Registering many partners from a file is registering partners."""
    if not user.has_perm("partnerships.add_partner"):
        return denied(_("Only staff and managers can import partners."))
    return ALLOWED


def can_edit_partners(user) -> Decision:
    """The role part of can_edit_partner: enough to be shown a form's input again when
    the partner was archived after the form was opened."""
    if not user.has_perm("partnerships.change_partner"):
        return denied(_("Only staff and managers can edit partners."))
    return ALLOWED


def can_edit_partner(user, partner) -> Decision:
    decision = can_edit_partners(user)
    if not decision:
        return decision
    if partner.is_archived:
        return denied(_("This partner is archived. Restore it before editing."))
    return ALLOWED


def can_archive_partner(user, partner) -> Decision:
    if not user.has_perm("partnerships.change_partner"):
        return denied(_("Only staff and managers can archive partners."))
    return ALLOWED


def can_view_assessments(user) -> Decision:
    if not user.has_perm("partnerships.view_selectionassessment"):
        return denied(_("You do not have access to selection assessments."))
    return ALLOWED


def can_assess_partner(user, partner) -> Decision:
    if not user.has_perm("partnerships.add_selectionassessment"):
        return denied(_("Only staff and managers can assess partners."))
    if partner.is_archived:
        return denied(_("This partner is archived. Restore it before assessing it."))
    return ALLOWED


def can_view_dialogue(user) -> Decision:
    if not user.has_perm("partnerships.view_dialogueentry"):
        return denied(_("You do not have access to the dialogue log."))
    return ALLOWED


def can_view_follow_ups(user) -> Decision:
    if not user.has_perm("partnerships.view_dialoguefollowup"):
        return denied(_("You do not have access to the dialogue log."))
    return ALLOWED


def can_log_dialogues(user) -> Decision:
    """The role part of can_log_dialogue (see can_edit_partners)."""
    if not user.has_perm("partnerships.add_dialogueentry"):
        return denied(_("Only staff and managers can log conversations with partners."))
    return ALLOWED


def can_log_dialogue(user, partner) -> Decision:
    """Adding to a partner's dialogue log: the same people who edit the partner."""
    decision = can_log_dialogues(user)
    if not decision:
        return decision
    if partner.is_archived:
        return denied(_("This partner is archived. Restore it before logging a conversation."))
    return ALLOWED


def can_edit_dialogue(user) -> Decision:
    """The role part of can_edit_dialogue_entry (see can_edit_partners)."""
    if not user.has_perm("partnerships.change_dialogueentry"):
        return denied(_("Only staff and managers can edit the dialogue log."))
    return ALLOWED


def can_edit_dialogue_entry(user, entry) -> Decision:
    decision = can_edit_dialogue(user)
    if not decision:
        return decision
    if entry.partner.is_archived:
        return denied(_("This partner is archived. Restore it before editing its dialogue log."))
    return ALLOWED


def can_complete_follow_up(user, follow_up) -> Decision:
    """The owner sees to a follow-up; a manager may close it for them."""
    if not user.has_perm("partnerships.change_dialoguefollowup"):
        return denied(_("Only staff and managers can mark follow-ups done."))
    if follow_up.is_done:
        return denied(_("This follow-up is already done."))
    if follow_up.owner_id != user.pk and not roles.is_manager(user):
        return denied(_("Only the owner of the follow-up or a manager can mark it done."))
    return ALLOWED


def can_view_due_diligence(user) -> Decision:
    """Due diligence and risk through the API: for managers (the partner pages show them
    to staff as well; what leaves for other systems is kept to the managers' view)."""
    if not roles.is_manager(user):
        return denied(_("Only managers see partners' due diligence and risk through the API."))
    return ALLOWED
