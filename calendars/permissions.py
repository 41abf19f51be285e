"""Who may have a calendar feed."""

from django.utils.translation import gettext as _

from core.permissions import ALLOWED, Decision, denied


def can_have_calendar_feed(user) -> Decision:
    """The feed shows agreements, so it is for those who may see them. Asked again on
    every fetch: a user who loses the role, or is deactivated, gets nothing more."""
    if not user.is_active or not user.has_perm("agreements.view_agreement"):
        return denied(_("Calendar feeds are for staff and managers: they show agreements."))
    return ALLOWED
