from django.conf import settings

from portal.middleware import is_portal_session
from portal.scoping import partner_user_of


def portal(request):
    """For a partner user: the portal's base template (for the error pages too) and
    whose portal it is."""
    if not is_portal_session(request):
        return {}
    partner_user = partner_user_of(request.user)
    return {
        "base_template": "portal/base.html",
        "portal_partner": partner_user.partner if partner_user else None,
        "organisation_name": settings.ORGANISATION_NAME,
    }
