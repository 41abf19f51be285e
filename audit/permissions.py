"""Who may read the audit trail."""

from django.utils.translation import gettext as _

from accounts import roles
from core.permissions import ALLOWED, Decision, denied


def can_view_audit(user) -> Decision:
    """Managers: the trail names restricted incidents and every manager's declarations."""
    if not roles.is_manager(user):
        return denied(_("Only managers can read the audit trail."))
    return ALLOWED
