from django.shortcuts import render

from core.dashboard import dashboard_context


def dashboard(request):
    """The first page after login: what needs attention, for the user's role."""
    return render(request, "core/dashboard.html", dashboard_context(request))
