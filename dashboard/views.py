from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts import permissions as account_permissions
from accounts import two_factor
from accounts.views import api_tokens_section
from calendars.views import profile_section
from dashboard.panels import dashboard_context
from webhooks.permissions import can_manage_webhooks


def dashboard(request):
    """The first page after login: what needs attention, for the user's role."""
    return render(request, "dashboard/dashboard.html", dashboard_context(request))


@require_safe
def profile(request):
    """The user's own page: who they are, two-factor sign-in, their calendar feed and
    their API tokens."""
    user = request.user
    context = {
        **profile_section(request),
        **api_tokens_section(request),
        "can_manage_webhooks": can_manage_webhooks(user),
        "two_factor_enrolled": two_factor.is_enrolled(user),
        "recovery_codes_left": two_factor.recovery_codes_left(user),
        "can_remove_two_factor": account_permissions.can_remove_two_factor(user),
        "signed_in_with_sso": request.session.get(two_factor.SIGNED_IN_WITH_SSO, False),
    }
    return render(request, "dashboard/profile.html", context)
