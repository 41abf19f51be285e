from functools import wraps

from portal.scoping import PartnerScope


def portal_view(view):
    """A page of the partner portal: only an active partner user gets past this, and the
    view gets their PartnerScope to read every row through."""

    @wraps(view)
    def with_scope(request, *args, **kwargs):
        scope = PartnerScope.for_user(request.user)
        return view(request, scope, *args, **kwargs)

    return with_scope
