"""Every endpoint of the API for every persona: no token, a staff member's and a
manager's token, one of a user without a role, and tokens that no longer work (revoked,
expired, of a user made inactive)."""

import pytest
from django.urls import reverse

from tests.api.bodies import agreement_body, dialogue_body, outcome_body
from tests.factories import (
    AgreementFactory,
    DialogueEntryFactory,
    EvaluationFactory,
    PartnerContactFactory,
    PartnerFactory,
)

# (method, URL name, what the URL needs, the body) -> what staff and managers get.
ENDPOINTS = {
    "schema": ("get", "api:schema", None, 200),
    "partner_list": ("get", "api:partner_list", None, 200),
    "partner_detail": ("get", "api:partner_detail", "partner", 200),
    "partner_dialogue": ("get", "api:partner_dialogue", "partner", 200),
    "dialogue_create": ("post", "api:partner_dialogue", "partner", 201),
    "agreement_list": ("get", "api:agreement_list", None, 200),
    "agreement_create": ("post", "api:agreement_list", None, 201),
    "agreement_detail": ("get", "api:agreement_detail", "agreement", 200),
    "obligation_list": ("get", "api:obligation_list", None, 200),
    "obligation_detail": ("get", "api:obligation_detail", "obligation", 200),
    "obligation_outcome": ("post", "api:obligation_outcome", "obligation", 200),
    "period_list": ("get", "api:period_list", None, 200),
    "evaluation_list": ("get", "api:evaluation_list", None, 200),
    "evaluation_detail": ("get", "api:evaluation_detail", "evaluation", 200),
    "budget": ("get", "api:budget", None, 200),
}

# What a user without a role is told: the reason of the rule the page asks too.
NO_ROLE_REASONS = {
    "partner_list": "You do not have access to the partner register.",
    "partner_detail": "You do not have access to the partner register.",
    "partner_dialogue": "You do not have access to the dialogue log.",
    "dialogue_create": "Only staff and managers can log conversations with partners.",
    "agreement_list": "You do not have access to agreements.",
    "agreement_create": "Only staff and managers can draft agreements.",
    "agreement_detail": "You do not have access to agreements.",
    "obligation_list": "You do not have access to agreements.",
    "obligation_detail": "You do not have access to agreements.",
    "obligation_outcome": "Only staff and managers can follow up obligations.",
    "period_list": "You do not have access to evaluations.",
    "evaluation_list": "You do not have access to evaluations.",
    "evaluation_detail": "You do not have access to evaluations.",
    "budget": "You do not have access to agreements.",
}


def test_every_api_url_is_listed():
    from api.urls import urlpatterns

    listed = {name for _method, name, _kwargs, _status in ENDPOINTS.values()}
    named = {f"api:{pattern.name}" for pattern in urlpatterns if pattern.name}
    assert named - {"api:docs"} == listed


@pytest.fixture
def objects(db, staff):
    partner = PartnerFactory(due_diligence_done=True)
    PartnerContactFactory(partner=partner)
    DialogueEntryFactory(partner=partner)
    agreement = AgreementFactory(approved=True, partner=partner, created_by=staff)
    evaluation = EvaluationFactory(period=agreement.evaluation_periods.get(number=1))
    return {
        "partner": {"pk": partner.pk},
        "agreement": {"pk": agreement.pk},
        "obligation": {"pk": agreement.obligations.first().pk},
        "evaluation": {"pk": evaluation.pk},
        "_partner": partner,
    }


def _call(api, objects, endpoint, user=None):
    method, name, needs, _status = ENDPOINTS[endpoint]
    url = reverse(name, kwargs=objects[needs] if needs else None)
    if method == "get":
        return api.get(url)
    body = {
        "dialogue_create": lambda: dialogue_body(objects["_partner"].responsible),
        "agreement_create": lambda: agreement_body(objects["_partner"]),
        "obligation_outcome": outcome_body,
    }[endpoint]()
    return api.post(url, body)


# Each persona's test calls every endpoint: one set of objects, not one per call.


@pytest.mark.parametrize("persona", ["staff_api", "manager_api"])
def test_staff_and_managers_with_a_token(request, objects, persona):
    api = request.getfixturevalue(persona)
    answers = {endpoint: _call(api, objects, endpoint) for endpoint in ENDPOINTS}
    assert {name: answer.status_code for name, answer in answers.items()} == {
        name: expected for name, (_m, _n, _k, expected) in ENDPOINTS.items()
    }


@pytest.mark.parametrize("persona", ["anonymous_api", "revoked_api", "expired_api", "inactive_api"])
def test_no_token_or_one_that_no_longer_works_is_a_401(request, objects, persona):
    api = request.getfixturevalue(persona)
    for endpoint in ENDPOINTS:
        response = _call(api, objects, endpoint)
        assert response.status_code == 401, (endpoint, response.content[:300])
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_user_without_a_role_is_refused_with_the_pages_reason(no_role_api, objects):
    answers = {endpoint: _call(no_role_api, objects, endpoint) for endpoint in NO_ROLE_REASONS}
    assert {name: (answer.status_code, answer.json()) for name, answer in answers.items()} == {
        name: (403, {"detail": reason}) for name, reason in NO_ROLE_REASONS.items()
    }


def test_the_schema_is_open_to_any_token_holder(no_role_api, db):
    assert no_role_api.get(reverse("api:schema")).status_code == 200


def test_the_reference_page_is_for_logged_in_people(client, staff):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(staff)
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


def test_a_session_reads_the_api_as_the_reference_page_does(staff_client, objects):
    response = staff_client.get(reverse("api:partner_list"))
    assert response.status_code == 200


def test_a_session_write_needs_the_csrf_token(staff, objects):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(
        reverse("api:agreement_list"),
        agreement_body(objects["_partner"]),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
