"""Extreme and malformed values in every list filter: a page with the message next to
the filter, or a redirect to it, never a server error.

The filters are found from the FilterSet classes themselves, so a filter added later is
tried too; URLS says where each FilterSet is used, and a FilterSet missing there fails.
The budget page's year and the page number are not a FilterSet's: OTHER_PARAMETERS.
"""

import html
import importlib

import django_filters
import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core.filters import FilterSet
from tests.architecture.test_import_boundaries import OUR_APPS
from tests.factories import (
    AgreementFactory,
    DialogueFollowUpFactory,
    EvaluationFactory,
    EvaluationPeriodFactory,
)

# The list of each FilterSet first (its page shows the form), then what is made from
# the same parameters: exports and the summaries ZIP go back to the list when invalid.
URLS = {
    "AgreementFilter": ["/agreements/", "/agreements/export.csv", "/agreements/summaries.zip"],
    "EvaluationsDueFilter": ["/evaluations/"],
    "EvaluationFilter": ["/evaluations/recorded/", "/evaluations/recorded/export.csv"],
    "PartnerFilter": ["/partners/"],
    "PartnerReportFilter": ["/partner-portal/reports/"],
    "MutualReviewFilter": ["/partner-portal/reviews/"],
    # Used only by the API: no page of their own.
    "ObligationFilter": [],
    "EvaluationPeriodFilter": [],
}
# The API's lists filter with the same FilterSets: a value is rows (200) or a 400 that
# names the field.
API_URLS = {
    "AgreementFilter": "/api/v1/agreements/",
    "EvaluationFilter": "/api/v1/evaluations/",
    "PartnerFilter": "/api/v1/partners/",
    "ObligationFilter": "/api/v1/obligations/",
    "EvaluationPeriodFilter": "/api/v1/evaluation-periods/",
}
# Parameters that are not a FilterSet's, on the pages that read them.
OTHER_PARAMETERS = {
    "/": ["page", "ends_within", "year"],
    "/budget/": ["year"],
    "/partners/follow-ups/": ["page", "due"],
    "/agreements/new/": ["partner"],
}

HOSTILE_VALUES = [
    "",
    "0",
    "-0",
    "-1",
    "1.5",
    "1e400",
    "NaN",
    "Infinity",
    "1900",
    "2199",
    "2200",
    "3660",
    "3661",
    "99999999999",
    "-99999999999",
    "9" * 400,
    "0001-01-01",
    "1899-12-31",
    "1900-01-01",
    "2199-12-31",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "not-a-date",
    "text",
    "٣٣",
    "𝟗𝟗",
    "Åsa Öberg",
    "\u202e\u200b",
    "\x00",
    "' OR 1=1 --",
    "x" * 5000,
]
# The values that reach the date arithmetic or the database differently, and the
# bounds themselves, sent through every URL.
THROUGH_THE_URLS = ["3660", "2199-12-31", "99999999999", "9999-12-31", "\x00"]  # fmt: skip
# What a bounded filter (a number of days, a year, a date) must refuse with a message.
OUT_OF_BOUNDS = ["-1", "1e400", "99999999999", "0001-01-01", "9999-12-31"]


def _filterset_classes() -> dict:
    for app in OUR_APPS:
        try:
            importlib.import_module(f"{app}.filters")
        except ModuleNotFoundError:
            continue
    found, waiting = {}, list(FilterSet.__subclasses__())
    while waiting:
        cls = waiting.pop()
        found[cls.__name__] = cls
        waiting.extend(cls.__subclasses__())
    return found


def _parameters(filterset) -> list[tuple[str, str, bool]]:
    """(parameter, filter name, bounded) for each input of the filter form."""
    found = []
    for name, field in filterset.form.fields.items():
        suffixes = getattr(field.widget, "suffixes", None)
        bounded = isinstance(
            filterset.filters[name], (django_filters.NumberFilter, django_filters.RangeFilter)
        )
        for parameter in [f"{name}_{suffix}" for suffix in suffixes] if suffixes else [name]:
            found.append((parameter, name, bounded))
    return found


@pytest.fixture
def records(db, manager):
    agreement = AgreementFactory(approved=True, created_by=manager)
    period = EvaluationPeriodFactory(agreement=agreement)
    EvaluationFactory(period=period, evaluator=manager)
    AgreementFactory(terminated=True)
    DialogueFollowUpFactory(owner=manager, overdue=True)
    return agreement


def test_no_filter_value_gives_a_server_error(manager_client, manager, records, settings):
    settings.PDF_ZIP_MAX = 0  # the ZIP still counts its rows, without making PDFs
    request = RequestFactory().get("/")
    request.user = manager
    filtersets = _filterset_classes()
    assert set(filtersets) == set(URLS), "say in URLS where each FilterSet is used"
    for filterset_name, cls in sorted(filtersets.items()):
        queryset = _list_queryset(filterset_name)
        list_url, *derived_urls = URLS[filterset_name] or [None]
        api_url = API_URLS.get(filterset_name)
        for parameter, name, bounded in _parameters(cls(request=request)):
            # Every value straight through the FilterSet (a request for each would take
            # minutes): rows, or a message on the field and no rows.
            for value in HOSTILE_VALUES:
                filterset = cls({parameter: value}, queryset=queryset, request=request)
                list(filterset.qs[:5])
                errors = filterset.form.errors
                assert set(errors) <= set(filterset.form.fields), (parameter, value, errors)
                if bounded and value in OUT_OF_BOUNDS:
                    assert name in errors, (parameter, value)
                if errors:
                    assert not filterset.qs.exists(), (parameter, value)  # fails closed
            # The values that reach the arithmetic or the database differently, through
            # the list, its exports and the ZIP.
            for value in THROUGH_THE_URLS if api_url else []:
                cache.clear()  # the API's per-user throttle counts in the cache
                response = manager_client.get(api_url, {parameter: value})
                assert response.status_code in (200, 400), (api_url, parameter, value)
                if response.status_code == 400:
                    assert name in str(response.json()), (api_url, parameter, value)
            for value in THROUGH_THE_URLS if list_url else []:
                response = manager_client.get(list_url, {parameter: value})
                assert response.status_code == 200, (list_url, parameter, value)
                form = response.context["filter"].form
                page = response.content.decode()
                for error in form.errors.get(name, []):
                    assert html.escape(error) in page, (parameter, value, error)
                for url in derived_urls:
                    response = manager_client.get(url, {parameter: value})
                    assert response.status_code in (200, 302), (url, parameter, value)
                    if form.errors:  # back to the list, which says what is wrong
                        assert response.url.startswith(list_url), (url, parameter, value)
    # The dashboard and the pages that read other parameters.
    for url, parameters in OTHER_PARAMETERS.items():
        for value in THROUGH_THE_URLS:
            response = manager_client.get(url, dict.fromkeys(parameters, value))
            assert response.status_code == 200, (url, value)


def _list_queryset(filterset_name):
    from django.utils import timezone

    from agreements.models import Obligation
    from agreements.selectors import agreement_list_queryset
    from evaluations.models import EvaluationPeriod
    from evaluations.selectors import evaluation_list_queryset, evaluations_due_queryset
    from partnerships.selectors import partner_list_queryset
    from portal.models import MutualReviewRating
    from portal.selectors import report_list_queryset

    return {
        "ObligationFilter": Obligation.objects.all,
        "EvaluationPeriodFilter": EvaluationPeriod.objects.all,
        "AgreementFilter": agreement_list_queryset,
        "EvaluationsDueFilter": lambda: evaluations_due_queryset(timezone.localdate()),
        "EvaluationFilter": evaluation_list_queryset,
        "PartnerFilter": partner_list_queryset,
        "PartnerReportFilter": report_list_queryset,
        "MutualReviewFilter": MutualReviewRating.objects.all,
    }[filterset_name]()


def test_the_budget_year_out_of_bounds_is_refused_next_to_its_field(manager_client):
    response = manager_client.get("/budget/", {"year": "99999999999"})
    assert response.context["year_form"].errors["year"] == ["Give a year from 1900 to 2199."]
    assert "Give a year from 1900 to 2199." in response.content.decode()
