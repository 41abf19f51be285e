from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from agreements import permissions as agreements_permissions
from agreements.models import Agreement
from calendars import ics, services
from calendars.models import CalendarFeed, hash_token
from calendars.permissions import can_have_calendar_feed
from core.permissions import rule_required

# The new token waits here between the POST that made it and the profile page that shows
# it once; the page takes it out of the session.
NEW_TOKEN_SESSION_KEY = "calendar_feed_new_token"


def _calendar_response(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Private dates: no shared cache keeps them, and search engines never list them.
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@require_safe
def feed(request, token):
    """The feed a calendar program subscribes to; the token in the address is the only
    key, so an unknown or revoked one looks like any missing page."""
    user = services.feed_owner(token)
    if user is None:
        raise Http404
    response = _calendar_response(ics.user_feed(user), "partnerships.ics", attachment=False)
    response["Content-Language"] = user.language or settings.LANGUAGE_CODE
    return response


@require_safe
@rule_required(agreements_permissions.can_view_agreements)
def agreement_calendar(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("partner", "responsible"), pk=pk)
    return _calendar_response(
        ics.agreement_calendar(agreement), f"{agreement.reference}.ics", attachment=True
    )


@require_POST
def feed_issue(request):
    """Turn the feed on, or replace its address."""
    had_feed = CalendarFeed.objects.filter(user=request.user).exists()
    token = services.feed_issue(user=request.user)
    request.session[NEW_TOKEN_SESSION_KEY] = token
    if had_feed:
        messages.success(
            request, _("Your calendar feed has a new address. The old one no longer works.")
        )
    else:
        messages.success(request, _("Your calendar feed is on."))
    return redirect("dashboard:profile")


@require_POST
def feed_revoke(request):
    if services.feed_revoke(user=request.user):
        messages.success(request, _("Your calendar feed is off. Its address no longer works."))
    request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    return redirect("dashboard:profile")


def profile_section(request) -> dict:
    """The calendar part of the profile page. The address is shown only right after it
    was made: afterwards nobody, not even the server, knows it."""
    token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    feed_on = CalendarFeed.objects.filter(user=request.user).first()
    # Not if the address was replaced or turned off since, e.g. in another window.
    shown = token and feed_on and feed_on.token_hash == hash_token(token)
    return {
        "can_have_feed": can_have_calendar_feed(request.user),
        "calendar_feed": feed_on,
        "new_feed_url": services.feed_url(token) if shown else "",
    }
