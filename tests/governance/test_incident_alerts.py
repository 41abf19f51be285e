"""Managers get one email when a serious incident is recorded (or raised to serious):
queued by the page at once, sent by the daily run if the queue missed it, never twice."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from config.celery import app as celery_app
from governance.models import Incident
from reminders import services
from reminders.models import Reminder
from tests.conftest import log_in
from tests.factories import IncidentFactory, PartnerFactory, UserFactory


@pytest.fixture
def managers(db):
    return [UserFactory(manager=True, email=f"chef{n}@example.org") for n in range(2)]


def test_one_email_to_each_manager_over_repeated_runs(managers):
    incident = IncidentFactory(serious=True)
    IncidentFactory()  # a concern: no email
    day = datetime.date.today()
    for _ in range(2):
        services.run_incident_alerts(day, dispatch=services.deliver)
        services.run_daily_reminders(day, dispatch=services.deliver)
    services.run_daily_reminders(day + datetime.timedelta(days=3), dispatch=services.deliver)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(m.email for m in managers)
    reminder = Reminder.objects.get(kind="serious_incident")
    assert reminder.incident == incident
    message = mail.outbox[0]
    assert incident.partner.name in message.subject
    assert incident.description not in message.body  # the details stay in the register
    assert incident.get_absolute_url() in message.body


def test_raising_an_incident_to_serious_sends_it_then(managers):
    incident = IncidentFactory()
    day = datetime.date.today()
    services.run_daily_reminders(day, dispatch=services.deliver)
    assert mail.outbox == []
    Incident.objects.filter(pk=incident.pk).update(severity="serious")
    services.run_incident_alerts(day, dispatch=services.deliver)
    assert len(mail.outbox) == len(managers)


def test_recording_a_serious_incident_on_the_page_emails_the_managers_at_once(
    client, staff, managers, django_capture_on_commit_callbacks
):
    partner = PartnerFactory()
    log_in(client, staff)
    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("governance:incident_create", args=[partner.pk]),
                {
                    "category": "safeguarding",
                    "severity": "serious",
                    "description": "En ledare har kränkt ett barn.",
                    "became_known_on": datetime.date.today().isoformat(),
                    "source": "En förälder",
                },
            )
    finally:
        celery_app.conf.task_always_eager = False
    assert sorted(message.to[0] for message in mail.outbox) == sorted(m.email for m in managers)
    assert "En ledare" not in mail.outbox[0].body
