"""Reading through the API: the pages' filters (one definition, two uses), cursor pages
in a stable order, due diligence for managers only, a fixed number of queries a page,
and a limit of requests per token."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import budget
from tests.api.conftest import ApiClient, token_for
from tests.factories import (
    AgreementFactory,
    EvaluationFactory,
    ObligationFactory,
    PartnerContactFactory,
    PartnerFactory,
)

TODAY = timezone.localdate


def walk(api, url, params=None):
    """Every row of a list, following the `next` cursors."""
    rows, response = [], api.get(url, params)
    while True:
        assert response.status_code == 200, response.json()
        rows += response.json()["results"]
        if not response.json()["next"]:
            return rows
        response = api.get(response.json()["next"])


def test_due_diligence_and_risk_are_for_managers(manager_api, staff_api):
    partner = PartnerFactory(due_diligence_done=True, risk_level="high")
    PartnerContactFactory(partner=partner, name="Sara Nyström")
    url = reverse("api:partner_detail", args=[partner.pk])
    seen_by_manager = manager_api.get(url).json()
    assert seen_by_manager["due_diligence"]["risk_level"] == "high"
    assert seen_by_manager["due_diligence"]["complete"] is True
    assert [contact["name"] for contact in seen_by_manager["contacts"]] == ["Sara Nyström"]
    seen_by_staff = staff_api.get(url).json()
    assert seen_by_staff["due_diligence"] is None
    assert seen_by_staff["contacts"] == seen_by_manager["contacts"]


def test_staff_cannot_find_partners_by_risk_either(manager_api, staff_api):
    risky = PartnerFactory(due_diligence_done=True, risk_level="high")
    PartnerFactory(due_diligence_done=True)
    params = {"risk_level": "high"}
    assert [p["id"] for p in walk(manager_api, reverse("api:partner_list"), params)] == [risky.pk]
    refused = staff_api.get(reverse("api:partner_list"), {"due_diligence": "incomplete"})
    assert (refused.status_code, refused.json()) == (
        400,
        {"due_diligence": ["Only managers see partners' due diligence and risk through the API."]},
    )


def test_the_agreement_filters_are_the_list_pages(staff_api, staff_client):
    running = AgreementFactory(approved=True)
    AgreementFactory(approved=True, start_date=TODAY() + datetime.timedelta(days=5))
    AgreementFactory(complete=True)
    api_ids = [a["id"] for a in walk(staff_api, reverse("api:agreement_list"), {"state": "active"})]
    page = staff_client.get(reverse("agreements:agreement_list"), {"state": "active"})
    assert api_ids == [a.pk for a in page.context["page"].object_list] == [running.pk]


@pytest.mark.parametrize(
    "params,field",
    [
        ({"ends_within": "-1"}, "ends_within"),
        ({"ends_within": "1e20"}, "ends_within"),
        ({"state": "sleeping"}, "state"),
        ({"start_date_after": "someday"}, "start_date"),
    ],
)
def test_an_invalid_filter_is_a_400_with_the_pages_message(staff_api, staff_client, params, field):
    AgreementFactory(approved=True)
    response = staff_api.get(reverse("api:agreement_list"), params)
    assert response.status_code == 400
    page = staff_client.get(reverse("agreements:agreement_list"), params)
    # The page shows the same error next to the field, and no rows (it fails closed).
    assert page.status_code == 200
    assert page.context["filter"].errors[field] == response.json()[field]
    assert list(page.context["page"].object_list) == []


def test_a_year_beyond_the_calendar_is_refused_not_a_server_error(staff_api, staff_client):
    response = staff_api.get(reverse("api:evaluation_list"), {"year": "100000"})
    assert response.json() == {"year": ["Give a year from 1900 to 2199."]}  # the page's message
    assert (
        staff_client.get(reverse("evaluations:evaluation_records"), {"year": "100000"}).status_code
        == 200
    )


def test_cursor_pages_keep_rows_that_tie_in_place(staff_api):
    start = TODAY() - datetime.timedelta(days=10)
    same_day = [AgreementFactory(start_date=start) for _ in range(5)]
    later = AgreementFactory(start_date=start + datetime.timedelta(days=1))
    rows = walk(staff_api, reverse("api:agreement_list"), {"page_size": 2})
    expected = [later.pk] + sorted((a.pk for a in same_day), reverse=True)
    assert [row["id"] for row in rows] == expected
    by_end = walk(staff_api, reverse("api:agreement_list"), {"page_size": 2, "ordering": "end"})
    assert sorted(row["id"] for row in by_end) == sorted(expected)
    assert staff_api.get(reverse("api:agreement_list"), {"cursor": "nonsense"}).json() == {
        "cursor": ["This cursor is not one the API gave out."]
    }


def _queries(api, url):
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name",
    [
        "api:agreement_list",
        "api:partner_list",
        "api:obligation_list",
        "api:evaluation_list",
        "api:period_list",
    ],
)
def test_a_page_costs_the_same_queries_for_few_rows_or_many(manager_api, name):
    def more():
        agreement = AgreementFactory(approved=True)
        PartnerContactFactory(partner=agreement.partner)
        ObligationFactory(agreement=agreement, due_date=TODAY() - datetime.timedelta(days=1))
        EvaluationFactory(period=agreement.evaluation_periods.get(number=1), completed=True)

    more()
    _queries(manager_api, reverse(name))  # the token's first use of the minute is recorded
    few = _queries(manager_api, reverse(name))
    for _ in range(4):
        more()
    assert _queries(manager_api, reverse(name)) == few


def test_an_agreements_page_shows_its_periods_and_history(staff_api):
    agreement = AgreementFactory(approved=True)
    EvaluationFactory(period=agreement.evaluation_periods.get(number=1), completed=True)
    answer = staff_api.get(reverse("api:agreement_detail", args=[agreement.pk])).json()
    assert answer["phase"] == "active" and answer["status"] == "approved"
    first, second = answer["evaluation_periods"][:2]
    assert (first["number"], first["state"], len(first["evaluations"])) == (1, "done", 1)
    assert (second["number"], second["state"]) == (2, "not_started")


def test_evaluations_come_with_their_goal_results(staff_api):
    agreement = AgreementFactory(approved=True)
    evaluation = EvaluationFactory(
        period=agreement.evaluation_periods.get(number=1), completed=True
    )
    answer = staff_api.get(reverse("api:evaluation_detail", args=[evaluation.pk])).json()
    goal = agreement.goals.get()
    assert answer["results"] == [
        {
            "goal": goal.pk,
            "measured_value": "120.00",
            "assessment": "",
            "achievement": "achieved",
            "comment": "",
            "percent_of_target": "100",
        }
    ]
    overdue = staff_api.get(reverse("api:period_list"), {"state": "evaluated"}).json()
    assert [period["id"] for period in overdue["results"]] == [evaluation.period_id]


def test_the_budget_is_the_budget_pages(staff_api):
    AgreementFactory(approved=True, economic_amount="36500.00")
    answer = staff_api.get(reverse("api:budget"), {"first_year": 2024, "last_year": 2030}).json()
    lines = budget.years_overview(2024, 2030)
    assert [line["label"] for line in answer["years"]] == [line.label for line in lines]
    assert [Decimal(line["committed"]) for line in answer["years"]] == [
        line.committed for line in lines
    ]
    refused = staff_api.get(reverse("api:budget"), {"first_year": 2030, "last_year": 2024})
    assert refused.json() == {"last_year": ["The last year cannot be before the first."]}


def test_each_token_has_its_own_allowance(staff, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    busy, other = ApiClient(token_for(staff)), ApiClient(token_for(staff))
    url = reverse("api:partner_list")
    assert [busy.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert int(busy.get(url)["Retry-After"]) > 0
    assert other.get(url).status_code == 200


def test_a_tokens_use_is_recorded(staff):
    from accounts.models import ApiToken

    ApiClient(token_for(staff)).get(reverse("api:partner_list"))
    assert ApiToken.objects.get(user=staff).last_used_at is not None


def test_an_amended_agreement_reads_as_amended(staff_api, staff, manager):
    """The terms and goals of the latest approved terms version, its number, and the
    approved amendments; the goal an amendment replaced is not among the goals."""
    from agreements import services
    from tests.agreements.amending import form_data, save
    from tests.agreements.test_services import NO_INTEREST

    agreement = AgreementFactory(approved=True, created_by=staff)
    goal = agreement.goals.first()
    data = form_data(agreement)
    index = next(n for n in range(9) if data.get(f"goals-{n}-goal") == str(goal.pk))
    amendment = save(
        agreement,
        staff,
        types=["economic_contribution", "goals"],
        economic_amount="123456.00",
        effective_date=(TODAY() + datetime.timedelta(days=5)).isoformat(),
        reason="Budgeten reviderades.",
        **{f"goals-{index}-description": "Ett tydligare mål"},
    )
    services.amendment_transition(amendment=amendment, action="submit", user=staff)
    services.amendment_transition(
        amendment=amendment, action="approve", user=manager, statement=NO_INTEREST
    )

    for url in (
        reverse("api:agreement_detail", args=[agreement.pk]),
        reverse("api:agreement_list"),
    ):
        answer = staff_api.get(url).json()
        row = answer["results"][0] if "results" in answer else answer
        assert row["economic_amount"] == "123456.00"
        assert row["terms_version"] == 2
        assert [(a["number"], a["types"], a["reason"]) for a in row["amendments"]] == [
            (1, ["goals", "economic_contribution"], "Budgeten reviderades.")
        ]
        descriptions = [g["description"] for g in row["goals"]]
        assert "Ett tydligare mål" in descriptions and goal.description not in descriptions
