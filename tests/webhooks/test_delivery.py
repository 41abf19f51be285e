"""Webhooks sent to a real HTTP receiver on loopback: signed, each event once per
endpoint however often the job runs, and tried again after the receiver failed."""

import datetime
import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from agreements.services import agreement_transition
from config.celery import app as celery_app
from evaluations.services import evaluation_complete
from reminders.services import run_daily_reminders
from tests.agreements.test_services import NO_INTEREST
from tests.factories import AgreementFactory, EvaluationFactory, ObligationFactory
from tests.webhooks.conftest import SECRET
from webhooks import services, tasks
from webhooks.models import DeliveryStatus, WebhookDelivery

TODAY = timezone.localdate


def verified(headers, body) -> bool:
    """How a receiver checks a request (README, "Webhooks")."""
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["x-webhook-signature"], expected)


def make_every_event(staff, manager):
    """Approve and terminate an agreement, complete an evaluation, let an obligation
    become overdue and the day's reminders run: one event of each kind we emit."""
    agreement = AgreementFactory(pending=True, created_by=staff)
    agreement_transition(agreement=agreement, action="approve", user=manager, statement=NO_INTEREST)
    agreement_transition(
        agreement=agreement,
        action="terminate",
        user=manager,
        comment="Riktlinjerna följdes inte.",
        terminated_on=TODAY(),
        termination_cause="guidelines_breached",
    )
    evaluated = AgreementFactory(approved=True, created_by=staff)
    evaluation = EvaluationFactory(period=evaluated.evaluation_periods.get(number=1))
    evaluation_complete(evaluation=evaluation, user=staff)
    ObligationFactory(agreement=evaluated, due_date=TODAY() - datetime.timedelta(days=1))
    for _run in range(2):  # the reminders' claim makes "overdue" an event once
        run_daily_reminders(TODAY(), dispatch=lambda delivery_id: None)


def test_each_event_reaches_the_receiver_once_signed(receiver, endpoint, staff, manager):
    make_every_event(staff, manager)
    for _run in range(2):
        services.run_due_deliveries(dispatch=services.deliver)

    types = [headers["x-webhook-event"] for headers, _body in receiver.requests]
    assert sorted(types) == sorted(
        [
            "agreement.approved",
            "agreement.terminated",
            "evaluation.completed",
            "obligation.overdue",
        ]
    )
    deliveries = {str(delivery.pk): delivery for delivery in WebhookDelivery.objects.all()}
    assert len(deliveries) == 4
    for headers, body in receiver.requests:
        assert verified(headers, body)
        assert headers["content-type"] == "application/json"
        sent = json.loads(body)
        assert sent["type"] == headers["x-webhook-event"]
        delivery = deliveries.pop(headers["x-webhook-delivery"])
        assert sent["id"] == str(delivery.event_id)
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
    assert deliveries == {}  # one request per delivery, no delivery left out


def test_the_body_describes_what_happened(receiver, endpoint, staff, manager):
    agreement = AgreementFactory(pending=True, created_by=staff)
    agreement_transition(agreement=agreement, action="approve", user=manager, statement=NO_INTEREST)
    services.run_due_deliveries(dispatch=services.deliver)
    ((_headers, body),) = receiver.requests
    sent = json.loads(body)
    assert sent["object"] | {"url": None} == {
        "type": "agreement",
        "id": agreement.pk,
        "reference": agreement.reference,
        "title": agreement.title,
        "status": "approved",
        "agreement_type": agreement.agreement_type,
        "partner_id": agreement.partner_id,
        "partner_name": agreement.partner.name,
        "start_date": agreement.start_date.isoformat(),
        "end_date": agreement.end_date.isoformat(),
        "economic_amount": "50000.00",
        "currency": "SEK",
        "terminated_on": None,
        "termination_cause": "",
        "url": None,
    }
    assert sent["object"]["url"].endswith(f"/agreements/{agreement.pk}/")


def test_a_refused_delivery_is_sent_again_after_its_pause(
    receiver, endpoint, staff, manager, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    receiver.answers = [500, 503]
    agreement = AgreementFactory(pending=True, created_by=staff)
    agreement_transition(agreement=agreement, action="approve", user=manager, statement=NO_INTEREST)

    services.run_due_deliveries(dispatch=services.deliver)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 1, 500)
    assert delivery.last_error == "HTTP 500: not now"
    assert delivery.next_attempt_at == timezone.now() + datetime.timedelta(seconds=30)

    services.run_due_deliveries(dispatch=services.deliver)  # the pause has not passed
    assert len(receiver.requests) == 1

    time_machine.shift(datetime.timedelta(seconds=30))
    services.run_due_deliveries(dispatch=services.deliver)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 2, 503)
    # The pause doubles.
    assert delivery.next_attempt_at == timezone.now() + datetime.timedelta(seconds=60)

    time_machine.shift(datetime.timedelta(seconds=60))
    celery_app.conf.task_always_eager = True  # the job as Celery runs it, in this process
    try:
        tasks.send_due_webhooks.delay()
    finally:
        celery_app.conf.task_always_eager = False
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 3, "")
    assert [headers["x-webhook-delivery"] for headers, _ in receiver.requests] == [
        str(delivery.pk)
    ] * 3


def test_after_the_last_attempt_it_gives_up(receiver, endpoint, staff, manager, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.answers = [500]
    agreement = AgreementFactory(pending=True, created_by=staff)
    agreement_transition(agreement=agreement, action="approve", user=manager, statement=NO_INTEREST)
    services.run_due_deliveries(dispatch=services.deliver)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.next_attempt_at) == (DeliveryStatus.GAVE_UP, None)
    assert services.run_due_deliveries(dispatch=services.deliver) == []


def test_two_workers_given_the_same_delivery_send_it_once(receiver, endpoint, staff, manager):
    agreement = AgreementFactory(pending=True, created_by=staff)
    agreement_transition(agreement=agreement, action="approve", user=manager, statement=NO_INTEREST)
    delivery = WebhookDelivery.objects.get()
    assert services.deliver(delivery.pk) == "delivered"
    assert services.deliver(delivery.pk) == "skipped"
    assert len(receiver.requests) == 1


def test_send_again_repeats_a_delivered_one_with_the_same_delivery_id(
    receiver, endpoint, staff, manager
):
    agreement = AgreementFactory(pending=True, created_by=staff)
    agreement_transition(agreement=agreement, action="approve", user=manager, statement=NO_INTEREST)
    services.run_due_deliveries(dispatch=services.deliver)
    delivery = WebhookDelivery.objects.get()
    services.delivery_resend(delivery=delivery, user=manager)
    services.run_due_deliveries(dispatch=services.deliver)
    first, second = receiver.requests
    assert first[0]["x-webhook-delivery"] == second[0]["x-webhook-delivery"] == str(delivery.pk)
    assert first[1] == second[1]


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_a_loopback_address_is_refused_at_send_time_too(
    receiver, endpoint, staff, manager, settings, host
):
    """Registered while allowed (or a DNS answer that changed since): checked again."""
    endpoint.url = receiver.url.replace("127.0.0.1", host)
    endpoint.save()
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    agreement = AgreementFactory(pending=True, created_by=staff)
    agreement_transition(agreement=agreement, action="approve", user=manager, statement=NO_INTEREST)
    services.run_due_deliveries(dispatch=services.deliver)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "a private or local address" in delivery.last_error
    assert receiver.requests == []
