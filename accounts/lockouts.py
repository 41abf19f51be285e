"""Login throttling, on top of django-axes: which user names are locked out, unlocking
them, and the page a refused login gets. The limits are settings (AXES_FAILURE_LIMIT,
AXES_COOLOFF_TIME); axes counts the failures."""

import logging
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lockout:
    username: str
    ip_address: str
    failures: int
    last_attempt: timezone.datetime
    locked_until: timezone.datetime


def current_lockouts() -> list[Lockout]:
    """User names (with the address they were tried from) refused right now."""
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - cool_off,
    ).order_by("username", "-attempt_time")
    return [
        Lockout(
            username=attempt.username or "",
            ip_address=attempt.ip_address or "",
            failures=attempt.failures_since_start,
            last_attempt=attempt.attempt_time,
            locked_until=attempt.attempt_time + cool_off,
        )
        for attempt in attempts
    ]


def unlock(*, username: str, unlocked_by) -> int:
    """Forget the failed attempts for a user name, from every address; return how many
    records were removed (0 when it was not locked out)."""
    removed = AxesProxyHandler.reset_attempts(username=username)
    logger.warning("login for %r unlocked by %s (%s records)", username, unlocked_by, removed)
    return removed


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, saying why the login was refused (axes calls this)."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    username = get_client_username(request, credentials) or ""
    form = AuthenticationForm(request, initial={"username": username})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "next": request.POST.get("next", ""),
            "locked_out": True,
            "lockout_minutes": minutes,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
