"""The partner's report reminders: due in 30 days, overdue every 14 days, each once, to
the partner's active portal users in their language."""

import datetime

import pytest
import time_machine
from django.core import mail

from portal.models import PartnerReport, ReportStatus
from reminders import services
from reminders.models import Delivery, Reminder
from tests.factories import AgreementFactory, EvaluationFactory, PartnerUserFactory

D = datetime.date


def run(day):
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, 0), tick=False):
        return services.run_daily_reminders(day, dispatch=services.deliver)


def partner_kinds(day):
    return [
        (reminder.kind, reminder.sequence)
        for reminder in run(day)
        if reminder.kind.startswith("partner_report")
    ]


@pytest.fixture
def agreement(db):
    return AgreementFactory(approved=True, start_date=D(2026, 1, 1), end_date=D(2027, 12, 31))


@pytest.fixture
def lina(agreement):
    return PartnerUserFactory(
        partner=agreement.partner, user__first_name="Lina", user__language="sv"
    ).user


def test_the_report_is_due_in_30_days_once(agreement, lina):
    # Year 1 ends 2026-12-31.
    assert partner_kinds(D(2026, 11, 30)) == []
    assert partner_kinds(D(2026, 12, 1)) == [("partner_report_due_soon", 0)]
    assert partner_kinds(D(2026, 12, 1)) == []
    assert partner_kinds(D(2026, 12, 20)) == []
    [email] = [m for m in mail.outbox if lina.email in m.to]
    assert "Årsrapporten för" in email.subject and "om 30 dagar" in email.body
    assert f"/portal/agreements/{agreement.pk}/years/1/report/" in email.body


def test_an_overdue_report_is_reminded_every_14_days(agreement, lina):
    assert partner_kinds(D(2027, 1, 1)) == [("partner_report_overdue", 0)]
    assert partner_kinds(D(2027, 1, 14)) == []
    assert partner_kinds(D(2027, 1, 15)) == [("partner_report_overdue", 1)]
    assert partner_kinds(D(2027, 1, 15)) == []
    assert (
        Delivery.objects.filter(recipient=lina, reminder__kind__startswith="partner").count() == 2
    )


def test_no_reminder_once_the_report_is_in_or_the_period_is_evaluated(agreement, lina):
    period = agreement.evaluation_periods.get(number=1)
    report = PartnerReport.objects.create(period=period, created_by=lina)
    assert partner_kinds(D(2027, 1, 1)) == [("partner_report_overdue", 0)]  # a draft is not in
    PartnerReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    assert partner_kinds(D(2027, 1, 15)) == []
    PartnerReport.objects.filter(pk=report.pk).update(status=ReportStatus.SENT_BACK)
    assert partner_kinds(D(2027, 1, 29)) == [("partner_report_overdue", 2)]
    EvaluationFactory(period=period, completed=True)
    assert partner_kinds(D(2027, 2, 12)) == []


def test_only_the_partners_active_portal_users_are_told(agreement, lina):
    PartnerUserFactory(partner=agreement.partner, invited=True)  # no password yet
    revoked = PartnerUserFactory(partner=agreement.partner)
    revoked.user.is_active = False
    revoked.user.save()
    other = PartnerUserFactory()  # another partner's
    run(D(2026, 12, 1))
    recipients = set(
        Delivery.objects.filter(reminder__kind="partner_report_due_soon").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {lina.pk}
    assert other.user.pk not in recipients


def test_a_partner_without_portal_users_gets_no_reminder_row(agreement):
    run(D(2026, 12, 1))
    assert not Reminder.objects.filter(kind__startswith="partner_report").exists()
    # The staff's own evaluation reminder of the same day still goes out.
    assert Reminder.objects.filter(kind="evaluation_due_soon").exists()


def test_the_agreement_page_lists_the_partner_reminders_sent(agreement, lina, staff_client):
    run(D(2027, 1, 1))
    page = staff_client.get(agreement.get_absolute_url()).content.decode()
    assert "Partner report of year 1 overdue" in page
