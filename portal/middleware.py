"""Partner users reach the partner portal and nothing of the staff pages."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import roles

# Outside the portal a partner user may log in (which sends them on to the portal), log
# out, switch the language and take the two-factor steps (accounts.two_factor).
ALLOWED_OUTSIDE_THE_PORTAL = {
    "login",
    "logout",
    "set_language",
    "two_factor_verify",
    "two_factor_setup",
    "two_factor_recovery_codes",
    "two_factor_remove",
}
# Where a staff user would land (after login, after two-factor steps): the portal's home.
SENT_TO_THE_PORTAL = {"dashboard:dashboard", "dashboard:profile"}

# Set in the session when a partner user logs in: staff requests then cost no query to
# tell the two apart (a group lookup on every download would).
PORTAL_SESSION_KEY = "partner_portal"


@receiver(user_logged_in)
def remember_partner_user(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and roles.is_partner_user(user):
        request.session[PORTAL_SESSION_KEY] = True


def is_portal_session(request) -> bool:
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return bool(
        user is not None
        and user.is_authenticated
        and session is not None
        and session.get(PORTAL_SESSION_KEY)
    )


class PartnerPortalMiddleware:
    """A partner user who opens any other page is refused with the portal's own 403 page;
    the staff dashboard (where login lands) sends them to the portal. Staff pages check
    permissions too, which partner users do not hold: this is the second lock, and it
    also covers pages open to every signed-in user (the profile, the password form)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_portal_session(request):
            return None
        match = request.resolver_match
        if match.namespace == "portal" or match.view_name in ALLOWED_OUTSIDE_THE_PORTAL:
            return None
        if match.view_name in SENT_TO_THE_PORTAL:
            return redirect("portal:home")
        return render(
            request,
            "403.html",
            {"exception": _("This page is for our staff. Your pages are in the partner portal.")},
            status=403,
        )
