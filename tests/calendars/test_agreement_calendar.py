"""One agreement's dates as an .ics download from its page."""

from calendars import services
from tests.calendars.conftest import feed_path, parse
from tests.factories import AgreementFactory


def test_the_agreement_page_offers_its_dates_as_a_download(staff_client, other_staff):
    agreement = AgreementFactory(approved=True, created_by=other_staff)
    page = staff_client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert f'href="/calendar/agreement/{agreement.pk}.ics"' in page
    response = staff_client.get(f"/calendar/agreement/{agreement.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{agreement.reference}.ics"'
    uids = {uid.split("@")[0] for uid in parse(response)}
    assert {f"agreement-{agreement.pk}-end", f"agreement-{agreement.pk}-evaluation-1"} <= uids
    assert all(uid.startswith(f"agreement-{agreement.pk}-") for uid in uids)


def test_the_download_and_the_feed_share_uids(client, staff_client, staff):
    agreement = AgreementFactory(approved=True, created_by=staff)
    download = parse(staff_client.get(f"/calendar/agreement/{agreement.pk}.ics"))
    feed = parse(client.get(feed_path(services.feed_issue(user=staff))))
    assert set(download) == set(feed)


def test_a_draft_has_no_calendar_button(staff_client, staff):
    draft = AgreementFactory(created_by=staff)
    page = staff_client.get(f"/agreements/{draft.pk}/").content.decode()
    assert "/calendar/agreement/" not in page


def test_the_download_needs_the_right_to_see_agreements(client, db, no_role_user):
    agreement = AgreementFactory(approved=True)
    path = f"/calendar/agreement/{agreement.pk}.ics"
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(no_role_user)
    assert client.get(path).status_code == 403


def test_an_unknown_agreement_is_not_found(staff_client):
    assert staff_client.get("/calendar/agreement/999999.ics").status_code == 404
