"""Writes through the API go through the pages' forms and services: the same rules with
the same messages, refused where the page refuses, and recorded in the history with the
token's user."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementEvent, Fulfilment, Obligation
from partnerships.models import DialogueEntry
from tests.api.bodies import agreement_body, dialogue_body, outcome_body
from tests.api.conftest import ApiClient, token_for
from tests.factories import AgreementFactory, ObligationFactory, PartnerFactory

TODAY = timezone.localdate
ERROR = re.compile(r'<p class="error"[^>]*>(.*?)</p>', re.S)


def page_errors(response) -> set[str]:
    return {html.unescape(text).strip() for text in ERROR.findall(response.content.decode())}


def flat(errors) -> set[str]:
    """Every message in an API error body, however nested (rows of goals ...)."""
    if isinstance(errors, dict):
        return set().union(*(flat(value) for value in errors.values())) if errors else set()
    if isinstance(errors, list):
        return set().union(*(flat(value) for value in errors)) if errors else set()
    return {errors}


# Drafting an agreement


def test_a_draft_is_made_with_its_goals_and_obligations(staff_api, staff):
    partner = PartnerFactory()
    response = staff_api.post(reverse("api:agreement_list"), agreement_body(partner))
    assert response.status_code == 201, response.json()
    made = response.json()
    agreement = Agreement.objects.get(pk=made["id"])
    assert made["reference"] == agreement.reference and agreement.reference.startswith("AGR-")
    assert (agreement.status, agreement.created_by, agreement.responsible) == (
        "draft",
        staff,
        staff,
    )
    assert [goal["unit"] for goal in made["goals"]] == ["barn"]
    assert sorted(o["side"] for o in made["obligations"]) == ["ours", "partner"]
    assert AgreementEvent.objects.get(agreement=agreement).actor == staff
    # The history names the token's user, as it names the person on the page.
    assert {record.history_user for record in agreement.history.all()} == {staff}
    assert {record.history_user for record in agreement.goals.first().history.all()} == {staff}


@pytest.mark.parametrize(
    "change",
    [
        {"title": ""},
        {"end_date": "2020-01-01"},
        {"agreement_type": "forever"},
        {"economic_amount": "-5"},
    ],
    ids=["no title", "end before start", "unknown type", "negative amount"],
)
def test_a_draft_is_refused_with_the_pages_message(staff_api, staff, staff_client, change):
    from tests.agreements.test_views import agreement_data

    partner = PartnerFactory()
    response = staff_api.post(reverse("api:agreement_list"), agreement_body(partner, **change))
    assert response.status_code == 400
    page = staff_client.post(
        reverse("agreements:agreement_create"), agreement_data(partner, staff, **change)
    )
    assert page.status_code == 200  # the form again, with its errors
    field = next(iter(change))
    assert set(response.json()[field]) == page_errors(page) - {""}
    assert not Agreement.objects.exists()


def test_each_goal_and_obligation_row_answers_for_itself(staff_api):
    body = agreement_body(PartnerFactory())
    body["goals"][0]["unit"] = ""
    body["obligations"].append({"side": "partner", "description": "Utan kategori"})
    response = staff_api.post(reverse("api:agreement_list"), body)
    assert response.status_code == 400
    errors = response.json()
    assert errors["goals"] == [{"unit": ["Give the unit, for example “participants”."]}]
    assert errors["obligations"] == [{}, {}, {"category": ["Choose a category."]}]
    assert not Agreement.objects.exists()


def test_an_archived_partner_is_not_offered(staff_api):
    response = staff_api.post(
        reverse("api:agreement_list"), agreement_body(PartnerFactory(archived=True))
    )
    assert response.status_code == 400
    assert response.json() == {
        "partner": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_messages_are_in_the_users_language(staff):
    staff.language = "sv"
    staff.save()
    api = ApiClient(token_for(staff))
    response = api.post(reverse("api:agreement_list"), agreement_body(PartnerFactory(), title=""))
    assert response.json()["title"] == ["Ge avtalet en rubrik."]


@pytest.mark.parametrize(
    "body,errors",
    [
        ([1, 2], {"non_field_errors": ["Send a JSON object."]}),
        ({"title": ["a", "b"]}, {"title": ["Send a single value, not a list or an object."]}),
        ({"goals": {"description": "x"}}, {"goals": ["Send a list of objects."]}),
    ],
)
def test_a_body_of_the_wrong_shape_is_refused(staff_api, body, errors):
    response = staff_api.post(reverse("api:agreement_list"), body)
    assert (response.status_code, response.json()) == (400, errors)


def test_a_body_too_large_is_refused(staff_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = staff_api.post(reverse("api:agreement_list"), {"title": "x" * 2000})
    assert response.status_code == 413


# Following up an obligation


@pytest.fixture
def obligation(staff):
    agreement = AgreementFactory(approved=True, created_by=staff)
    return ObligationFactory(
        agreement=agreement, due_date=TODAY() - datetime.timedelta(days=3), fulfilment_note="Väntar"
    )


def test_an_obligation_is_followed_up(staff_api, staff, obligation):
    url = reverse("api:obligation_outcome", args=[obligation.pk])
    response = staff_api.post(url, {"fulfilment": "fulfilled", "fulfilled_on": TODAY().isoformat()})
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert (answer["fulfilment"], answer["overdue"]) == ("fulfilled", False)
    assert answer["fulfilment_note"] == "Väntar"  # left out: kept, as the page shows it
    obligation.refresh_from_db()
    assert (obligation.fulfilment, obligation.fulfilment_recorded_by) == ("fulfilled", staff)
    assert obligation.history.order_by("-history_id").first().history_user == staff


@pytest.mark.parametrize(
    "body",
    [
        {"fulfilment": "fulfilled", "fulfilled_on": ""},
        {"fulfilment": "fulfilled", "fulfilled_on": "2999-01-01"},
        {"fulfilment": "not_fulfilled", "fulfilment_note": " "},
        {"fulfilment": "ended_by_termination"},
    ],
)
def test_a_bad_outcome_is_refused_with_the_pages_message(staff_api, staff_client, obligation, body):
    response = staff_api.post(reverse("api:obligation_outcome", args=[obligation.pk]), body)
    assert response.status_code == 400
    page = staff_client.post(
        reverse("agreements:obligation_outcome", args=[obligation.agreement_id, obligation.pk]),
        {"fulfilled_on": "", "fulfilment_note": "", **body},
    )
    assert flat(response.json()) == page_errors(page)
    obligation.refresh_from_db()
    assert obligation.fulfilment == Fulfilment.OPEN


def test_obligations_of_a_draft_are_refused_as_on_the_page(staff_api, staff_client, staff):
    draft = AgreementFactory(complete=True, created_by=staff)
    obligation = draft.obligations.first()
    response = staff_api.post(
        reverse("api:obligation_outcome", args=[obligation.pk]), outcome_body()
    )
    page = staff_client.post(
        reverse("agreements:obligation_outcome", args=[draft.pk, obligation.pk]), outcome_body()
    )
    reason = "Obligations are followed up once the agreement is approved; this one is draft."
    assert (response.status_code, response.json()) == (403, {"detail": reason})
    assert page.status_code == 403 and reason in page.content.decode()
    assert Obligation.objects.get(pk=obligation.pk).fulfilment == Fulfilment.OPEN


# Logging a conversation


def test_a_conversation_is_logged_with_its_follow_ups(staff_api, staff):
    partner = PartnerFactory(responsible=staff)
    response = staff_api.post(
        reverse("api:partner_dialogue", args=[partner.pk]), dialogue_body(staff)
    )
    assert response.status_code == 201, response.json()
    entry = DialogueEntry.objects.get(pk=response.json()["id"])
    assert entry.created_by == staff
    assert list(entry.our_participants.all()) == [staff]  # left out: you, as on the page
    assert [f["description"] for f in response.json()["follow_ups"]] == [
        "Skicka mall för årsrapporten."
    ]
    assert {record.history_user for record in entry.history.all()} == {staff}


def test_a_conversation_in_the_future_or_a_follow_up_before_it_is_refused(staff_api, staff):
    partner = PartnerFactory(responsible=staff)
    url = reverse("api:partner_dialogue", args=[partner.pk])
    future = staff_api.post(url, dialogue_body(staff, date="2999-01-01"))
    assert future.json() == {
        "date": ["The date cannot be in the future. Log a conversation once it has taken place."]
    }
    body = dialogue_body(staff)
    body["follow_ups"][0]["due_date"] = "2000-01-01"
    early = staff_api.post(url, body)
    assert early.json() == {
        "follow_ups": [
            {"due_date": ["The due date cannot be before the date of the conversation."]}
        ]
    }
    assert not DialogueEntry.objects.exists()


def test_an_archived_partners_log_is_closed_as_on_the_page(staff_api, staff, staff_client):
    partner = PartnerFactory(archived=True)
    response = staff_api.post(
        reverse("api:partner_dialogue", args=[partner.pk]), dialogue_body(staff)
    )
    reason = "This partner is archived. Restore it before logging a conversation."
    assert (response.status_code, response.json()) == (403, {"detail": reason})
    page = staff_client.get(f"/partners/{partner.pk}/dialogue/new/")
    assert page.status_code == 403 and reason in page.content.decode()


def test_a_missing_record_is_a_404(staff_api):
    assert staff_api.post(reverse("api:obligation_outcome", args=[999]), {}).status_code == 404
    assert staff_api.post(reverse("api:partner_dialogue", args=[999]), {}).status_code == 404
