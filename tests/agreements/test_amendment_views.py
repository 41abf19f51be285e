"""Amendments through the pages a user takes: the form and its refusals, the side-by-side
page, the agreement page, the PDF, the CSV, the dashboard and the weekly digest, the
results per year with the target that applied."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from agreements import services
from agreements.models import Amendment, AmendmentStatus, Goal
from reminders import services as reminder_services
from tests.agreements.amending import form_data, save
from tests.agreements.test_pdf import contains, download, pdf_pages
from tests.agreements.test_services import NO_INTEREST
from tests.conftest import log_in
from tests.factories import AgreementFactory, EvaluationFactory, UserFactory

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)
D = datetime.date


@pytest.fixture
def agreement(staff):
    return AgreementFactory(approved=True, created_by=staff, title="Läsfrämjande")


def _new_url(agreement):
    return reverse("agreements:amendment_create", args=[agreement.pk])


def _post(client, agreement, **changes):
    data = form_data(
        agreement,
        **{
            "types": ["economic_contribution"],
            "economic_amount": "60000",
            "effective_date": (TODAY() + 10 * DAY).isoformat(),
            "reason": "Styrelsen höjde bidraget.",
            **changes,
        },
    )
    return client.post(_new_url(agreement), data)


def _approve(amendment, author):
    services.amendment_transition(amendment=amendment, action="submit", user=author)
    approver = UserFactory(manager=True, first_name="Åsa", last_name="Approver")
    services.amendment_transition(
        amendment=amendment, action="approve", user=approver, statement=NO_INTEREST
    )
    return approver


def test_the_form_says_the_period_is_fixed_and_links_to_terminate_and_renew(
    staff_client, agreement
):
    html = staff_client.get(_new_url(agreement)).content.decode()
    assert "The period cannot be amended" in html
    assert reverse("agreements:agreement_action", args=[agreement.pk, "terminate"]) in html
    assert reverse("agreements:agreement_renew", args=[agreement.pk]) in html
    assert 'value="50000.00"' in html  # starts from the current terms


def test_staff_drafts_an_amendment_and_sees_current_and_proposed_side_by_side(
    staff_client, agreement
):
    response = _post(staff_client, agreement)
    amendment = Amendment.objects.get(agreement=agreement)
    assert response.status_code == 302
    assert response.url == amendment.get_absolute_url()
    html = staff_client.get(response.url).content.decode()
    assert f"{agreement.reference} / amendment 1" in html
    assert "SEK\u00a050,000.00" in html and "SEK\u00a060,000.00" in html
    assert "diff-changed" in html
    assert "Styrelsen höjde bidraget." in html


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"effective_date": "2099-01-01"},
            "effective_date",
            "must be within the agreement&#x27;s term, which ends",
        ),
        ({"end_date": "2099-12-31"}, "end_date", "The period cannot be amended"),
        ({"start_date": "2000-01-01"}, "start_date", "The period cannot be amended"),
        ({"reason": "  "}, "reason", "Give the reason for the amendment."),
        ({"types": []}, "types", "Choose what the amendment changes."),
        ({"economic_amount": "-1"}, "economic_amount", "cannot be negative"),
        (
            {"types": ["goals"]},
            "economic_amount",
            "This is not among what the amendment changes",
        ),
    ],
)
def test_every_bad_input_gets_a_message_next_to_its_field_and_nothing_is_saved(
    staff_client, agreement, changes, field, message
):
    response = _post(staff_client, agreement, **changes)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert message in html
    assert response.context["form"].errors[field]
    assert not Amendment.objects.exists()


def test_a_goal_problem_is_shown_above_the_goals(staff_client, agreement):
    response = _post(
        staff_client,
        agreement,
        types=["goals"],
        economic_amount="50000.00",
        **{"goals-0-DELETE": "on"},
    )
    assert response.context["section_problems"]["goals"] == [
        "The agreement keeps at least one measurable goal."
    ]
    assert "The agreement keeps at least one measurable goal." in response.content.decode()


def test_the_workflow_pages_submit_return_and_approve(client, staff, manager, agreement):
    log_in(client, staff)
    _post(client, agreement)
    amendment = Amendment.objects.get()
    url = reverse("agreements:amendment_action", args=[agreement.pk, 1, "submit"])
    assert client.post(url).status_code == 302
    log_in(client, manager)
    url = reverse("agreements:amendment_action", args=[agreement.pk, 1, "return"])
    response = client.post(url, {"comment": ""})
    assert "Write a comment that tells the author what to change." in response.content.decode()
    client.post(url, {"comment": "Ange beloppet per år."})
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.RETURNED
    log_in(client, staff)
    edit = reverse("agreements:amendment_edit", args=[agreement.pk, 1])
    data = form_data(agreement, amendment, economic_amount="65000")
    assert client.post(edit, data).status_code == 302
    client.post(reverse("agreements:amendment_action", args=[agreement.pk, 1, "submit"]))
    log_in(client, manager)
    response = client.post(
        reverse("agreements:amendment_action", args=[agreement.pk, 1, "approve"]),
        {"conflict": "none"},
        follow=True,
    )
    assert f"{agreement.reference} / amendment 1 is approved" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.terms.economic_amount == Decimal("65000.00")


def test_the_author_sees_no_approve_button_and_is_refused_at_the_address(
    client, manager, agreement
):
    log_in(client, manager)
    _post(client, agreement)
    client.post(reverse("agreements:amendment_action", args=[agreement.pk, 1, "submit"]))
    html = client.get(reverse("agreements:amendment_detail", args=[agreement.pk, 1])).content
    assert b"/amendments/1/approve/" not in html
    response = client.get(reverse("agreements:amendment_action", args=[agreement.pk, 1, "approve"]))
    assert response.status_code == 403
    assert "You drafted this amendment" in response.content.decode()


def test_the_agreement_page_lists_amendments_diffs_and_versions(staff_client, staff, agreement):
    amendment = save(
        agreement,
        staff,
        types=["economic_contribution"],
        economic_amount="60000",
        effective_date=(TODAY() + 10 * DAY).isoformat(),
        reason="Styrelsen höjde bidraget.",
    )
    approver = _approve(amendment, staff)
    html = staff_client.get(agreement.get_absolute_url()).content.decode()
    assert 'id="amendments"' in html
    for text in (
        "Amendment 1",
        "Economic contribution",
        "Styrelsen höjde bidraget.",
        str(staff),
        str(approver),
        "What amendment 1 changes",
        "Version 2:",
        "Version 1:",
        "as first approved",
        "SEK\u00a060,000.00",
    ):
        assert text in html, text
    assert "Terms version 2, in force from" in html


def test_the_pdf_shows_the_current_terms_and_an_amendment_table(staff_client, staff, agreement):
    amendment = save(
        agreement,
        staff,
        types=["economic_contribution"],
        economic_amount="60000",
        effective_date=(TODAY() + 10 * DAY).isoformat(),
        reason="Styrelsen höjde bidraget.",
    )
    _approve(amendment, staff)
    text = "\n".join(pdf_pages(download(staff_client, agreement)))
    assert contains(text, "SEK 60,000.00")
    assert not contains(text, "SEK 50,000.00")
    assert contains(text, "Amendments")
    assert contains(text, "Styrelsen höjde bidraget.")
    assert contains(text, "The current terms: version 2")


def test_the_csv_has_the_amendment_count_and_the_last_effective_date(
    staff_client, staff, agreement
):
    AgreementFactory(approved=True, title="Oförändrat")
    effective = TODAY() + 10 * DAY
    amendment = save(
        agreement,
        staff,
        types=["economic_contribution"],
        economic_amount="60000",
        effective_date=effective.isoformat(),
        reason="Höjt.",
    )
    _approve(amendment, staff)
    body = b"".join(staff_client.get("/agreements/export.csv").streaming_content).decode()
    by_title = {row["Title"]: row for row in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))}
    amended, unchanged = by_title["Läsfrämjande"], by_title["Oförändrat"]
    assert amended["Amendments"] == "1"
    assert amended["Last amendment in force from"] == effective.isoformat()
    assert amended["Economic contribution"] == "60000.00"
    assert (unchanged["Amendments"], unchanged["Last amendment in force from"]) == ("0", "")


def test_dashboard_and_digest_list_amendments_awaiting_my_approval(client, staff, agreement):
    amendment = save(
        agreement,
        staff,
        types=["economic_contribution"],
        economic_amount="60000",
        effective_date=(TODAY() + 10 * DAY).isoformat(),
        reason="Höjt.",
    )
    services.amendment_transition(amendment=amendment, action="submit", user=staff)
    decider = UserFactory(manager=True, email="decider@example.org")
    log_in(client, decider)
    panel = next(p for p in client.get("/").context["panels"] if p.title == "Awaiting my approval")
    assert [a.pk for a in panel.items] == [agreement.pk]
    listing = client.get(panel.url)
    assert listing.context["page"].paginator.count == panel.count == 1
    # The weekly digest says so too.
    monday = TODAY() - datetime.timedelta(days=TODAY().weekday())
    reminder_services.run_manager_digests(monday, dispatch=reminder_services.deliver)
    digest = next(m for m in mail.outbox if m.to == ["decider@example.org"])
    assert "Amendments awaiting your approval (1)" in digest.body
    assert f"{agreement.reference} / amendment 1" in digest.body
    assert amendment.get_absolute_url() in digest.body


@time_machine.travel(D(2027, 1, 10), tick=False)
def test_results_show_the_target_that_applied_and_later_evaluations_use_the_amended_goal(
    client, staff
):
    agreement = AgreementFactory(
        approved=True, created_by=staff, start_date=D(2026, 1, 1), end_date=D(2028, 12, 31)
    )
    goal = agreement.goals.get()
    EvaluationFactory(period=agreement.evaluation_periods.get(number=1), completed=True)
    data = form_data(agreement)
    assert data["goals-0-goal"] == str(goal.pk)
    amendment = save(
        agreement,
        staff,
        types=["goals"],
        effective_date="2027-02-01",
        reason="Målet var för lågt.",
        **{"goals-0-target_value": "200"},
    )
    _approve(amendment, staff)
    amended = Goal.objects.get(origin=goal)
    year_two = agreement.evaluation_periods.get(number=2)
    assert list(year_two.goals()) == [amended]
    assert list(agreement.evaluation_periods.get(number=1).goals()) == [goal]
    log_in(client, staff)
    response = client.get(agreement.get_absolute_url())
    row = response.context["goal_results"][0]
    assert [cell["goal"] for cell in row["cells"]] == [goal, amended, amended]
    assert [cell["amended"] for cell in row["cells"]] == [False, True, False]
    assert row["chart"].target_steps  # the chart's target line steps up in year 2
    html = response.content.decode()
    assert "amended" in html
    # The evaluation form of year 2 asks for the amended goal.
    form = client.get(reverse("evaluations:evaluation_create", args=[agreement.pk, 2]))
    assert form.status_code == 200
    assert [g.pk for g in form.context["results_form"].goals] == [amended.pk]


def test_the_pages_speak_swedish(client, staff, agreement):
    amendment = save(
        agreement,
        staff,
        types=["economic_contribution"],
        economic_amount="60000",
        effective_date=(TODAY() + 10 * DAY).isoformat(),
        reason="Höjt.",
    )
    log_in(client, staff)
    client.post(reverse("set_language"), {"language": "sv"})
    with translation.override("sv"):
        html = client.get(amendment.get_absolute_url()).content.decode()
        form = client.get(reverse("agreements:amendment_edit", args=[agreement.pk, 1]))
    assert f"{agreement.reference} / ändring 1" in html
    assert "Nuvarande och föreslagna villkor" in html
    assert "Perioden kan inte ändras" in form.content.decode()
