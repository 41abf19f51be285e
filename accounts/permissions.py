"""Who may manage other people's access. Views and templates ask these functions."""

from django.utils.translation import gettext as _

from accounts import roles, two_factor
from core.permissions import ALLOWED, Decision, denied


def can_unlock_logins(user) -> Decision:
    if not roles.is_manager(user):
        return denied(_("Only managers can unlock logins."))
    return ALLOWED


def can_remove_two_factor(user) -> Decision:
    if two_factor.required_for(user):
        return denied(_("Two-factor sign-in is required for your role; it cannot be turned off."))
    return ALLOWED
