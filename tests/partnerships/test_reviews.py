"""Due-diligence reviews: the interval by risk level, "due" and "overdue" in one place
(partnerships.reviews) asked by the list filter, the dashboard, the reminders and the
approval warning; risk level changes kept with a reason."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError

from partnerships.models import DueDiligenceReview, Partner, RiskLevelChange
from partnerships.reviews import review_overdue_condition
from reminders import services as reminder_services
from reminders.models import Reminder
from tests.conftest import log_in
from tests.factories import AgreementFactory, PartnerFactory, UserFactory
from tests.partnerships.test_import import HEADER, confirm, csv_upload, good_rows, preview
from tests.partnerships.test_partner_form import partner_data

D = datetime.date


def reviewed(risk, last, **extra):
    return PartnerFactory(risk_level=risk, last_due_diligence_review_on=last, **extra)


@pytest.mark.parametrize(
    "risk,due",
    [
        ("high", D(2026, 3, 31)),
        ("medium", D(2027, 3, 31)),
        ("low", D(2028, 3, 31)),
        ("", D(2026, 3, 31)),
    ],
)
def test_the_next_review_comes_after_the_interval_of_the_risk_level(db, risk, due):
    partner = reviewed(risk, D(2025, 3, 31))
    assert partner.next_review_on == due
    overdue = Partner.objects.review_overdue
    assert not overdue(due).exists()  # due on the day itself
    assert list(overdue(due + datetime.timedelta(days=1))) == [partner]
    assert (
        partner.review_state(due) == "due"
        and partner.review_state(due + datetime.timedelta(days=1)) == "overdue"
    )


def test_a_months_end_review_falls_due_on_the_shorter_months_last_day(db, settings):
    settings.DUE_DILIGENCE_REVIEW_MONTHS = {"high": 1, "medium": 24, "low": 36}
    partner = reviewed("high", D(2026, 1, 31))
    assert partner.next_review_on == D(2026, 2, 28)
    assert not Partner.objects.review_overdue(D(2026, 2, 28)).exists()
    assert Partner.objects.review_overdue(D(2026, 3, 1)).get() == partner


def test_the_query_and_the_page_agree_on_every_day_around_the_due_date(db):
    partners = [reviewed(risk, D(2024, 2, 29)) for risk in ("high", "medium", "low", "")]
    start = D(2025, 1, 1)
    for offset in range(0, 1600, 7):
        day = start + datetime.timedelta(days=offset)
        in_query = set(Partner.objects.filter(review_overdue_condition(day)))
        by_page = {p for p in partners if p.review_state(day) == "overdue"}
        assert in_query == by_page, day
        soon = set(Partner.objects.review_due_within(30, day))
        assert soon == {p for p in partners if p.review_state(day) == "due"}, day


def test_the_intervals_are_settings(db, settings):
    settings.DUE_DILIGENCE_REVIEW_MONTHS = {"high": 6, "medium": 24, "low": 36}
    assert reviewed("high", D(2025, 1, 15)).next_review_on == D(2025, 7, 15)


def test_never_reviewed_and_archived_partners_are_not_overdue(db):
    PartnerFactory(risk_level="high")
    reviewed("high", D(2020, 1, 1), archived=True)
    assert not Partner.objects.review_overdue(D(2026, 1, 1)).exists()


def test_the_partner_list_filters_by_review(staff_client):
    today = datetime.date.today()
    late = reviewed("high", today - datetime.timedelta(days=400), name="Sen")
    soon = reviewed("high", today - datetime.timedelta(days=350), name="Snart")
    reviewed("low", today - datetime.timedelta(days=30), name="Nyss")

    def names(review):
        response = staff_client.get("/partners/", {"review": review})
        return [partner.name for partner in response.context["page"].object_list]

    assert names("overdue") == [late.name]
    assert names("due") == [soon.name]
    assert names("due_or_overdue") == [late.name, soon.name]
    assert names("bogus") == []


def test_changing_the_risk_level_on_the_page_needs_a_reason_and_is_kept(staff_client, staff):
    partner = PartnerFactory(name="Föreningen Läslust Malmö", risk_level="low", responsible=staff)
    data = partner_data(staff, risk_level="high", risk_change_reason="", edit_version=1)
    response = staff_client.post(f"/partners/{partner.pk}/edit/", data)
    assert response.context["form"].errors["risk_change_reason"] == [
        "Say why the risk level changes from low to high."
    ]
    partner.refresh_from_db()
    assert partner.risk_level == "low" and not RiskLevelChange.objects.exists()

    data["risk_change_reason"] = "Partnern verkar nu i ett konfliktområde."
    assert staff_client.post(f"/partners/{partner.pk}/edit/", data).status_code == 302
    change = RiskLevelChange.objects.get()
    assert (change.from_level, change.to_level, change.changed_by) == ("low", "high", staff)
    assert change.reason == "Partnern verkar nu i ett konfliktområde."
    html = staff_client.get(f"/partners/{partner.pk}/").content.decode()
    assert "Partnern verkar nu i ett konfliktområde." in html

    # Saving again without a change of level records nothing more.
    data.update(edit_version=2, risk_change_reason="")
    assert staff_client.post(f"/partners/{partner.pk}/edit/", data).status_code == 302
    assert RiskLevelChange.objects.count() == 1


def test_a_new_review_date_is_recorded_with_the_interval_of_its_day(staff_client, staff):
    partner = PartnerFactory(
        name="Föreningen Läslust Malmö", risk_level="medium", responsible=staff
    )
    data = partner_data(
        staff, risk_level="medium", last_due_diligence_review_on="2026-01-10", edit_version=1
    )
    assert staff_client.post(f"/partners/{partner.pk}/edit/", data).status_code == 302
    review = DueDiligenceReview.objects.get()
    assert (review.reviewed_on, review.risk_level, review.interval_months) == (
        D(2026, 1, 10),
        "medium",
        24,
    )
    assert review.next_review_on == D(2028, 1, 10) and review.recorded_by == staff


def test_the_database_refuses_a_risk_change_without_a_reason(db, staff):
    with pytest.raises(IntegrityError):
        RiskLevelChange.objects.create(
            partner=PartnerFactory(), from_level="", to_level="high", reason="", changed_by=staff
        )


def test_an_import_starts_each_partners_risk_record_with_the_file(staff_client):
    rows = [[*row, risk] for row, risk in zip(good_rows(), ["high", ""], strict=True)]
    page, url = preview(staff_client, csv_upload(rows, header=[*HEADER, "Risk level"]))
    confirm(staff_client, page, url)
    change = RiskLevelChange.objects.get()
    assert (change.partner.risk_level, change.from_level, change.to_level) == ("high", "", "high")
    assert change.reason == "Import: partners.csv"


def run(day):
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 7), tick=False):
        return reminder_services.run_daily_reminders(day, dispatch=reminder_services.deliver)


def test_the_responsible_person_is_reminded_before_and_when_overdue_each_once(db):
    responsible = UserFactory(staff=True, email="anna@example.org")
    UserFactory(manager=True, email="maria@example.org")  # not for reviews
    partner = reviewed("high", D(2025, 6, 30), responsible=responsible)  # due 2026-06-30
    sent = []
    for day in [D(2026, 5, 30), D(2026, 5, 31), D(2026, 6, 1), D(2026, 6, 1), D(2026, 6, 30)]:
        run(day)
        sent.append(len(mail.outbox))
    assert sent == [0, 1, 1, 1, 1]  # 30 days before, once
    for day in [D(2026, 7, 1), D(2026, 7, 1), D(2026, 7, 30), D(2026, 7, 31), D(2026, 8, 30)]:
        run(day)
    kinds = list(Reminder.objects.order_by("id").values_list("claim_key", flat=True))
    assert kinds == [
        f"review_due:{partner.pk}:20260630",
        f"review_overdue:{partner.pk}:20260630:0",
        f"review_overdue:{partner.pk}:20260630:1",
        f"review_overdue:{partner.pk}:20260630:2",
    ]
    assert {message.to[0] for message in mail.outbox} == {"anna@example.org"}
    assert "Overdue: the due-diligence review of" in mail.outbox[-1].subject

    # A review recorded starts afresh: nothing more until the next one comes due.
    Partner.objects.filter(pk=partner.pk).update(last_due_diligence_review_on=D(2026, 9, 1))
    run(D(2026, 9, 2))
    assert Reminder.objects.count() == 4


def test_submitting_and_approving_with_an_overdue_review_warns(client, staff, manager):
    partner = reviewed("high", datetime.date.today() - datetime.timedelta(days=400))
    draft = AgreementFactory(complete=True, created_by=staff, partner=partner)
    log_in(client, staff)
    page = client.get(f"/agreements/{draft.pk}/submit/").content.decode()
    assert "due-diligence review of" in page and "is overdue" in page
    response = client.post(f"/agreements/{draft.pk}/submit/", follow=True)
    assert "is overdue" in response.content.decode()
    log_in(client, manager)
    page = client.get(f"/agreements/{draft.pk}/approve/").content.decode()
    assert "due-diligence review of" in page


def test_the_dashboards_show_reviews_overdue_and_mine_due(client, staff, manager):
    today = datetime.date.today()
    mine = reviewed("high", today - datetime.timedelta(days=350), responsible=staff)
    late = reviewed("high", today - datetime.timedelta(days=400))
    log_in(client, manager)
    panel = next(
        p for p in client.get("/").context["panels"] if p.title == "Due-diligence reviews overdue"
    )
    assert [partner.pk for partner in panel.items] == [late.pk] and "review=overdue" in panel.url
    log_in(client, staff)
    panel = next(
        p
        for p in client.get("/").context["panels"]
        if p.title == "My partners' reviews due or overdue"
    )
    assert [partner.pk for partner in panel.items] == [mine.pk]
