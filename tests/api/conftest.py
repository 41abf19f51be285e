"""Tokens for the API's personas and a client that sends them."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from accounts.tokens import api_token_issue, api_token_revoke
from tests.factories import UserFactory

TODAY = timezone.localdate


class ApiClient:
    """The Django test client with a token in the Authorization header and JSON bodies."""

    def __init__(self, secret: str | None = None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}

    def get(self, path, params=None):
        return self.client.get(path, params or {}, **self.headers)

    def post(self, path, body=None):
        return self.client.post(
            path, json.dumps(body or {}), content_type="application/json", **self.headers
        )


def token_for(user, **kwargs) -> str:
    _token, secret = api_token_issue(user=user, name="tests", last_day=None, **kwargs)
    return secret


@pytest.fixture
def staff_api(staff):
    return ApiClient(token_for(staff))


@pytest.fixture
def manager_api(manager):
    return ApiClient(token_for(manager))


@pytest.fixture
def no_role_api(no_role_user):
    return ApiClient(token_for(no_role_user))


@pytest.fixture
def anonymous_api():
    return ApiClient()


@pytest.fixture
def revoked_api(staff):
    token, secret = api_token_issue(user=staff, name="revoked", last_day=None)
    api_token_revoke(user=staff, token_id=token.pk)
    return ApiClient(secret)


@pytest.fixture
def expired_api(staff, time_machine):
    # Made a week ago to work through yesterday.
    time_machine.move_to(timezone.now() - datetime.timedelta(days=7))
    token, secret = api_token_issue(
        user=staff, name="expired", last_day=TODAY() + datetime.timedelta(days=5)
    )
    time_machine.move_to(timezone.now() + datetime.timedelta(days=7))
    return ApiClient(secret)


@pytest.fixture
def inactive_api(db):
    user = UserFactory(username="left", staff=True)
    secret = token_for(user)
    user.is_active = False
    user.save()
    return ApiClient(secret)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """The throttle counts in the cache, by token id; ids come again in the next test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
