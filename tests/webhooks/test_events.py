"""emit(): stored in the caller's transaction, for the endpoints that asked for it."""

import ipaddress

import pytest
from django.db import transaction

from agreements.services import agreement_transition
from config.celery import app as celery_app
from tests.agreements.test_services import NO_INTEREST
from tests.factories import AgreementFactory, PartnerFactory
from webhooks.addresses import is_public
from webhooks.events import emit
from webhooks.models import EventType, WebhookDelivery, WebhookEndpoint, WebhookEvent

PUBLIC = "https://93.184.216.34/hooks"


def make_endpoint(**overrides):
    values = {"name": "BI", "url": PUBLIC, "secret": "s" * 20, "event_types": EventType.values}
    return WebhookEndpoint.objects.create(**{**values, **overrides})


def test_nothing_is_stored_when_no_endpoint_asked_for_it(db):
    make_endpoint(event_types=["agreement.terminated"])
    make_endpoint(is_active=False)
    assert emit(EventType.AGREEMENT_APPROVED, PartnerFactory()) is None
    assert not WebhookEvent.objects.exists()


def test_one_delivery_for_each_endpoint_that_asked(db):
    wants, _other = make_endpoint(), make_endpoint(event_types=["evaluation.completed"])
    event = emit(EventType.AGREEMENT_APPROVED, AgreementFactory())
    assert [d.endpoint for d in WebhookDelivery.objects.filter(event=event)] == [wants]


def test_a_decision_rolled_back_sends_nothing(db):
    make_endpoint()
    with pytest.raises(RuntimeError), transaction.atomic():
        emit(EventType.AGREEMENT_APPROVED, AgreementFactory())
        raise RuntimeError("the approval failed after all")
    assert not WebhookEvent.objects.exists() and not WebhookDelivery.objects.exists()


def test_amended_is_an_event_type_for_any_object(db):
    """The amendments feature calls emit("agreement.amended", its object)."""
    make_endpoint()
    partner = PartnerFactory(name="Kulturhuset")
    event = emit("agreement.amended", partner)
    assert (
        '"object": {"type": "partner", "id": %d, "name": "Kulturhuset"' % partner.pk in event.body
    )
    with pytest.raises(ValueError):
        emit("agreement.extended", partner)


def test_a_committed_approval_is_queued_at_once(
    receiver, endpoint, staff, manager, django_capture_on_commit_callbacks
):
    """The fixtures `receiver` and `endpoint` are tests/webhooks/conftest.py's."""
    agreement = AgreementFactory(pending=True, created_by=staff)
    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            agreement_transition(
                agreement=agreement, action="approve", user=manager, statement=NO_INTEREST
            )
    finally:
        celery_app.conf.task_always_eager = False
    assert [headers["x-webhook-event"] for headers, _ in receiver.requests] == [
        "agreement.approved"
    ]
    assert WebhookDelivery.objects.get().status == "delivered"


@pytest.mark.parametrize(
    "address,public",
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("64:ff9b::a00:1", False),
    ],
)
def test_which_addresses_are_public(address, public):
    assert is_public(address) is public
    ipaddress.ip_address(address.split("%")[0])  # each is a real address


@pytest.mark.parametrize("count", [2, 20])
def test_many_events_cost_a_fixed_number_of_queries(db, django_assert_num_queries, count):
    from webhooks.events import emit_many

    make_endpoint(), make_endpoint(name="Arkiv")
    agreements = [AgreementFactory() for _ in range(count)]
    # The endpoints, the events, the deliveries.
    with django_assert_num_queries(3):
        events = emit_many(EventType.AGREEMENT_APPROVED, agreements)
    assert len(events) == count and WebhookDelivery.objects.count() == 2 * count
