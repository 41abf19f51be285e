"""The journeys a person takes, in a real Chromium against the live server."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import Agreement, Status
from evaluations.models import Evaluation
from partnerships.models import Partner
from tests.factories import AgreementFactory, GoalFactory, PartnerFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TODAY = timezone.localdate


def days(n):
    return (TODAY() + datetime.timedelta(days=n)).isoformat()


def test_1_staff_registers_a_partner_with_a_contact_and_finds_it(
    page, live_server, login, shoot, staff
):
    login(staff)
    page.get_by_role("link", name="Partners", exact=True).click()
    page.get_by_role("link", name="Register partner").click()
    page.get_by_label("Name", exact=True).fill("Föreningen Läslust Malmö")
    page.get_by_label("Kind of organisation").select_option("association")
    page.locator("#id_contacts-0-name").fill("Sara Nyström")
    page.locator("#id_contacts-0-email").fill("sara@laslust.example")
    shoot("form")
    page.get_by_role("button", name="Register partner").click()
    expect(page.get_by_text("Partner “Föreningen Läslust Malmö” registered.")).to_be_visible()
    expect(page.get_by_role("cell", name="Sara Nyström", exact=True)).to_be_visible()
    assert Partner.objects.get().contacts.get().email == "sara@laslust.example"

    page.get_by_role("link", name="Partners", exact=True).click()
    page.get_by_label("Search").fill("nyström")
    page.get_by_label("Kind").select_option("association")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Föreningen Läslust Malmö")).to_be_visible()
    expect(page.get_by_text("1 partner", exact=True)).to_be_visible()
    shoot("found")


def fill_agreement_basics(page):
    page.get_by_label("Title").fill("Läslust 2027")
    page.get_by_label("Partnership type").select_option("time_limited")
    page.get_by_label("Start date").fill(days(20))
    page.get_by_label("End date").fill(days(400))
    page.get_by_label("Economic contribution").fill("80000")


def test_2_staff_drafts_sees_what_is_missing_completes_and_submits(
    page, live_server, login, shoot, staff
):
    partner = PartnerFactory(name="Kulturhuset Ängby")
    login(staff)
    page.goto(f"{live_server.url}/partners/{partner.pk}/")
    page.get_by_role("link", name="New agreement").click()
    fill_agreement_basics(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("saved. Submit it for approval when it is complete.")).to_be_visible()

    page.get_by_role("link", name="Submit for approval").click()
    expect(page.get_by_text("Add at least one measurable goal.")).to_be_visible()
    expect(
        page.get_by_text("Describe the conduct: how each side behaves and appears.")
    ).to_be_visible()
    shoot("not-complete")

    page.get_by_role("link", name="Edit the agreement").click()
    page.get_by_label("Payment terms").fill("Två delbetalningar.")
    page.get_by_label("Marketing contributions").fill("Logotyp i programmet.")
    page.get_by_label("Conduct").fill("Båda följer uppförandekoden.")
    page.get_by_label("Exchange").fill("Synlighet mot finansiering.")
    page.locator("#id_goals-0-description").fill("Fler unga deltar")
    page.locator("#id_goals-0-kind").select_option("quantitative")
    page.locator("#id_goals-0-indicator").fill("Deltagare")
    page.locator("#id_goals-0-baseline").fill("20")
    page.locator("#id_goals-0-target_value").fill("60")
    page.locator("#id_goals-0-unit").fill("unga")
    page.locator("#id_goals-1-description").fill("Delaktighet")
    page.locator("#id_goals-1-kind").select_option("qualitative")
    page.locator("#id_goals-1-expected_outcome").fill("Unga planerar själva.")
    page.locator("#id_goals-1-assessment_method").fill("Intervjuer.")
    page.locator("#id_obligations-0-category").select_option("economic")
    page.locator("#id_obligations-0-description").fill("Betala bidraget.")
    page.locator("#id_obligations-1-category").select_option("reporting")
    page.locator("#id_obligations-1-description").fill("Rapportera årligen.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Changes to")).to_be_visible()

    page.get_by_role("link", name="Submit for approval").click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("is submitted. A manager will approve or return it.")).to_be_visible()
    shoot("submitted")
    agreement = Agreement.objects.get()
    assert agreement.status == Status.PENDING
    assert agreement.goals.count() == 2
    assert set(agreement.obligations.values_list("side", flat=True)) == {"ours", "partner"}


def test_3_only_another_manager_approves_and_the_timeline_shows_it(
    page, live_server, login, shoot, staff, other_staff, manager
):
    agreement = AgreementFactory(
        pending=True,
        created_by=staff,
        start_date=TODAY(),
        end_date=TODAY() + datetime.timedelta(days=500),
    )
    login(other_staff)
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    expect(page.get_by_role("link", name="Approve")).to_have_count(0)
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/approve/")
    expect(page.get_by_text("Only managers can approve agreements.")).to_be_visible()
    shoot("staff-refused")

    login(manager)
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    page.get_by_role("link", name="Approve").click()
    page.get_by_label("I have no personal or financial interest in this partner.").check()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text(f"{agreement.reference} is approved.")).to_be_visible()
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.locator(f'svg.timeline a[href="/agreements/{agreement.pk}/"]')).to_have_count(1)
    shoot("dashboard")


def test_4_staff_records_an_evaluation_and_the_overdue_marker_goes(
    page, live_server, login, shoot, staff
):
    start = TODAY() - datetime.timedelta(days=400)
    agreement = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=start,
        end_date=start + datetime.timedelta(days=1000),
    )
    GoalFactory(
        agreement=agreement,
        kind="qualitative",
        indicator="",
        baseline=None,
        target_value=None,
        unit="",
        description="Starkare läskultur",
        expected_outcome="Mer läsning",
        assessment_method="Intervjuer",
    )
    login(staff)
    page.get_by_role("link", name="Evaluations", exact=True).click()
    row = page.get_by_role("row").filter(has_text=agreement.reference)
    expect(row.get_by_text("Overdue")).to_be_visible()
    shoot("overdue")
    page.get_by_role("link", name=agreement.reference).click()
    page.get_by_role("link", name="Evaluate year 1").click()
    for goal in agreement.goals.all():
        if goal.kind == "quantitative":
            page.locator(f"#id_results-measured_{goal.pk}").fill("95")
        else:
            page.locator(f"#id_results-assessment_{goal.pk}").fill("Tydligt bättre.")
        page.locator(f"#id_results-achievement_{goal.pk}").select_option("partly")
    page.get_by_label("How resources were used").fill("Enligt budget.")
    page.get_by_label("Overall rating (1–5)").select_option("4")
    page.get_by_label("Recommendation").select_option("continue")
    shoot("form")
    page.get_by_role("button", name="Save and complete").click()
    expect(page.get_by_text("Evaluation completed and locked.")).to_be_visible()
    assert Evaluation.objects.get().status == "completed"

    page.get_by_role("link", name="Evaluations", exact=True).click()
    page.get_by_label("Show").select_option("overdue")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text(agreement.reference)).to_have_count(0)
    shoot("no-longer-overdue")


def test_5_the_pdf_summary_downloads_with_the_reference_and_goals(page, live_server, login, staff):
    import io

    from pypdf import PdfReader

    agreement = AgreementFactory(approved=True, created_by=staff, title="Läslust i ytterområdena")
    GoalFactory(agreement=agreement, description="Fler barn läser på fritiden")
    login(staff)
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF summary").click()
    download = download_info.value
    assert download.suggested_filename == f"{agreement.reference}-summary.pdf"
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(open(download.path(), "rb").read())).pages
    )
    assert agreement.reference in text
    assert "Fler barn läser på fritiden" in text


def test_6_manager_terminates_and_it_leaves_the_active_list(
    page, live_server, login, shoot, manager
):
    agreement = AgreementFactory(approved=True, title="Avtal som bryts")
    login(manager)
    page.goto(f"{live_server.url}/agreements/?state=active")
    expect(page.get_by_role("link", name=agreement.reference)).to_be_visible()
    page.get_by_role("link", name=agreement.reference).click()
    page.get_by_role("link", name="Terminate").click()
    page.get_by_label("Cause").select_option("code_of_conduct")
    page.get_by_label("Reason").fill("Uppförandekoden bröts vid ett evenemang.")
    shoot("terminate-form")
    page.get_by_role("button", name="Terminate").click()
    expect(page.get_by_text(f"{agreement.reference} is terminated.")).to_be_visible()
    expect(page.locator("dd", has_text="Uppförandekoden bröts vid ett evenemang.")).to_be_visible()
    page.goto(f"{live_server.url}/agreements/?state=active")
    expect(page.get_by_role("link", name=agreement.reference)).to_have_count(0)
    assert Agreement.objects.get().status == Status.TERMINATED
    shoot("active-list")
