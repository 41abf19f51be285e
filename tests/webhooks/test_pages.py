"""The webhook pages: managers register endpoints (only https, only public addresses),
read each endpoint's delivery log and send a delivery again."""

import pytest
from django.urls import reverse
from django.utils import timezone

from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent

# An address literal is not looked up, so these tests need no network.
PUBLIC = "https://93.184.216.34/hooks"


def endpoint_data(**overrides):
    data = {
        "name": "Ekonomisystemet",
        "url": PUBLIC,
        "new_secret": "a-long-enough-secret-for-signing",
        "event_types": ["agreement.approved", "agreement.terminated"],
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_a_manager_registers_an_endpoint(manager_client, manager):
    form = manager_client.get(reverse("webhooks:endpoint_create")).content.decode()
    assert "Copy it now: it is not shown again." in form
    response = manager_client.post(reverse("webhooks:endpoint_create"), endpoint_data())
    endpoint = WebhookEndpoint.objects.get()
    assert response.url == endpoint.get_absolute_url()
    assert (endpoint.secret, endpoint.created_by) == ("a-long-enough-secret-for-signing", manager)
    assert endpoint.event_types == ["agreement.approved", "agreement.terminated"]
    page = manager_client.get(endpoint.get_absolute_url()).content.decode()
    assert "Agreement approved, Agreement terminated" in page
    assert "a-long-enough-secret" not in page
    assert endpoint.history.get().history_user == manager


@pytest.mark.parametrize(
    "url,message",
    [
        ("http://93.184.216.34/hooks", "Use an https address: webhooks are sent only over https."),
        ("https://127.0.0.1/hooks", "127.0.0.1 points to 127.0.0.1, a private or local address."),
        ("https://localhost/hooks", "a private or local address"),
        ("https://10.1.2.3/hooks", "10.1.2.3 points to 10.1.2.3, a private or local address."),
        ("https://169.254.169.254/latest", "a private or local address"),
        ("https://[::1]/hooks", "a private or local address"),
        ("https://user:pw@93.184.216.34/", "Leave the user name and password out of the address"),
    ],
)
def test_addresses_that_must_not_be_sent_to_are_refused(manager_client, url, message):
    response = manager_client.post(reverse("webhooks:endpoint_create"), endpoint_data(url=url))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_endpoint_needs_events_and_a_strong_secret(manager_client):
    response = manager_client.post(
        reverse("webhooks:endpoint_create"), endpoint_data(event_types=[], new_secret="short")
    )
    page = response.content.decode()
    assert "Choose at least one event to send." in page
    assert "Ensure this value has at least 16 characters (it has 5)." in page


def test_editing_keeps_the_secret_unless_a_new_one_is_given(manager_client):
    endpoint = WebhookEndpoint.objects.create(
        name="BI", url=PUBLIC, secret="the-first-secret-of-it", event_types=["agreement.approved"]
    )
    url = reverse("webhooks:endpoint_edit", args=[endpoint.pk])
    manager_client.post(url, endpoint_data(new_secret=""))
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.secret) == ("Ekonomisystemet", "the-first-secret-of-it")
    manager_client.post(url, endpoint_data(new_secret="a-second-and-new-secret"))
    endpoint.refresh_from_db()
    assert endpoint.secret == "a-second-and-new-secret"


@pytest.fixture
def failed_delivery(db):
    endpoint = WebhookEndpoint.objects.create(
        name="BI", url=PUBLIC, secret="s" * 20, event_types=["agreement.approved"]
    )
    now = timezone.now()
    event = WebhookEvent.objects.create(
        event_type="agreement.approved",
        object_label="agreements.agreement",
        object_id="1",
        object_name="AGR-2026-0001 Läslust",
        body="{}",
        created_at=now,
    )
    return WebhookDelivery.objects.create(
        event=event,
        endpoint=endpoint,
        status=DeliveryStatus.GAVE_UP,
        attempts=8,
        last_status_code=500,
        last_error="HTTP 500: Internal Server Error",
        created_at=now,
    )


def test_the_delivery_log_shows_each_attempt_and_sends_again(manager_client, failed_delivery):
    page = manager_client.get(failed_delivery.endpoint.get_absolute_url()).content.decode()
    assert "AGR-2026-0001 Läslust" in page and "HTTP 500: Internal Server Error" in page
    assert str(failed_delivery.pk) in page and "Send again" in page
    response = manager_client.post(reverse("webhooks:delivery_resend", args=[failed_delivery.pk]))
    assert response.url == failed_delivery.endpoint.get_absolute_url()
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == DeliveryStatus.PENDING
    assert failed_delivery.next_attempt_at <= timezone.now()


def test_staff_cannot_send_again(staff_client, failed_delivery):
    response = staff_client.post(reverse("webhooks:delivery_resend", args=[failed_delivery.pk]))
    assert response.status_code == 403
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == DeliveryStatus.GAVE_UP


def test_an_inactive_endpoint_is_sent_nothing(manager_client, failed_delivery):
    from webhooks import services

    endpoint = failed_delivery.endpoint
    manager_client.post(
        reverse("webhooks:endpoint_edit", args=[endpoint.pk]),
        endpoint_data(is_active="", new_secret=""),
    )
    manager_client.post(reverse("webhooks:delivery_resend", args=[failed_delivery.pk]))
    assert services.run_due_deliveries(dispatch=services.deliver) == []
    assert services.deliver(failed_delivery.pk) == "skipped"
    page = manager_client.get(reverse("webhooks:endpoint_list")).content.decode()
    assert "Inactive" in page


def test_the_list_flags_endpoints_with_failed_deliveries(manager_client, failed_delivery):
    page = manager_client.get(reverse("webhooks:endpoint_list")).content.decode()
    assert "Failed deliveries" in page and "BI" in page
