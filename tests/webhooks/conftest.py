import pytest

from tests.webhooks.receiver import Receiver
from webhooks.models import EventType, WebhookEndpoint

SECRET = "a-secret-the-receiver-knows-too"


@pytest.fixture
def loopback_allowed(settings):
    """The receiver runs on loopback over http: allowed only through these settings."""
    settings.DEBUG = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture
def receiver(loopback_allowed):
    with Receiver() as running:
        yield running


@pytest.fixture
def endpoint(db, receiver, manager):
    return WebhookEndpoint.objects.create(
        name="Finance",
        url=receiver.url,
        secret=SECRET,
        event_types=list(EventType.values),
        created_by=manager,
    )
