"""Programme periods: no overlaps, managed by managers, and what they mean for
time-limited and long-term agreements."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from agreements.models import AgreementType, ProgrammePeriod, Status
from tests.conftest import log_in
from tests.factories import AgreementFactory

D = datetime.date


@pytest.fixture
def period(db):
    return ProgrammePeriod.objects.create(
        name="Programme 2026–2028", start_date=D(2026, 1, 1), end_date=D(2028, 12, 31)
    )


def test_manager_creates_a_period_and_an_overlapping_one_is_refused(client, manager, period):
    log_in(client, manager)
    url = reverse("programmes:programme_period_create")
    response = client.post(
        url,
        {
            "name": "Programme 2029–2031",
            "start_date": "2029-01-01",
            "end_date": "2031-12-31",
            "annual_budget": "500000",
        },
    )
    assert response.status_code == 302
    assert ProgrammePeriod.objects.filter(name="Programme 2029–2031").exists()

    response = client.post(
        url, {"name": "Overlapping", "start_date": "2028-07-01", "end_date": "2029-06-30"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Programme periods cannot overlap" in page
    assert "Nothing was saved" in page
    assert not ProgrammePeriod.objects.filter(name="Overlapping").exists()


def test_end_before_start_and_negative_budget_are_refused(client, manager, db):
    log_in(client, manager)
    response = client.post(
        reverse("programmes:programme_period_create"),
        {
            "name": "Bad",
            "start_date": "2030-01-01",
            "end_date": "2029-01-01",
            "annual_budget": "-5",
        },
    )
    page = response.content.decode()
    assert "The end date must be after the start date." in page
    assert "The budget cannot be negative." in page
    assert not ProgrammePeriod.objects.exists()


def test_staff_see_periods_but_cannot_manage_them(client, staff, period):
    log_in(client, staff)
    assert client.get(reverse("programmes:programme_period_list")).status_code == 200
    response = client.post(
        reverse("programmes:programme_period_edit", args=[period.pk]),
        {"name": "Renamed", "start_date": "2026-01-01", "end_date": "2028-12-31"},
    )
    assert response.status_code == 403
    period.refresh_from_db()
    assert period.name == "Programme 2026–2028"


@time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0), tick=False)
def test_time_limited_agreement_outside_its_period_cannot_be_submitted(client, staff, period):
    agreement = AgreementFactory(
        complete=True,
        created_by=staff,
        agreement_type=AgreementType.TIME_LIMITED,
        programme_period=period,
        start_date=D(2028, 6, 1),
        end_date=D(2029, 5, 31),
    )
    log_in(client, staff)
    url = reverse("agreements:agreement_action", args=[agreement.pk, "submit"])
    response = client.post(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "must lie inside its programme period" in page
    # The message names the period's dates and the agreement's, in the user's format.
    assert "Programme 2026–2028 runs 2026-01-01 – 2028-12-31" in page
    assert "2028-06-01 – 2029-05-31" in page
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT

    agreement.end_date = D(2028, 12, 31)
    agreement.save()
    assert client.post(url).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Status.PENDING


@time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0), tick=False)
def test_time_limited_agreement_must_name_its_period_once_periods_exist(staff, period):
    agreement = AgreementFactory(complete=True, created_by=staff, programme_period=None)
    assert "Choose the programme period this time-limited agreement belongs to." in (
        agreement.completeness_problems()
    )


@time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0), tick=False)
def test_long_term_agreement_within_one_period_gets_a_warning_not_an_error(client, staff, period):
    agreement = AgreementFactory(
        complete=True,
        created_by=staff,
        agreement_type=AgreementType.LONG_TERM,
        start_date=D(2026, 4, 1),
        end_date=D(2027, 3, 31),
    )
    log_in(client, staff)
    url = reverse("agreements:agreement_action", args=[agreement.pk, "submit"])
    page = client.get(url).content.decode()
    assert "expected to reach beyond its programme period" in page
    response = client.post(url, follow=True)
    assert "expected to reach beyond its programme period" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Status.PENDING

    reaching_beyond = AgreementFactory(
        agreement_type=AgreementType.LONG_TERM, start_date=D(2026, 4, 1), end_date=D(2030, 3, 31)
    )
    assert reaching_beyond.programme_period_warnings() == []


def test_agreement_form_saves_the_period_and_the_list_filters_by_it(client, staff, period):
    inside = AgreementFactory(programme_period=period, title="Inom perioden")
    AgreementFactory(title="Utan period")
    log_in(client, staff)
    response = client.get(reverse("agreements:agreement_list"), {"programme_period": period.pk})
    page = response.content.decode()
    assert inside.title in page and "Utan period" not in page
    form_page = client.get(reverse("agreements:agreement_create")).content.decode()
    assert 'name="programme_period"' in form_page


@time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0), tick=False)
def test_renewal_of_a_time_limited_agreement_takes_the_period_of_its_new_start(staff, period):
    from agreements.services import agreement_renew

    nxt = ProgrammePeriod.objects.create(
        name="Programme 2029–2031", start_date=D(2029, 1, 1), end_date=D(2031, 12, 31)
    )
    old = AgreementFactory(
        approved=True, programme_period=period, start_date=D(2027, 1, 1), end_date=D(2028, 12, 31)
    )
    renewal = agreement_renew(agreement=old, user=staff)
    assert renewal.programme_period == nxt


def test_postgresql_itself_refuses_overlapping_periods(period):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite lets one writer in")
    # Written without clean(), as two saves at the same moment would be.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammePeriod.objects.create(
            name="Same last day", start_date=D(2028, 12, 31), end_date=D(2030, 1, 1)
        )
    ProgrammePeriod.objects.create(name="Next", start_date=D(2029, 1, 1), end_date=D(2031, 12, 31))
    assert ProgrammePeriod.objects.count() == 2
