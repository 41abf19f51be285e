"""The evaluation of a period builds on the dialogue with the partner in that period."""

import datetime

import pytest
from django.utils import timezone

from partnerships import services
from tests.conftest import log_in
from tests.factories import (
    AgreementFactory,
    DialogueEntryFactory,
    DialogueFollowUpFactory,
    EvaluationFactory,
)


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def agreement(db, staff):
    """In its second year: year 1 runs from 500 days ago to 136 days ago."""
    return AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=days(-500),
        end_date=days(-500) + datetime.timedelta(days=3 * 365),
    )


@pytest.fixture
def dialogue(agreement):
    partner = agreement.partner
    period = agreement.evaluation_periods.get(number=1)
    assert (period.start_date, period.end_date) == (days(-500), days(-136))
    return {
        "first day": DialogueEntryFactory(
            partner=partner, date=period.start_date, topics="Startmöte om målen"
        ),
        "last day": DialogueEntryFactory(
            partner=partner,
            date=period.end_date,
            kind="workshop",
            topics="Verkstad om rapporten",
            learned="Målgruppen vill vara med och planera.",
            agreement=agreement,
        ),
        "before": DialogueEntryFactory(
            partner=partner, date=period.start_date - datetime.timedelta(days=1), topics="Före"
        ),
        "next year": DialogueEntryFactory(
            partner=partner, date=period.end_date + datetime.timedelta(days=1), topics="År två"
        ),
        "other partner": DialogueEntryFactory(date=days(-300), topics="Någon annans möte"),
    }


def test_the_evaluation_form_shows_the_dialogue_of_its_period(staff_client, agreement, dialogue):
    response = staff_client.get(f"/evaluations/agreement/{agreement.pk}/year/1/")
    assert response.status_code == 200
    assert response.context["dialogue_entries"] == [dialogue["first day"], dialogue["last day"]]
    html = response.content.decode()
    assert "Dialogue in this period" in html
    assert "Startmöte om målen" in html and "Verkstad om rapporten" in html
    assert "Målgruppen vill vara med och planera." in html
    for left_out in ("Före", "År två", "Någon annans möte"):
        assert left_out not in html


def test_the_form_shows_open_follow_ups_and_leaves_out_done_ones(
    staff_client, staff, agreement, dialogue
):
    entry = dialogue["last day"]
    DialogueFollowUpFactory(entry=entry, owner=staff, description="Bjud in ungdomsrådet")
    done = DialogueFollowUpFactory(entry=entry, owner=staff, description="Skicka protokollet")
    services.follow_up_complete(follow_up=done, user=staff)
    html = staff_client.get(f"/evaluations/agreement/{agreement.pk}/year/1/").content.decode()
    assert "Bjud in ungdomsrådet" in html
    assert "Skicka protokollet" not in html
    assert "Mark done" not in html  # read-only here


def test_a_period_without_dialogue_says_so(staff_client, agreement):
    html = staff_client.get(f"/evaluations/agreement/{agreement.pk}/year/1/").content.decode()
    assert "No conversations with the partner were logged in this period." in html


def test_the_draft_and_the_completed_evaluation_show_it_too(client, staff, agreement, dialogue):
    period = agreement.evaluation_periods.get(number=1)
    draft = EvaluationFactory(period=period, evaluator=staff)
    log_in(client, staff)
    html = client.get(f"/evaluations/{draft.pk}/edit/").content.decode()
    assert "Verkstad om rapporten" in html and "År två" not in html
    html = client.get(f"/evaluations/{draft.pk}/").content.decode()
    assert "Dialogue in this period" in html
    assert "Startmöte om målen" in html and "Före" not in html


def test_the_second_year_shows_its_own_dialogue(staff_client, agreement, dialogue):
    response = staff_client.get(f"/evaluations/agreement/{agreement.pk}/year/2/")
    assert response.context["dialogue_entries"] == [dialogue["next year"]]


def test_the_dialogue_costs_the_same_queries_however_long_it_is(client, staff, agreement, dialogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    log_in(client, staff)
    url = f"/evaluations/agreement/{agreement.pk}/year/1/"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(10):
        entry = DialogueEntryFactory(partner=agreement.partner, date=days(-400 + number))
        entry.our_participants.add(staff)
        DialogueFollowUpFactory.create_batch(2, entry=entry, owner=staff)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["dialogue_entries"]) == 12
    assert len(many) == len(few)
