"""Personal API tokens, made and revoked on the profile page: shown once, only a hash
kept, an optional last day, and never working for a user who is no longer active."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from accounts.models import ApiToken
from tests.api.conftest import ApiClient

TODAY = timezone.localdate
SECRET = re.compile(r'id="api-token-secret"[^>]*>(pat_[-\w]+)</textarea>')
PROFILE = "/accounts/profile/"


def test_a_token_is_made_on_the_profile_page_and_shown_once(staff_client, staff):
    page = staff_client.get(PROFILE).content.decode()
    assert "You have no API tokens." in page
    response = staff_client.post(reverse("api_token_create"), {"name": "Ekonomisystemet"})
    assert response.url == PROFILE + "#api-tokens"
    page = staff_client.get(PROFILE).content.decode()
    secret = SECRET.search(page).group(1)
    assert "it is shown only this once" in page and "Ekonomisystemet" in page
    token = ApiToken.objects.get(user=staff)
    assert token.token_hash == tokens.hash_token(secret) and secret not in token.token_hash
    assert token.prefix == secret[:8] and f"{token.prefix}…" in page
    # It opens the API as its user; the page never shows it again.
    assert ApiClient(secret).get(reverse("api:partner_list")).status_code == 200
    assert not SECRET.search(staff_client.get(PROFILE).content.decode())


def test_a_token_is_revoked_on_the_profile_page(staff_client, staff):
    token, secret = tokens.api_token_issue(user=staff, name="BI", last_day=None)
    response = staff_client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.url == PROFILE + "#api-tokens"
    assert "The token is revoked" in staff_client.get(PROFILE).content.decode()
    assert ApiClient(secret).get(reverse("api:partner_list")).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None  # kept, so its name stays on record


def test_nobody_revokes_someone_elses_token(client, staff, other_staff):
    token, secret = tokens.api_token_issue(user=staff, name="BI", last_day=None)
    client.force_login(other_staff)
    client.post(reverse("api_token_revoke", args=[token.pk]))
    assert ApiClient(secret).get(reverse("api:partner_list")).status_code == 200


def test_a_token_works_through_its_last_day(staff, time_machine):
    last_day = TODAY() + datetime.timedelta(days=3)
    _token, secret = tokens.api_token_issue(user=staff, name="BI", last_day=last_day)
    evening = timezone.make_aware(datetime.datetime.combine(last_day, datetime.time(23, 59)))
    time_machine.move_to(evening, tick=False)
    assert tokens.api_token_owner(secret) is not None
    time_machine.move_to(evening + datetime.timedelta(minutes=1), tick=False)
    assert tokens.api_token_owner(secret) is None


def test_a_bad_token_form_comes_back_with_its_errors(staff_client):
    yesterday = (TODAY() - datetime.timedelta(days=1)).isoformat()
    staff_client.post(reverse("api_token_create"), {"name": "  ", "last_day": yesterday})
    page = staff_client.get(PROFILE).content.decode()
    assert "Give the token a name." in page
    assert "The last day cannot be in the past." in page
    assert not ApiToken.objects.exists()


def test_a_user_holds_a_bounded_number_of_tokens(staff, settings):
    settings.API_TOKENS_PER_USER = 2
    for name in ("a", "b"):
        tokens.api_token_issue(user=staff, name=name, last_day=None)
    with pytest.raises(ValidationError, match="You have 2 tokens already"):
        tokens.api_token_issue(user=staff, name="c", last_day=None)


def test_a_token_stops_working_when_its_user_is_made_inactive(staff):
    _token, secret = tokens.api_token_issue(user=staff, name="BI", last_day=None)
    staff.is_active = False
    staff.save()
    response = ApiClient(secret).get(reverse("api:partner_list"))
    assert response.status_code == 401


def test_a_token_acts_with_its_users_role_as_it_is_now(staff):
    from django.contrib.auth.models import Group

    _token, secret = tokens.api_token_issue(user=staff, name="BI", last_day=None)
    staff.groups.remove(Group.objects.get(name="Staff"))
    assert ApiClient(secret).get(reverse("api:partner_list")).status_code == 403


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer pat_unknown"])
def test_a_malformed_or_unknown_token_is_a_401(db, client, header):
    response = client.get(reverse("api:partner_list"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "detail" in response.json()
