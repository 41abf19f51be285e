"""Turning a calendar feed on, giving it a new address, turning it off, and finding
whose feed an address opens."""

import datetime

from django.urls import reverse
from django.utils import timezone

from calendars.models import CalendarFeed, hash_token, new_token
from calendars.permissions import can_have_calendar_feed
from core.links import absolute_url
from core.permissions import require

# last_fetched_at is written at most this often, so polling calendars cost no writes.
FETCH_RECORDED_EVERY = datetime.timedelta(hours=1)


def feed_issue(*, user) -> str:
    """Turn the user's feed on, or give it a new address (the old one stops working at
    once). Returns the token, which is not stored and so cannot be shown again."""
    require(can_have_calendar_feed(user))
    token = new_token()
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "token_hash": hash_token(token),
            "created_at": timezone.now(),
            "last_fetched_at": None,
        },
    )
    return token


def feed_revoke(*, user) -> bool:
    """Turn the user's feed off; its address then answers 404. False if it was off."""
    deleted, _details = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def feed_url(token: str) -> str:
    return absolute_url(reverse("calendars:feed", args=[token]))


def feed_owner(token: str):
    """The user whose feed the token opens, or None: unknown or revoked token, or a user
    who may no longer have a feed. Records the fetch (at most hourly)."""
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    if feed is None or not can_have_calendar_feed(feed.user):
        return None
    now = timezone.now()
    if feed.last_fetched_at is None or feed.last_fetched_at < now - FETCH_RECORDED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now)
    return feed.user
