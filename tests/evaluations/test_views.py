"""Evaluations through their pages, and the service rules behind them."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from evaluations.models import Evaluation, EvaluationEvent, EvaluationStatus
from tests.factories import AgreementFactory, EvaluationFactory, GoalFactory, UserFactory

TODAY = timezone.localdate


def months_ago(months):
    return TODAY() - datetime.timedelta(days=round(months * 30.5))


@pytest.fixture
def late_agreement(db, staff):
    """Started 13 months ago, never evaluated: its first year is overdue."""
    agreement = AgreementFactory(
        approved=True,
        created_by=staff,
        title="Läslust i ytterområdena",
        start_date=months_ago(13),
        end_date=months_ago(13) + datetime.timedelta(days=3 * 365),
    )
    GoalFactory(
        agreement=agreement,
        kind="qualitative",
        description="Starkare läskultur",
        indicator="",
        baseline=None,
        target_value=None,
        unit="",
        expected_outcome="Lärarna ser en starkare läskultur.",
        assessment_method="Intervjuer",
    )
    return agreement


def evaluation_post(agreement, *, complete=False, **overrides):
    goals = list(agreement.goals.all())
    data = {
        "evaluator": agreement.responsible_id,
        "held_on": TODAY().isoformat(),
        "participants": "Sara Nyström (partner), Anna Lindqvist",
        "amount_spent": "45000",
        "resources_description": "Bokinköp och cirkelledare.",
        "partner_report_received": "on",
        "target_group_involvement": "Barnen valde böckerna.",
        "values_upheld": "yes",
        "lessons_learned": "Fler träffar på helger.",
        "overall_rating": "4",
        "recommendation": "continue",
    }
    for goal in goals:
        if goal.kind == "quantitative":
            data[f"results-measured_{goal.pk}"] = "90"
        else:
            data[f"results-assessment_{goal.pk}"] = "Tydligt starkare."
        data[f"results-achievement_{goal.pk}"] = "partly"
        data[f"results-comment_{goal.pk}"] = "Bra utveckling."
    if complete:
        data["complete"] = "1"
    data.update(overrides)
    return data


def test_overdue_agreement_shows_on_the_list_its_page_and_the_filter(staff_client, late_agreement):
    listing = staff_client.get("/evaluations/").content.decode()
    assert late_agreement.reference in listing and "Overdue" in listing
    filtered = staff_client.get("/evaluations/", {"due": "overdue"}).content.decode()
    assert late_agreement.reference in filtered
    page = staff_client.get(f"/agreements/{late_agreement.pk}/").content.decode()
    assert "Overdue" in page and "Evaluate year 1" in page


def test_staff_records_the_evaluation_and_it_is_no_longer_overdue(
    staff_client, staff, late_agreement
):
    url = f"/evaluations/agreement/{late_agreement.pk}/year/1/"
    form_page = staff_client.get(url).content.decode()
    for goal in late_agreement.goals.all():
        assert goal.description in form_page
    response = staff_client.post(url, evaluation_post(late_agreement, complete=True), follow=True)
    assert "Evaluation completed and locked." in response.content.decode()
    evaluation = Evaluation.objects.get()
    assert evaluation.status == EvaluationStatus.COMPLETED
    assert evaluation.results.count() == 2
    assert "90 barn (75% of the target 120)" in response.content.decode()

    assert (
        late_agreement.reference
        not in staff_client.get("/evaluations/", {"due": "overdue"}).content.decode()
    )
    page = staff_client.get(f"/agreements/{late_agreement.pk}/")
    html = page.content.decode()
    states = [row["state"] for row in page.context["evaluation_periods"]]
    assert states[:2] == ["done", "in_progress"]
    assert "Year 1: 90" in html  # the chart's bar for the measured value
    assert "target 120" in html


def test_a_draft_can_be_saved_and_finished_later(staff_client, late_agreement):
    url = f"/evaluations/agreement/{late_agreement.pk}/year/1/"
    data = evaluation_post(late_agreement, overall_rating="", recommendation="")
    response = staff_client.post(url, data, follow=True)
    assert "Draft evaluation saved" in response.content.decode()
    draft = Evaluation.objects.get()
    assert draft.status == EvaluationStatus.DRAFT
    # Coming back to the period continues the draft.
    assert staff_client.get(url).url == f"/evaluations/{draft.pk}/edit/"
    response = staff_client.post(
        f"/evaluations/{draft.pk}/edit/", evaluation_post(late_agreement, complete=True)
    )
    draft.refresh_from_db()
    assert draft.status == EvaluationStatus.COMPLETED


def test_completing_requires_a_result_for_every_goal(staff_client, late_agreement):
    goal = late_agreement.goals.filter(kind="quantitative").get()
    data = evaluation_post(late_agreement, complete=True, **{f"results-measured_{goal.pk}": ""})
    response = staff_client.post(f"/evaluations/agreement/{late_agreement.pk}/year/1/", data)
    html = response.content.decode()
    assert "cannot be completed yet" in html
    assert "Record the result for the goal “Fler barn läser på fritiden”." in html
    evaluation = Evaluation.objects.get()
    assert evaluation.status == EvaluationStatus.DRAFT
    # The form shown again saves into the draft it just created, not a second one.
    assert f'action="/evaluations/{evaluation.pk}/edit/"' in html


def test_bad_input_is_refused_with_a_message(staff_client, late_agreement):
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    data = evaluation_post(late_agreement, held_on=tomorrow, amount_spent="-1", overall_rating="7")
    response = staff_client.post(f"/evaluations/agreement/{late_agreement.pk}/year/1/", data)
    html = response.content.decode()
    assert "The date cannot be in the future." in html
    assert "The amount cannot be negative." in html
    assert "Select a valid choice" in html
    assert not Evaluation.objects.exists()


def test_attachments_are_type_checked_and_downloadable(staff_client, late_agreement, client):
    url = f"/evaluations/agreement/{late_agreement.pk}/year/1/"
    bad = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>")
    response = staff_client.post(url, evaluation_post(late_agreement, attachment=bad))
    assert "not a real PDF file" in response.content.decode()
    assert not Evaluation.objects.exists()
    good = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 report")
    staff_client.post(
        url, evaluation_post(late_agreement, attachment=good, attachment_description="Årsrapport")
    )
    evaluation = Evaluation.objects.get()
    attachment = evaluation.attachments.get()
    download = staff_client.get(f"/evaluations/{evaluation.pk}/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 report"
    client.logout()
    assert (
        client.get(f"/evaluations/{evaluation.pk}/attachments/{attachment.pk}/").status_code == 302
    )


def test_a_completed_evaluation_is_locked_and_a_manager_reopens_it_with_a_reason(
    client, staff, manager, late_agreement
):
    evaluation = EvaluationFactory(
        period=late_agreement.evaluation_periods.get(number=1), completed=True
    )
    client.force_login(staff)
    assert client.get(f"/evaluations/{evaluation.pk}/edit/").status_code == 403
    assert client.post(f"/evaluations/{evaluation.pk}/reopen/", {"reason": "x"}).status_code == 403
    client.force_login(manager)
    response = client.post(f"/evaluations/{evaluation.pk}/reopen/", {"reason": ""})
    assert "Give the reason for reopening." in response.content.decode()
    client.post(f"/evaluations/{evaluation.pk}/reopen/", {"reason": "Fel mätvärde."})
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT
    event = EvaluationEvent.objects.get(evaluation=evaluation)
    assert (event.action, event.comment, event.actor) == ("reopened", "Fel mätvärde.", manager)


def test_one_completed_evaluation_per_period_in_the_database(db, late_agreement):
    period = late_agreement.evaluation_periods.get(number=1)
    EvaluationFactory(period=period, completed=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationFactory(period=period, completed=True)


def test_a_second_completion_of_the_same_period_is_refused(staff_client, late_agreement):
    period = late_agreement.evaluation_periods.get(number=1)
    # One draft a period (one_open_evaluation_per_period): a second draft next to a
    # completed evaluation is possible only in data from before that constraint.
    EvaluationFactory(period=period, completed=True)
    second = EvaluationFactory(period=period)
    response = staff_client.post(
        f"/evaluations/{second.pk}/edit/", evaluation_post(late_agreement, complete=True)
    )
    assert "already has a completed evaluation" in response.content.decode()
    second.refresh_from_db()
    assert second.status == EvaluationStatus.DRAFT


def test_the_database_holds_one_draft_evaluation_a_period(late_agreement):
    period = late_agreement.evaluation_periods.get(number=1)
    EvaluationFactory(period=period)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationFactory(period=period)


def test_a_period_that_has_not_started_cannot_be_evaluated(staff_client, late_agreement):
    assert (
        staff_client.get(f"/evaluations/agreement/{late_agreement.pk}/year/3/").status_code == 403
    )


def test_terminate_now_recommendation_shows_managers_the_termination_link(
    client, manager, staff, late_agreement
):
    evaluation = EvaluationFactory(
        period=late_agreement.evaluation_periods.get(number=1),
        completed=True,
        recommendation="terminate_now",
    )
    client.force_login(manager)
    html = client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    assert f"/agreements/{late_agreement.pk}/terminate/" in html
    client.force_login(staff)
    assert (
        f"/agreements/{late_agreement.pk}/terminate/"
        not in client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    )


def test_outsiders_see_no_evaluations(client, no_role_user, late_agreement):
    for url in (
        "/evaluations/",
        "/evaluations/recorded/",
        f"/evaluations/agreement/{late_agreement.pk}/year/1/",
    ):
        assert client.get(url).status_code == 302
    client.force_login(no_role_user)
    for url in (
        "/evaluations/",
        "/evaluations/recorded/",
        f"/evaluations/agreement/{late_agreement.pk}/year/1/",
    ):
        assert client.get(url).status_code == 403


def test_records_filters_and_csv(staff_client, late_agreement):
    period = late_agreement.evaluation_periods.get(number=1)
    EvaluationFactory(period=period, completed=True, recommendation="adjust")
    other = AgreementFactory(
        approved=True,
        start_date=months_ago(14),
        end_date=months_ago(14) + datetime.timedelta(days=800),
    )
    EvaluationFactory(period=other.evaluation_periods.get(number=1), recommendation="continue")

    def refs(params):
        page = staff_client.get("/evaluations/recorded/", params).context["page"]
        return sorted(e.period.agreement.reference for e in page.object_list)

    assert refs({"recommendation": "adjust"}) == [late_agreement.reference]
    assert refs({"status": "draft"}) == [other.reference]
    assert refs({"partner": other.partner.pk}) == [other.reference]
    assert refs({"year": period.end_date.year}) == sorted(
        {late_agreement.reference}
        | (
            {other.reference}
            if other.evaluation_periods.get(number=1).end_date.year == period.end_date.year
            else set()
        )
    )
    body = b"".join(
        staff_client.get(
            "/evaluations/recorded/export.csv", {"recommendation": "adjust"}
        ).streaming_content
    )
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "Agreement"
    assert [row[0] for row in rows[1:]] == [late_agreement.reference]


def test_due_within_filter(staff_client, late_agreement):
    soon = AgreementFactory(
        approved=True,
        start_date=months_ago(11.5),
        end_date=months_ago(11.5) + datetime.timedelta(days=900),
    )
    later = AgreementFactory(
        approved=True,
        start_date=months_ago(2),
        end_date=months_ago(2) + datetime.timedelta(days=900),
    )

    def refs(params):
        return {
            a.reference
            for a in staff_client.get("/evaluations/", params).context["page"].object_list
        }

    within = refs({"due_within": 30})
    assert soon.reference in within and late_agreement.reference in within
    assert later.reference not in within


@pytest.mark.parametrize("count", [2, 30])
def test_due_list_query_count_is_constant(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        AgreementFactory(
            approved=True,
            start_date=months_ago(13),
            end_date=months_ago(13) + datetime.timedelta(days=900),
        )
    with django_assert_max_num_queries(9):
        response = staff_client.get("/evaluations/", {"due": "overdue"})
    assert len(response.context["page"].object_list) == min(count, 25)


def test_manager_sees_who_completed(client, manager, late_agreement):
    evaluator = UserFactory(staff=True, first_name="Erik", last_name="Öberg")
    evaluation = EvaluationFactory(
        period=late_agreement.evaluation_periods.get(number=1), completed=True, evaluator=evaluator
    )
    client.force_login(manager)
    assert "Erik Öberg" in client.get(f"/evaluations/{evaluation.pk}/").content.decode()
