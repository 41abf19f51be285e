"""The same write sent twice at the same moment (a double click, two tabs, two managers):
one lands, the other is told why not, and nothing is doubled.

Each request runs in a thread of its own with its own database connection, through the
whole Django stack, released together by a barrier. On PostgreSQL the requests truly
overlap; SQLite lets one writer in at a time (BEGIN IMMEDIATE, config/settings.py), and
the same tests show it behaves."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client

from agreements.models import Agreement, ProgrammePeriod, Status
from evaluations.models import Evaluation
from tests.conftest import log_in
from tests.evaluations.test_views import evaluation_post, months_ago
from tests.factories import AgreementFactory, GoalFactory, UserFactory


def at_once(*requests):
    """Run the callables at the same moment, each in its own thread; their results in
    order (an exception a thread raised is raised here)."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, request):
        try:
            barrier.wait(timeout=30)
            results[index] = request()
        except BaseException as error:  # handed to the test below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


def signed_in(user) -> Client:
    return log_in(Client(), user)


def late_agreement_for(staff) -> Agreement:
    """Started 13 months ago, its first year not evaluated, one goal."""
    agreement = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=months_ago(13),
        end_date=months_ago(13) + datetime.timedelta(days=3 * 365),
    )
    GoalFactory(agreement=agreement)
    return agreement


def messages_after(client, response) -> list[str]:
    """The flash messages of the page a redirect leads to."""
    page = client.get(response["Location"])
    return [str(message) for message in page.context["messages"]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_clicked_renew_makes_one_draft_and_both_clicks_land_on_it():
    author = UserFactory(staff=True)
    old = AgreementFactory(
        approved=True,
        created_by=author,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    clicks = [signed_in(author), signed_in(author)]
    url = f"/agreements/{old.pk}/renew/"

    responses = at_once(*(lambda c=client: c.post(url) for client in clicks))

    renewal = Agreement.objects.get(follows=old)
    assert renewal.status == Status.DRAFT
    edit = f"/agreements/{renewal.pk}/edit/"
    assert [response.status_code for response in responses] == [302, 302]
    assert [response["Location"] for response in responses] == [edit, edit]
    texts = [
        " ".join(messages_after(client, response))
        for client, response in zip(clicks, responses, strict=True)
    ]
    assert sum(f"Draft {renewal.reference} follows" in text for text in texts) == 1
    assert sum(f"{renewal.reference} already follows" in text for text in texts) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_saves_of_an_evaluation_make_one_draft_and_the_other_is_told():
    staff = UserFactory(staff=True)
    agreement = late_agreement_for(staff)
    url = f"/evaluations/agreement/{agreement.pk}/year/1/"
    tabs = [signed_in(staff), signed_in(staff)]
    forms = [evaluation_post(agreement, lessons_learned=f"Tab {number}.") for number in (1, 2)]

    responses = at_once(
        *(lambda c=client, d=data: c.post(url, d) for client, data in zip(tabs, forms, strict=True))
    )

    draft = Evaluation.objects.get()
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 302]
    told = next(response for response in responses if response.status_code == 200)
    html = told.content.decode()
    assert "Someone started an evaluation of this period after you opened the form" in html
    kept = "Tab 2." if draft.lessons_learned == "Tab 1." else "Tab 1."
    assert kept in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_managers_creating_overlapping_programme_periods_at_once_make_one():
    managers = [signed_in(UserFactory(manager=True)) for _ in range(2)]
    forms = [
        {"name": "Programme 2030–2032", "start_date": "2030-01-01", "end_date": "2032-12-31"},
        {"name": "Programme 2031–2033", "start_date": "2031-01-01", "end_date": "2033-12-31"},
    ]

    responses = at_once(
        *(
            lambda c=client, d=data: c.post("/programme-periods/new/", d)
            for client, data in zip(managers, forms, strict=True)
        )
    )

    assert ProgrammePeriod.objects.count() == 1
    assert sorted(response.status_code for response in responses) == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    created = ProgrammePeriod.objects.get()
    assert f"Programme periods cannot overlap: {created.name} runs" in refused.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_programme_periods_of_one_name_at_once_make_one_and_a_message():
    managers = [signed_in(UserFactory(manager=True)) for _ in range(2)]
    forms = [
        {"name": "Programme", "start_date": "2030-01-01", "end_date": "2030-12-31"},
        {"name": "Programme", "start_date": "2035-01-01", "end_date": "2035-12-31"},
    ]

    responses = at_once(
        *(
            lambda c=client, d=data: c.post("/programme-periods/new/", d)
            for client, data in zip(managers, forms, strict=True)
        )
    )

    assert ProgrammePeriod.objects.count() == 1
    assert sorted(response.status_code for response in responses) == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    assert "A programme period with this name exists already." in refused.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_managers_reopening_an_evaluation_at_once_reopen_it_once():
    from evaluations.models import EvaluationEvent
    from tests.factories import EvaluationFactory

    agreement = late_agreement_for(UserFactory(staff=True))
    evaluation = EvaluationFactory(
        period=agreement.evaluation_periods.get(number=1), completed=True
    )
    managers = [signed_in(UserFactory(manager=True)) for _ in range(2)]
    url = f"/evaluations/{evaluation.pk}/reopen/"

    responses = at_once(
        *(lambda c=client: c.post(url, {"reason": "Fel belopp."}) for client in managers)
    )

    assert [response.status_code for response in responses] == [302, 302]
    assert EvaluationEvent.objects.filter(action="reopened").count() == 1
    texts = [
        " ".join(messages_after(client, response))
        for client, response in zip(managers, responses, strict=True)
    ]
    assert sum("The evaluation is reopened as a draft." in text for text in texts) == 1
