from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.views import api_tokens_section
from calendars.views import profile_section
from dashboard.panels import dashboard_context
from webhooks.permissions import can_manage_webhooks


def dashboard(request):
    """The first page after login: what needs attention, for the user's role."""
    return render(request, "dashboard/dashboard.html", dashboard_context(request))


@require_safe
def profile(request):
    """The user's own page: who they are, their calendar feed and their API tokens."""
    return render(
        request,
        "dashboard/profile.html",
        {
            **profile_section(request),
            **api_tokens_section(request),
            "can_manage_webhooks": can_manage_webhooks(request.user),
        },
    )
