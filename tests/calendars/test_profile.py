"""The profile page where a user turns the feed on, gets a new address or turns it off."""

import re

import pytest
from django.test import Client

from calendars import services
from calendars.models import CalendarFeed
from tests.conftest import log_in

FEED_URL = re.compile(r'id="feed-url"[^>]*>(http[^<]+/calendar/feed/[-\w]+\.ics)</textarea>')


def test_the_header_links_to_the_profile(staff_client):
    page = staff_client.get("/").content.decode()
    assert 'href="/accounts/profile/"' in page


def test_a_staff_member_can_turn_the_feed_on(staff_client, staff):
    page = staff_client.get("/accounts/profile/").content.decode()
    assert "Turn the calendar feed on" in page and "Sara Staff" in page
    response = staff_client.post("/calendar/feed/on/")
    assert response.status_code == 302 and response.url == "/accounts/profile/"
    page = staff_client.get("/accounts/profile/").content.decode()
    url = FEED_URL.search(page).group(1)
    assert "It is shown only this once" in page
    # The address works without a session, and the page never shows it again.
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert Client().get("/" + path).status_code == 200
    page = staff_client.get("/accounts/profile/").content.decode()
    assert not FEED_URL.search(page)
    assert "Make a new address" in page and "Turn the feed off" in page


def test_making_a_new_address_shows_the_new_one(staff_client, staff):
    old = services.feed_url(services.feed_issue(user=staff))
    staff_client.post("/calendar/feed/on/")
    page = staff_client.get("/accounts/profile/").content.decode()
    new = FEED_URL.search(page).group(1)
    assert new != old
    assert "The old one no longer works" in page


def test_an_address_replaced_elsewhere_is_not_shown(staff_client, staff):
    staff_client.post("/calendar/feed/on/")
    services.feed_issue(user=staff)  # e.g. in another browser, before this page loads
    assert not FEED_URL.search(staff_client.get("/accounts/profile/").content.decode())


def test_turning_the_feed_off(staff_client, staff):
    token = services.feed_issue(user=staff)
    response = staff_client.post("/calendar/feed/off/", follow=True)
    assert "Your calendar feed is off" in response.content.decode()
    assert not CalendarFeed.objects.filter(user=staff).exists()
    assert Client().get(f"/calendar/feed/{token}.ics").status_code == 404


@pytest.mark.parametrize("path", ["/calendar/feed/on/", "/calendar/feed/off/"])
def test_the_actions_are_post_only(staff_client, staff, path):
    services.feed_issue(user=staff)
    before = CalendarFeed.objects.get(user=staff).token_hash
    assert staff_client.get(path).status_code == 405
    assert CalendarFeed.objects.get(user=staff).token_hash == before


@pytest.mark.parametrize("path", ["/calendar/feed/on/", "/calendar/feed/off/"])
def test_the_actions_need_the_csrf_token(db, staff, path):
    services.feed_issue(user=staff)
    before = CalendarFeed.objects.get(user=staff).token_hash
    client = log_in(Client(enforce_csrf_checks=True), staff)
    assert client.post(path).status_code == 403
    assert CalendarFeed.objects.get(user=staff).token_hash == before


def test_a_user_without_a_role_cannot_have_a_feed(client, no_role_user):
    log_in(client, no_role_user)
    page = client.get("/accounts/profile/").content.decode()
    assert "Calendar feeds are for staff and managers" in page
    assert "/calendar/feed/on/" not in page
    assert client.post("/calendar/feed/on/").status_code == 403
    assert not CalendarFeed.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    for path in ("/accounts/profile/", "/calendar/feed/on/", "/calendar/feed/off/"):
        response = client.post(path) if path.startswith("/calendar") else client.get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
