"""Obligations of approved agreements are followed up: fulfilled or not, overdue when
their due date passes unrecorded, reminded once, and closed by a termination."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement, Fulfilment, Obligation, Side
from reminders import services as reminder_services
from reminders.models import Reminder
from tests.conftest import log_in
from tests.factories import AgreementFactory, ObligationFactory, UserFactory

D = datetime.date
TODAY = D(2026, 6, 15)


def on(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, 0), tick=False)


@pytest.fixture
def responsible(db):
    return UserFactory(staff=True, email="anna@example.org", first_name="Anna")


@pytest.fixture
def agreement(responsible):
    return AgreementFactory(
        approved=True, created_by=responsible, start_date=D(2026, 1, 1), end_date=D(2027, 12, 31)
    )


@pytest.fixture
def overdue(agreement):
    return ObligationFactory(
        agreement=agreement, side=Side.PARTNER, description="Årsrapport", due_date=D(2026, 5, 31)
    )


@pytest.mark.parametrize(
    "due,fulfilment,status,expected",
    [
        (D(2026, 6, 14), Fulfilment.OPEN, "approved", True),
        (D(2026, 6, 15), Fulfilment.OPEN, "approved", False),  # due today: not yet late
        (None, Fulfilment.OPEN, "approved", False),
        (D(2026, 6, 1), Fulfilment.FULFILLED, "approved", False),
        (D(2026, 6, 1), Fulfilment.NOT_FULFILLED, "approved", False),  # recorded
        (D(2026, 6, 1), Fulfilment.OPEN, "draft", False),
        (D(2026, 6, 1), Fulfilment.ENDED_BY_TERMINATION, "terminated", False),
    ],
)
def test_overdue_rule_in_the_database_and_in_python_agree(db, due, fulfilment, status, expected):
    traits = {"approved": {"approved": True}, "draft": {}, "terminated": {"terminated": True}}
    agreement = AgreementFactory(**traits[status])
    obligation = ObligationFactory(
        agreement=agreement,
        due_date=due,
        fulfilment=fulfilment,
        fulfilled_on=D(2026, 6, 1) if fulfilment == Fulfilment.FULFILLED else None,
    )
    assert obligation.is_overdue(TODAY) is expected
    assert Obligation.objects.overdue(TODAY).filter(pk=obligation.pk).exists() is expected
    assert (
        Agreement.objects.with_overdue_obligations(TODAY).filter(pk=agreement.pk).exists()
        is expected
    )


def test_recording_fulfilment_with_evidence_through_the_form(client, responsible, overdue):
    with on(TODAY):
        log_in(client, responsible)
        url = reverse("agreements:obligation_outcome", args=[overdue.agreement_id, overdue.pk])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "fulfilment": "fulfilled",
                "fulfilled_on": "2026-06-10",
                "fulfilment_note": "Rapporten kom <b>in</b>.",
                "fulfilment_evidence": SimpleUploadedFile(
                    "rapport.pdf", b"%PDF-1.4 rapport", content_type="application/pdf"
                ),
            },
        )
        assert response.status_code == 302
        overdue.refresh_from_db()
        assert overdue.fulfilment == Fulfilment.FULFILLED
        assert overdue.fulfilled_on == D(2026, 6, 10)
        assert overdue.fulfilment_recorded_by == responsible
        assert not overdue.is_overdue(TODAY)
        page = client.get(overdue.agreement.get_absolute_url()).content.decode()
        assert "Rapporten kom &lt;b&gt;in&lt;/b&gt;." in page
        download = client.get(
            reverse("agreements:obligation_evidence", args=[overdue.agreement_id, overdue.pk])
        )
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content) == b"%PDF-1.4 rapport"
        assert overdue.history.order_by("-history_id").first().history_user == responsible


def test_bad_outcomes_are_refused_with_a_reason_and_nothing_saved(client, responsible, overdue):
    with on(TODAY):
        log_in(client, responsible)
        url = reverse("agreements:obligation_outcome", args=[overdue.agreement_id, overdue.pk])
        cases = [
            ({"fulfilment": "fulfilled", "fulfilled_on": ""}, "Give the date the obligation"),
            ({"fulfilment": "fulfilled", "fulfilled_on": "2026-07-01"}, "cannot be in the future"),
            ({"fulfilment": "not_fulfilled", "fulfilment_note": " "}, "Say briefly why"),
            ({"fulfilment": "ended_by_termination"}, "Select a valid choice"),
            (
                {
                    "fulfilment": "fulfilled",
                    "fulfilled_on": "2026-06-01",
                    "fulfilment_evidence": SimpleUploadedFile("x.pdf", b"MZ not a pdf"),
                },
                "not a real PDF file",
            ),
        ]
        for data, message in cases:
            response = client.post(url, data)
            assert response.status_code == 200
            assert message in response.content.decode(), message
        overdue.refresh_from_db()
        assert overdue.fulfilment == Fulfilment.OPEN
        assert overdue.fulfilment_recorded_by is None


def test_obligations_of_a_draft_cannot_be_followed_up(client, staff):
    draft = AgreementFactory(complete=True, created_by=staff)
    obligation = draft.obligations.first()
    log_in(client, staff)
    url = reverse("agreements:obligation_outcome", args=[draft.pk, obligation.pk])
    assert (
        client.post(url, {"fulfilment": "fulfilled", "fulfilled_on": "2026-01-01"}).status_code
        == 403
    )


def test_no_role_user_cannot_follow_up(client, no_role_user, overdue):
    log_in(client, no_role_user)
    url = reverse("agreements:obligation_outcome", args=[overdue.agreement_id, overdue.pk])
    assert (
        client.post(url, {"fulfilment": "fulfilled", "fulfilled_on": "2026-06-01"}).status_code
        == 403
    )


def test_overdue_shows_on_the_agreement_page_the_list_filter_and_the_dashboard(
    client, responsible, overdue, other_staff
):
    fine = AgreementFactory(approved=True, created_by=responsible, title="Inget försenat")
    with on(TODAY):
        log_in(client, responsible)
        page = client.get(overdue.agreement.get_absolute_url()).content.decode()
        assert "1 obligation is overdue" in page
        assert 'class="row-alert"' in page

        listed = client.get(
            reverse("agreements:agreement_list"), {"overdue_obligations": "on"}
        ).content.decode()
        assert overdue.agreement.reference in listed and fine.reference not in listed

        dashboard = client.get(reverse("dashboard:dashboard")).content.decode()
        assert "My agreements with overdue obligations" in dashboard
        assert f"{overdue.agreement.get_absolute_url()}#obligations" in dashboard

        # Someone else's dashboard does not show it.
        log_in(client, other_staff)
        dashboard = client.get(reverse("dashboard:dashboard")).content.decode()
        assert f"{overdue.agreement.get_absolute_url()}#obligations" not in dashboard


def test_overdue_obligation_is_reminded_once(responsible, overdue, settings):
    settings.REMINDER_ENDING_DAYS = []
    with on(TODAY):
        reminder_services.run_daily_reminders(TODAY, dispatch=reminder_services.deliver)
        reminder_services.run_daily_reminders(TODAY, dispatch=reminder_services.deliver)
    later = TODAY + datetime.timedelta(days=1)
    with on(later):
        reminder_services.run_daily_reminders(later, dispatch=reminder_services.deliver)
    sent = [m for m in mail.outbox if "obligation" in m.subject]
    assert len(sent) == 1
    assert sent[0].to == ["anna@example.org"]
    assert "Årsrapport" in sent[0].body
    assert f"/obligations/{overdue.pk}/" in sent[0].body
    assert Reminder.objects.filter(kind="obligation_overdue", obligation=overdue).count() == 1


def test_termination_closes_open_obligations_and_keeps_recorded_ones(
    client, manager, agreement, overdue
):
    done = ObligationFactory(
        agreement=agreement, fulfilment=Fulfilment.FULFILLED, fulfilled_on=D(2026, 3, 1)
    )
    with on(TODAY):
        log_in(client, manager)
        response = client.post(
            reverse("agreements:agreement_action", args=[agreement.pk, "terminate"]),
            {
                "terminated_on": "2026-06-15",
                "termination_cause": "partner_request",
                "comment": "Partnern avslutar verksamheten.",
            },
        )
    assert response.status_code == 302
    overdue.refresh_from_db()
    done.refresh_from_db()
    assert overdue.fulfilment == Fulfilment.ENDED_BY_TERMINATION
    assert overdue.fulfilment_recorded_by == manager
    assert done.fulfilment == Fulfilment.FULFILLED
    assert not agreement.obligations.filter(fulfilment=Fulfilment.OPEN).exists()
    assert not Obligation.objects.overdue(TODAY).exists()
