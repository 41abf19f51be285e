"""Who may register webhook endpoints and see their deliveries."""

from django.utils.translation import gettext as _

from core.permissions import ALLOWED, Decision, denied


def can_manage_webhooks(user) -> Decision:
    """Webhooks send agreements' and evaluations' news out of the organisation: a
    manager's decision."""
    if not user.has_perm("webhooks.change_webhookendpoint"):
        return denied(_("Only managers can manage webhooks."))
    return ALLOWED
