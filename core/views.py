from django.shortcuts import render

from partnerships import selectors as partner_selectors


def dashboard(request):
    """The first page after login. Grows with agreements and evaluations."""
    context = {
        "recent_partners": partner_selectors.recently_changed_partners(limit=8),
    }
    return render(request, "core/dashboard.html", context)
