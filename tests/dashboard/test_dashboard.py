import datetime

import pytest
from django.utils import timezone

from dashboard import panels as dashboard_panels
from tests.conftest import log_in
from tests.factories import AgreementFactory, UserFactory

TODAY = timezone.localdate


def days(n):
    return TODAY() + datetime.timedelta(days=n)


def panels(response):
    return {panel.title: panel for panel in response.context["panels"]}


def test_staff_sees_their_own_work(client, staff, other_staff):
    AgreementFactory(
        approved=True,
        created_by=staff,
        title="Mine ending",
        start_date=days(-300),
        end_date=days(40),
    )
    AgreementFactory(
        approved=True,
        created_by=other_staff,
        title="Theirs ending",
        start_date=days(-300),
        end_date=days(40),
    )
    AgreementFactory(created_by=staff, title="My draft")
    AgreementFactory(created_by=staff, status="returned", title="Sent back")
    client.force_login(staff)
    response = client.get("/")
    shown = panels(response)
    assert [a.title for a in shown["My agreements ending within 90 days"].items] == ["Mine ending"]
    assert [a.title for a in shown["My drafts"].items] == ["My draft"]
    assert [a.title for a in shown["Returned to me"].items] == ["Sent back"]
    assert "Awaiting my approval" not in shown


def test_manager_sees_approvals_overdue_ending_and_terminated(client, manager, staff):
    AgreementFactory(pending=True, created_by=staff, title="Needs a decision")
    AgreementFactory(pending=True, created_by=manager, title="My own")
    AgreementFactory(
        approved=True, title="Late evaluation", start_date=days(-420), end_date=days(500)
    )
    AgreementFactory(terminated=True, title="Stopped")
    client.force_login(manager)
    shown = panels(client.get("/"))
    assert [a.title for a in shown["Awaiting my approval"].items] == ["Needs a decision"]
    assert [a.title for a in shown["Overdue evaluations"].items] == ["Late evaluation"]
    assert [a.title for a in shown["Terminated this year"].items] == ["Stopped"]


def test_every_count_equals_the_list_it_links_to(client, manager, staff):
    for number in range(7):
        AgreementFactory(approved=True, start_date=days(-400 - number), end_date=days(30 + number))
    AgreementFactory(pending=True, created_by=staff)
    for user in (manager, staff):
        client.force_login(user)
        for panel in client.get("/").context["panels"]:
            listing = client.get(panel.url)
            assert listing.status_code == 200
            assert listing.context["page"].paginator.count == panel.count, panel.title


def test_a_count_above_the_limit_says_more_and_the_list_gives_the_number(
    client, manager, monkeypatch
):
    monkeypatch.setattr(dashboard_panels, "COUNT_LIMIT", 2)
    monkeypatch.setattr(dashboard_panels, "PANEL_ITEMS", 2)
    for number in range(3):
        AgreementFactory(approved=True, start_date=days(-400), end_date=days(30 + number))
    client.force_login(manager)
    response = client.get("/")
    ending = next(p for p in response.context["panels"] if p.title.startswith("Ending within"))
    assert (ending.more_than_counted, ending.count_label) == (True, "2+")
    page = response.content.decode()
    assert '<span class="count">2+</span>' in page
    assert "All 2+" in page
    assert client.get(ending.url).context["page"].paginator.count == 3


def test_timeline_draws_active_and_upcoming_agreements_with_links(client, manager):
    active = AgreementFactory(approved=True, start_date=days(-100), end_date=days(400))
    upcoming = AgreementFactory(approved=True, start_date=days(60), end_date=days(500))
    AgreementFactory(approved=True, start_date=days(-800), end_date=days(-10))  # expired
    AgreementFactory(pending=True)
    client.force_login(manager)
    response = client.get("/")
    timeline = response.context["timeline"]
    assert [bar.agreement for bar in timeline.bars] == [active, upcoming]
    assert [bar.state for bar in timeline.bars] == ["active", "upcoming"]
    assert timeline.bars[0].ticks  # its evaluation due date within the window
    html = response.content.decode()
    assert f'<a href="/agreements/{active.pk}/">' in html
    assert 'class="today"' in html


@pytest.mark.parametrize("count", [2, 30])
def test_dashboard_query_count_is_constant(
    client, manager, staff, django_assert_max_num_queries, count
):
    for number in range(count):
        AgreementFactory(approved=True, start_date=days(-400 - number), end_date=days(30 + number))
        AgreementFactory(pending=True, created_by=staff)
    log_in(client, manager)
    # Session and user, a count and the first rows for each of the seven panels, the
    # timeline and its evaluation dates, recent partners; two for the overdue follow-ups;
    # one for the locked-out logins a manager can unlock; a count and the first rows of
    # the partner reports awaiting review.
    with django_assert_max_num_queries(29):
        assert client.get("/").status_code == 200


def test_a_user_without_agreements_sees_friendly_empty_states(client, db):
    user = UserFactory(staff=True)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "You have no drafts." in html
    assert "No active or upcoming agreements in the next 24 months." in html


def test_svg_coordinates_stay_numbers_in_swedish(client, manager):
    import re

    AgreementFactory(approved=True, start_date=days(-100), end_date=days(400))
    log_in(client, manager)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert 'class="timeline"' in html
    coordinates = re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', html)
    assert coordinates and all("," not in value for value in coordinates)


def test_a_user_without_a_role_sees_only_that_they_have_no_role(client, no_role_user, staff):
    """The panels list agreements and partners the lists would refuse this user."""
    AgreementFactory(title="Somebody's draft", created_by=staff)
    AgreementFactory(approved=True, title="Ending soon", start_date=days(-300), end_date=days(40))
    log_in(client, no_role_user)
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "You have no role yet" in page
    assert "Somebody&#x27;s draft" not in page and "Ending soon" not in page
    assert "Recently changed partners" not in page
    assert "panels" not in response.context or not response.context["panels"]
    assert client.get("/agreements/").status_code == 403


def test_a_panel_filter_value_that_cannot_apply_narrows_to_nothing(rf, staff, other_staff):
    """A "responsible" who is not a valid choice (no role) must not drop the filter and
    widen the panel to everyone's agreements."""
    from agreements.filters import AgreementFilter
    from agreements.selectors import agreement_list_queryset

    AgreementFactory(title="Theirs", created_by=other_staff)
    request = rf.get("/")
    request.user = staff
    nobody = UserFactory(username="nobody")
    filterset = AgreementFilter(
        {"responsible": nobody.pk, "state": "draft"},
        queryset=agreement_list_queryset(),
        request=request,
    )
    assert not filterset.is_valid()
    assert list(filterset.qs) == []


def test_awaiting_my_approval_is_never_a_wider_list_for_staff(staff_client, other_staff):
    AgreementFactory(pending=True, title="Pending for someone", created_by=other_staff)
    response = staff_client.get("/agreements/", {"awaiting_my_approval": "on"})
    assert "Pending for someone" not in response.content.decode()


def test_the_dashboard_counts_for_the_day_it_is_given(rf, staff):
    """dashboard_context(today=…) counts the panels for that day, not the clock's."""
    from dashboard.panels import dashboard_context

    AgreementFactory(
        approved=True,
        responsible=staff,
        title="Ends in a year",
        start_date=days(-30),
        end_date=days(365),
    )
    request = rf.get("/")
    request.user = staff
    later = dashboard_context(request, today=days(300))
    ending = next(panel for panel in later["panels"] if "ending within" in str(panel.title))
    assert [a.title for a in ending.items] == ["Ends in a year"]
    now = dashboard_context(request)
    ending = next(panel for panel in now["panels"] if "ending within" in str(panel.title))
    assert ending.items == []
