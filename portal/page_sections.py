"""What the portal adds to staff pages of other apps (core/sections.py slots). Each
provider returns "" to a user who may not see it."""

from django.template.loader import render_to_string

from portal import permissions, selectors


def partner_portal(request, *, partner):
    """The partner page's "Partner portal" card: its users, whom to invite, declarations."""
    user = request.user
    if not permissions.can_view_portal_users(user):
        return ""
    portal_users = selectors.portal_users_of(partner)
    with_access = {pu.contact_id for pu in portal_users if pu.revoked_at is None}
    invitable = [
        contact
        for contact in partner.contacts.all()
        if contact.email and contact.pk not in with_access
    ]
    return render_to_string(
        "portal/staff/_partner_portal.html",
        {
            "partner": partner,
            "portal_users": portal_users,
            "invitable_contacts": invitable,
            "can_invite": permissions.can_invite_partner_users(user, partner),
            "can_manage": permissions.can_manage_portal_users(user),
            "declarations": selectors.declarations_of(partner)
            if permissions.can_view_declarations(user)
            else [],
        },
        request=request,
    )
