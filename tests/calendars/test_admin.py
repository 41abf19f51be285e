from calendars import services
from calendars.models import CalendarFeed
from tests.calendars.conftest import feed_path
from tests.factories import UserFactory


def test_an_administrator_can_see_and_turn_off_a_feed_but_not_make_one(client, staff):
    token = services.feed_issue(user=staff)
    feed = CalendarFeed.objects.get(user=staff)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    listing = client.get("/admin/calendars/calendarfeed/").content.decode()
    assert "Sara Staff" in listing and feed.token_hash not in listing
    assert client.get("/admin/calendars/calendarfeed/add/").status_code == 403
    client.post(f"/admin/calendars/calendarfeed/{feed.pk}/delete/", {"post": "yes"})
    assert not CalendarFeed.objects.exists()
    client.logout()
    assert client.get(feed_path(token)).status_code == 404
