"""Who may do what with partners. Views, templates and services ask these functions."""

from django.utils.translation import gettext as _

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


def can_edit_partner(user, partner) -> Decision:
    if not user.has_perm("partnerships.change_partner"):
        return denied(_("Only staff and managers can edit partners."))
    if partner.is_archived:
        return denied(_("This partner is archived. Restore it before editing."))
    return ALLOWED


def can_archive_partner(user, partner) -> Decision:
    if not user.has_perm("partnerships.change_partner"):
        return denied(_("Only staff and managers can archive partners."))
    return ALLOWED


def can_assess_partner(user, partner) -> Decision:
    if not user.has_perm("partnerships.add_selectionassessment"):
        return denied(_("Only staff and managers can assess partners."))
    if partner.is_archived:
        return denied(_("This partner is archived. Restore it before assessing it."))
    return ALLOWED
