"""Budget sums against figures computed by hand, the page, and the warning at submit
and approval."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from agreements import budget
from agreements.models import ProgrammePeriod, Status
from tests.conftest import log_in
from tests.factories import AgreementFactory, PartnerFactory

D = datetime.date


def _agreement(start, end, amount, **traits):
    traits.setdefault("approved", True)
    return AgreementFactory(
        start_date=start, end_date=end, economic_amount=Decimal(amount), **traits
    )


def _year(lines, year):
    return next(line for line in lines if line.label == str(year))


@pytest.mark.django_db
def test_an_agreement_crossing_a_new_year_is_spread_by_days():
    # 1 Jul 2026 – 30 Jun 2027: 184 days in 2026, 181 in 2027, 365 in all.
    _agreement(D(2026, 7, 1), D(2027, 6, 30), "365000")
    lines = budget.years_overview(2026, 2027)
    assert _year(lines, 2026).committed == Decimal("184000.00")
    assert _year(lines, 2027).committed == Decimal("181000.00")


@pytest.mark.django_db
def test_leap_years_count_their_extra_day_and_no_cent_is_lost_to_rounding():
    # 1 Feb 2028 – 31 Jan 2029: 335 days of leap year 2028 and 31 of 2029, 366 in all.
    _agreement(D(2028, 2, 1), D(2029, 1, 31), "100000")
    # The whole leap year 2028: every one of its 366 days.
    _agreement(D(2028, 1, 1), D(2028, 12, 31), "366000")
    lines = budget.years_overview(2028, 2029)
    # 100000 × 335 / 366 = 91530.0546… → 91530.05; the rest, 8469.95, falls in 2029.
    assert _year(lines, 2028).committed == Decimal("91530.05") + Decimal("366000.00")
    assert _year(lines, 2029).committed == Decimal("8469.95")


@pytest.mark.django_db
def test_a_terminated_agreement_counts_only_until_the_termination_took_effect():
    # 730 days from 1 Jan 2026; terminated with effect from 1 Jul 2026: 181 days counted.
    _agreement(
        D(2026, 1, 1),
        D(2027, 12, 31),
        "73000",
        terminated=True,
        terminated_on=D(2026, 7, 1),
    )
    lines = budget.years_overview(2026, 2027)
    assert _year(lines, 2026).committed == Decimal("18100.00")  # 73000 × 181 / 730
    assert _year(lines, 2027).committed == Decimal("0")
    assert _year(lines, 2027).partner_count == 0


@pytest.mark.django_db
def test_other_currencies_are_listed_apart_and_drafts_and_pending_do_not_count():
    _agreement(D(2026, 1, 1), D(2026, 12, 31), "10000", currency="EUR")
    _agreement(D(2026, 1, 1), D(2026, 12, 31), "5000", approved=False)  # draft
    _agreement(D(2026, 1, 1), D(2026, 12, 31), "7000", approved=False, pending=True)
    line = _year(budget.years_overview(2026, 2026), 2026)
    assert line.committed == Decimal("0")
    assert line.other_currencies == {"EUR": (Decimal("10000.00"), 1)}


@pytest.mark.django_db
def test_budget_of_a_year_shared_by_two_programme_periods_and_concentration():
    ProgrammePeriod.objects.create(
        name="A", start_date=D(2025, 1, 1), end_date=D(2026, 6, 30), annual_budget=100000
    )
    ProgrammePeriod.objects.create(
        name="B", start_date=D(2026, 7, 1), end_date=D(2029, 6, 30), annual_budget=200000
    )
    big, small = PartnerFactory(name="Stora"), PartnerFactory(name="Lilla")
    _agreement(D(2026, 1, 1), D(2026, 12, 31), "120000", partner=big)
    _agreement(D(2026, 1, 1), D(2026, 12, 31), "40000", partner=big)
    _agreement(D(2026, 1, 1), D(2026, 12, 31), "40000", partner=small)
    line = _year(budget.years_overview(2026, 2026), 2026)
    # (100000 × 181 + 200000 × 184) / 365 = 150410.958… → 150410.96
    assert line.budget == Decimal("150410.96")
    assert line.committed == Decimal("200000.00")
    assert line.over_budget
    assert line.partner_count == 2
    assert [(share.name, share.amount, share.percent) for share in line.largest] == [
        ("Stora", Decimal("160000.00"), Decimal("80.00")),
        ("Lilla", Decimal("40000.00"), Decimal("20.00")),
    ]
    periods = budget.programme_period_overview()
    assert [p.label for p in periods] == ["A", "B"]
    assert periods[1].budget == Decimal("600000.00")  # three whole years of B


@pytest.mark.django_db
def test_budget_page_shows_the_years_commitments_against_budget_with_a_chart(client, staff):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0), tick=False):
        ProgrammePeriod.objects.create(
            name="Programme 2026–2028",
            start_date=D(2026, 1, 1),
            end_date=D(2028, 12, 31),
            annual_budget=100000,
        )
        _agreement(
            D(2026, 1, 1), D(2026, 12, 31), "150000", partner=PartnerFactory(name="Kulturhuset")
        )
        _agreement(D(2026, 1, 1), D(2026, 12, 31), "2500", currency="EUR")
        log_in(client, staff)
        response = client.get(reverse("budget"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'class="bar over"' in page
    assert "SEK\xa0150,000.00" in page and "SEK\xa0100,000.00" in page
    assert "Kulturhuset" in page and "100.0 %" in page
    assert "EUR\xa02,500.00" in page
    assert "spread evenly over the days" in page


@pytest.mark.django_db
def test_budget_page_in_swedish_writes_amounts_the_swedish_way(client, staff):
    staff.language = "sv"
    staff.save()
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0), tick=False):
        _agreement(D(2026, 1, 1), D(2026, 12, 31), "1234.50")
        log_in(client, staff)
        page = client.get(reverse("budget"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "1\xa0234,50\xa0kr" in page


@pytest.mark.django_db
def test_a_year_over_budget_is_a_warning_to_the_author_and_the_approving_manager(
    client, staff, manager
):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0), tick=False):
        ProgrammePeriod.objects.create(
            name="P", start_date=D(2026, 1, 1), end_date=D(2028, 12, 31), annual_budget=100000
        )
        _agreement(D(2026, 1, 1), D(2026, 12, 31), "80000")
        draft = _agreement(
            D(2026, 4, 1),
            D(2026, 12, 31),
            "50000",
            approved=False,
            complete=True,
            created_by=staff,
            programme_period=ProgrammePeriod.objects.get(),
        )
        log_in(client, staff)
        page = client.get(reverse("agreements:agreement_action", args=[draft.pk, "submit"]))
        assert "If it is approved, this agreement takes 2026 over budget by SEK\xa030,000.00" in (
            page.content.decode()
        )
        response = client.post(
            reverse("agreements:agreement_action", args=[draft.pk, "submit"]), follow=True
        )
        assert response.redirect_chain[0][1] == 302  # a warning, not a block
        assert "If it is approved, this agreement takes 2026 over budget" in (
            response.content.decode()
        )
        draft.refresh_from_db()
        assert draft.status == Status.PENDING

        log_in(client, manager)
        page = client.get(reverse("agreements:agreement_action", args=[draft.pk, "approve"]))
        text = page.content.decode()
        assert "If it is approved, this agreement takes 2026 over budget" in text
        assert "SEK\xa080,000.00" in text and "SEK\xa050,000.00" in text
        response = client.post(
            reverse("agreements:agreement_action", args=[draft.pk, "approve"]),
            {"conflict": "none"},
            follow=True,
        )
        draft.refresh_from_db()
        assert draft.status == Status.APPROVED
        # Beside "is approved" the warning says what the approval did, not what it would do.
        text = response.content.decode()
        assert f"{draft.reference} is approved." in text
        assert (
            "2026 is over budget by SEK\xa030,000.00: SEK\xa080,000.00 is committed by other"
            in text
        )
        assert "If it is approved" not in text


@pytest.mark.django_db
def test_budget_page_says_a_year_is_over_budget_by_how_much_not_a_negative_remainder(client, staff):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0), tick=False):
        ProgrammePeriod.objects.create(
            name="P", start_date=D(2026, 1, 1), end_date=D(2028, 12, 31), annual_budget=100000
        )
        _agreement(D(2026, 1, 1), D(2026, 12, 31), "130000.50")
        _agreement(D(2027, 1, 1), D(2027, 12, 31), "40000")
        log_in(client, staff)
        over = client.get(reverse("budget"), {"year": 2026}).content.decode()
        within = client.get(reverse("budget"), {"year": 2027}).content.decode()
    assert "over budget by SEK\xa030,000.50" in over
    assert "remaining SEK\xa0-" not in over and "remaining" not in over.split('id="year"')[1]
    assert "remaining SEK\xa060,000.00" in within


@pytest.mark.django_db
def test_no_warning_within_budget_or_in_another_currency():
    ProgrammePeriod.objects.create(
        name="P", start_date=D(2026, 1, 1), end_date=D(2028, 12, 31), annual_budget=100000
    )
    fits = _agreement(D(2026, 1, 1), D(2026, 12, 31), "100000", approved=False)
    foreign = _agreement(D(2026, 1, 1), D(2026, 12, 31), "900000", approved=False, currency="EUR")
    assert budget.budget_warnings(fits) == []
    assert budget.budget_warnings(foreign) == []


@pytest.mark.parametrize("count", [2, 20])
def test_budget_page_query_count_does_not_grow_with_agreements(
    client, staff, count, django_assert_max_num_queries
):
    ProgrammePeriod.objects.create(
        name="P", start_date=D(2025, 1, 1), end_date=D(2027, 12, 31), annual_budget=100000
    )
    for number in range(count):
        _agreement(D(2025, 1, 1), D(2026, 12, 31), str(1000 + number))
    log_in(client, staff)
    # Session, user, permissions; the year lines (agreements, their amended amounts,
    # periods), the chosen year's partners come from the same rows; the programme periods
    # (periods, agreements, their amended amounts).
    with django_assert_max_num_queries(11):
        assert client.get(reverse("budget")).status_code == 200
