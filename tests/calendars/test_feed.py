"""The feed a calendar program fetches: no login, the token is the key, and the events
are the user's agreement dates with stable UIDs."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.formats import date_format
from icalendar import Calendar

from agreements.models import Agreement
from calendars import services
from calendars.models import CalendarFeed
from evaluations.models import EvaluationPeriod
from tests.calendars.conftest import feed_path, host, is_all_day, parse
from tests.factories import AgreementFactory, EvaluationFactory


@pytest.fixture
def agreement(staff):
    return AgreementFactory(approved=True, created_by=staff, title="Läsfrämjande")


def test_the_feed_opens_without_logging_in(client, staff_feed, agreement, settings):
    response = client.get(staff_feed)
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") and "private" in response["Cache-Control"]
    )
    calendar = Calendar.from_ical(response.content)
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT6H"
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT6H"
    events = parse(response)
    end = events[f"agreement-{agreement.pk}-end@{host(settings)}"]
    assert is_all_day(end, agreement.end_date)
    summary = str(end["SUMMARY"])
    assert agreement.reference in summary and "Läsfrämjande" in summary
    assert agreement.partner.name in summary
    url = f"{settings.SITE_URL}/agreements/{agreement.pk}/"
    assert str(end["URL"]) == url and url in str(end["DESCRIPTION"])


def test_the_feed_has_the_reminder_days_and_open_evaluations(client, staff_feed, agreement):
    events = parse(client.get(staff_feed))
    by_uid = {uid.split("@")[0]: event for uid, event in events.items()}
    for distance in (90, 30, 7):
        reminder = by_uid[f"agreement-{agreement.pk}-ending-reminder-{distance}"]
        day = agreement.end_date - datetime.timedelta(days=distance)
        assert is_all_day(reminder, day)
        assert f"ends in {distance} days" in str(reminder["SUMMARY"])
    periods = list(agreement.evaluation_periods.order_by("number"))
    assert len(periods) >= 2
    for period in periods:
        due = by_uid[f"agreement-{agreement.pk}-evaluation-{period.number}"]
        assert is_all_day(due, period.end_date)
        assert str(due["URL"]).endswith(f"/agreements/{agreement.pk}/#evaluations")
    # Once evaluated, a period's due date leaves the calendar.
    EvaluationFactory(period=periods[0], completed=True)
    by_uid = {uid.split("@")[0] for uid in parse(client.get(staff_feed))}
    assert f"agreement-{agreement.pk}-evaluation-1" not in by_uid
    assert f"agreement-{agreement.pk}-evaluation-2" in by_uid
    assert len(by_uid) == 1 + 3 + len(periods) - 1


def test_uids_stay_the_same_across_fetches_and_when_the_end_date_moves(
    client, staff_feed, agreement
):
    first = parse(client.get(staff_feed))
    second = parse(client.get(staff_feed))
    assert set(first) == set(second)
    new_end = agreement.end_date - datetime.timedelta(days=40)
    Agreement.objects.filter(pk=agreement.pk).update(end_date=new_end)
    third = parse(client.get(staff_feed))
    assert set(third) == set(first)
    end_uid = next(uid for uid in third if uid.startswith(f"agreement-{agreement.pk}-end@"))
    assert is_all_day(third[end_uid], new_end)
    assert is_all_day(first[end_uid], agreement.end_date)


def test_staff_see_their_agreements_and_managers_see_all(
    client, staff, other_staff, staff_feed, manager_feed
):
    mine = AgreementFactory(approved=True, created_by=staff)
    theirs = AgreementFactory(approved=True, created_by=other_staff)

    def agreements_in(path):
        return {uid.split("-")[1] for uid in parse(client.get(path))}

    assert agreements_in(staff_feed) == {str(mine.pk)}
    assert agreements_in(manager_feed) == {str(mine.pk), str(theirs.pk)}


def test_only_agreements_in_effect_have_end_dates(client, staff, staff_feed):
    AgreementFactory(created_by=staff)  # draft
    AgreementFactory(pending=True, created_by=staff)
    long_over = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    EvaluationPeriod.objects.filter(agreement=long_over).delete()
    terminated = AgreementFactory(terminated=True, created_by=staff)
    uids = {uid.split("@")[0] for uid in parse(client.get(staff_feed))}
    # The terminated agreement has no end or reminders left, but its last period still
    # needs the final evaluation.
    assert uids == {f"agreement-{terminated.pk}-evaluation-1"}


def test_the_feed_is_in_the_users_language(client, staff, staff_feed, agreement):
    staff.language = "sv"
    staff.save()
    end = next(
        event
        for uid, event in parse(client.get(staff_feed, HTTP_ACCEPT_LANGUAGE="en")).items()
        if uid.startswith(f"agreement-{agreement.pk}-end@")
    )
    with translation.override("sv"):
        swedish = date_format(agreement.end_date, "DATE_FORMAT")
    assert client.get(staff_feed)["Content-Language"] == "sv"
    assert swedish != date_format(agreement.end_date, "DATE_FORMAT")
    assert swedish in str(end["DESCRIPTION"])


def test_an_unknown_token_is_not_found(client, db, staff_feed):
    assert client.get(feed_path("x" * 43)).status_code == 404


def test_a_turned_off_feed_is_not_found(client, staff, staff_feed):
    services.feed_revoke(user=staff)
    assert client.get(staff_feed).status_code == 404


def test_a_new_address_stops_the_old_one(client, staff, staff_feed):
    new = feed_path(services.feed_issue(user=staff))
    assert new != staff_feed
    assert client.get(staff_feed).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=staff).count() == 1


def test_a_user_who_lost_the_role_or_was_deactivated_gets_nothing(client, staff, staff_feed):
    staff.groups.clear()
    assert client.get(staff_feed).status_code == 404
    staff.groups.add(Group.objects.get(name="Staff"))
    staff.is_active = False
    staff.save()
    assert client.get(staff_feed).status_code == 404


def test_only_the_hash_of_the_token_is_stored(staff):
    token = services.feed_issue(user=staff)
    feed = CalendarFeed.objects.get(user=staff)
    assert token not in feed.token_hash and len(token) >= 43


def test_fetches_are_recorded_at_most_hourly(client, staff, staff_feed):
    client.get(staff_feed)
    first = CalendarFeed.objects.get(user=staff).last_fetched_at
    assert first is not None
    client.get(staff_feed)
    assert CalendarFeed.objects.get(user=staff).last_fetched_at == first
    CalendarFeed.objects.update(last_fetched_at=first - datetime.timedelta(hours=2))
    client.get(staff_feed)
    assert CalendarFeed.objects.get(user=staff).last_fetched_at > first


def test_the_feed_answers_get_only(client, staff_feed):
    assert client.post(staff_feed).status_code == 405


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["staff", "manager"])
def test_query_count_does_not_grow_with_the_agreements(
    client, staff, persona, staff_feed, manager_feed, django_assert_max_num_queries
):
    path = staff_feed if persona == "staff" else manager_feed
    AgreementFactory(approved=True, created_by=staff)
    client.get(path)  # records the fetch; the next ones within the hour write nothing
    few = _queries(client, path)
    for _number in range(8):
        AgreementFactory(approved=True, created_by=staff)
    assert _queries(client, path) == few
    with django_assert_max_num_queries(6):
        client.get(path)
    periods = EvaluationPeriod.objects.count()
    assert len(parse(client.get(path))) == 9 * (1 + 3) + periods


def test_the_feed_url_is_built_from_the_site_address(settings, staff):
    settings.SITE_URL = "https://partners.example.org/"
    token = services.feed_issue(user=staff)
    assert services.feed_url(token) == f"https://partners.example.org/calendar/feed/{token}.ics"
