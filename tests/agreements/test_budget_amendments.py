"""The budget after an amendment of the contribution, against figures worked by hand:
the old terms count up to the day before the effective date, the rest of the amended
amount is spread over the days left. And the warning at submit and approval."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from agreements import budget, services
from agreements.models import ProgrammePeriod
from tests.agreements.amending import save
from tests.agreements.test_services import NO_INTEREST
from tests.conftest import log_in
from tests.factories import AgreementFactory, UserFactory

D = datetime.date


def _year(lines, year):
    return next(line for line in lines if line.label == str(year))


def _amend(agreement, author, approver, *, amount, effective):
    amendment = save(
        agreement,
        author,
        types=["economic_contribution"],
        economic_amount=amount,
        effective_date=effective.isoformat(),
        reason="Budgetrevision.",
    )
    services.amendment_transition(amendment=amendment, action="submit", user=author)
    services.amendment_transition(
        amendment=amendment, action="approve", user=approver, statement=NO_INTEREST
    )
    return amendment


@pytest.fixture
def two_year_agreement(staff):
    # 1 Jan 2026 – 31 Dec 2027: 730 days of 100 a day.
    return AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=D(2026, 1, 1),
        end_date=D(2027, 12, 31),
        economic_amount=Decimal("73000"),
    )


@time_machine.travel(D(2026, 6, 15), tick=False)
def test_the_old_amount_counts_until_the_day_before_and_the_rest_is_spread_after(
    two_year_agreement, staff, manager
):
    _amend(two_year_agreement, staff, manager, amount="109500", effective=D(2026, 7, 1))
    lines = budget.years_overview(2026, 2027)
    # Up to 30 Jun 2026, 181 days at 100: 18,100. The rest, 109,500 − 18,100 = 91,400,
    # over the 549 days from 1 Jul 2026 (184 of them in 2026):
    # 91,400 × 184 / 549 = 30,633.151… → 30,633.15, and 60,766.85 in 2027.
    assert _year(lines, 2026).committed == Decimal("48733.15")
    assert _year(lines, 2027).committed == Decimal("60766.85")
    assert sum(_year(lines, y).committed for y in (2026, 2027)) == Decimal("109500.00")


@time_machine.travel(D(2026, 6, 15), tick=False)
def test_a_second_amendment_takes_over_from_its_own_effective_date(
    two_year_agreement, staff, manager
):
    _amend(two_year_agreement, staff, manager, amount="109500", effective=D(2026, 7, 1))
    with time_machine.travel(D(2026, 12, 1), tick=False):
        _amend(two_year_agreement, staff, manager, amount="120000", effective=D(2027, 1, 1))
    lines = budget.years_overview(2026, 2027)
    # 2026 stays as the first amendment left it; 2027 gets 120,000 − 48,733.15.
    assert _year(lines, 2026).committed == Decimal("48733.15")
    assert _year(lines, 2027).committed == Decimal("71266.85")


@time_machine.travel(D(2026, 6, 15), tick=False)
def test_an_agreement_amended_from_nothing_to_money_counts(staff, manager):
    agreement = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=D(2026, 1, 1),
        end_date=D(2026, 12, 31),
        economic_amount=Decimal("0"),
    )
    _amend(agreement, staff, manager, amount="18400", effective=D(2026, 7, 1))
    # Nothing before 1 Jul; 18,400 over the 184 days from then.
    assert _year(budget.years_overview(2026, 2026), 2026).committed == Decimal("18400.00")


@time_machine.travel(D(2026, 6, 15), tick=False)
def test_submitting_an_amendment_that_takes_a_year_over_budget_warns(
    client, two_year_agreement, staff, manager
):
    ProgrammePeriod.objects.create(
        name="P", start_date=D(2026, 1, 1), end_date=D(2027, 12, 31), annual_budget=100000
    )
    AgreementFactory(
        approved=True,
        start_date=D(2027, 1, 1),
        end_date=D(2027, 12, 31),
        economic_amount=Decimal("60000"),
    )
    amendment = save(
        two_year_agreement,
        staff,
        types=["economic_contribution"],
        economic_amount="109500",
        effective_date="2026-07-01",
        reason="Budgetrevision.",
    )
    expected = [
        "Approving this amendment takes 2027 over budget: SEK\u00a060,000.00 is committed by "
        "other agreements, and this agreement's share rises from SEK\u00a036,500.00 to "
        "SEK\u00a060,766.85, against a budget of SEK\u00a0100,000.00."
    ]
    assert budget.amendment_budget_warnings(amendment) == expected
    log_in(client, staff)
    url = reverse("agreements:amendment_action", args=[two_year_agreement.pk, 1, "submit"])
    assert expected[0] in client.get(url).content.decode().replace("&#x27;", "'")
    response = client.post(url, follow=True)
    assert expected[0] in [str(m) for m in response.context["messages"]]
    log_in(client, UserFactory(manager=True))
    url = reverse("agreements:amendment_action", args=[two_year_agreement.pk, 1, "approve"])
    assert expected[0] in client.get(url).content.decode().replace("&#x27;", "'")


@time_machine.travel(D(2026, 6, 15), tick=False)
def test_an_amendment_lowering_the_contribution_does_not_warn(two_year_agreement, staff):
    ProgrammePeriod.objects.create(
        name="P", start_date=D(2026, 1, 1), end_date=D(2027, 12, 31), annual_budget=1
    )
    amendment = save(
        two_year_agreement,
        staff,
        types=["economic_contribution"],
        economic_amount="50000",
        effective_date="2026-07-01",
        reason="Mindre projekt.",
    )
    assert budget.amendment_budget_warnings(amendment) == []
