"""The partner portal in a real Chromium on a 390 px screen, in English and Swedish:
invitation to accepted report and the pre-filled evaluation, the declaration, the
review of our cooperation, and a partner user trying another partner's addresses."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from config.celery import app as celery_app
from evaluations.models import Evaluation
from portal.models import MutualReview, PartnerDeclaration, PartnerReport
from tests.browser.test_accessibility import RULES
from tests.factories import (
    AgreementFactory,
    GoalFactory,
    ObligationFactory,
    PartnerContactFactory,
    PartnerUserFactory,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Läsglädje i Ängby 2026!"

# The few words each journey looks for, in the language it runs in.
WORDS = {
    "en": {
        "sent": "Your report is sent.",
        "sent_back": "sent the report back",
        "accepted": "Accepted",
        "declared": "Your declaration is recorded",
        "reviewed": "Thank you for your review.",
        "not_found": "Not found",
        "invite_sent": "Invitation sent to",
    },
    "sv": {
        "sent": "Er rapport är skickad.",
        "sent_back": "skickade tillbaka rapporten",
        "accepted": "Godkänd",
        "declared": "Er försäkran är registrerad",
        "reviewed": "Tack för er utvärdering.",
        "not_found": "Sidan finns inte",
        "invite_sent": "Inbjudan skickad till",
    },
}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


@pytest.fixture
def tasks_run_in_process():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def check_page(page, shoot):
    """A screenshot, no sideways scrolling on the phone, and the accessibility checks."""
    axe = Axe()
    problems = []

    def check(name):
        shoot(name)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            problems.append(f"{name}: the page is {overflow}px wider than the screen")
        result = axe.run(page, options={"runOnly": {"type": "rule", "values": RULES}})
        for violation in result.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{name}: {violation['id']} ({violation['impact']}) {targets}")

    check.problems = problems
    return check


def log_in(page, live_server, username, password="password-for-tests"):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def reporting_agreement(staff):
    """Year 1 ended a month ago; the partner reports on it."""
    start = timezone.localdate() - datetime.timedelta(days=400)
    agreement = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=start,
        end_date=start + datetime.timedelta(days=1000),
        partner__name="Kulturhuset Ängby",
    )
    GoalFactory(
        agreement=agreement,
        kind="qualitative",
        indicator="",
        baseline=None,
        target_value=None,
        unit="",
        description="Starkare läskultur",
        expected_outcome="Mer läsning hemma",
        assessment_method="Intervjuer",
    )
    ObligationFactory(
        agreement=agreement, side="ours", category="economic", description="Bidrag 50 000 kr."
    )
    return agreement


@pytest.mark.parametrize("language", ["en", "sv"])
def test_invitation_report_sent_back_revised_accepted_and_the_evaluation_prefilled(
    page, live_server, staff, language, check_page, tasks_run_in_process
):
    words = WORDS[language]
    staff.language = language
    staff.save()
    agreement = reporting_agreement(staff)
    partner = agreement.partner
    contact = PartnerContactFactory(partner=partner, name="Lina Ek", email="lina@angby.example")

    # Staff invite the contact from the partner's page.
    log_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/partners/{partner.pk}/")
    page.locator(f"a[href$='/contacts/{contact.pk}/invite/']").click()
    page.locator("#id_language").select_option(language)
    check_page("invite")
    page.locator("form button[type=submit].primary").click()
    expect(page.get_by_text(words["invite_sent"])).to_be_visible()
    [email] = mail.outbox
    link = re.search(r"https?://\S+/portal/invitation/\S+/", email.body).group(0)
    path = "/" + link.split("/", 3)[3]

    # The contact sets a password through the link and lands in the portal.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{path}")
    page.locator("#id_new_password1").fill("kort")
    page.locator("#id_new_password2").fill("kort")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".field-invalid")).to_have_count(1)
    check_page("set-password-refused")
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/portal/")
    check_page("portal-home")

    # The yearly report: written, sent.
    report_path = f"/portal/agreements/{agreement.pk}/years/1/report/"
    page.locator(f"a[href='{report_path}']").first.click()
    quantitative = agreement.goals.get(kind="quantitative")
    qualitative = agreement.goals.get(kind="qualitative")
    economic = agreement.obligations.get(category="economic")
    page.locator(f"#id_achieved_{quantitative.pk}").fill("95")
    page.locator(f"#id_text_{qualitative.pk}").fill("Föräldrarna läser mer hemma.")
    page.locator(f"#id_amount_{economic.pk}").fill("48000")
    page.locator(f"#id_comment_{economic.pk}").fill("Böcker och cirkelledare.")
    page.locator("#id_target_group_involvement").fill("Barnen valde böckerna själva.")
    page.locator("#id_lessons_learned").fill("Kvällsträffar når fler föräldrar.")
    check_page("report-form")
    page.locator("button[name=submit]").click()
    expect(page.get_by_text(words["sent"])).to_be_visible()
    check_page("report-sent")
    report = PartnerReport.objects.get()

    # Staff send it back with a comment.
    log_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/partner-portal/reports/{report.pk}/")
    page.locator("input[name=decision][value=sent_back]").check()
    page.locator("#id_comment").fill("Ange hur många föräldrar som kom.")
    check_page("review-form")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_load_state()

    # The partner sees why, revises and sends again.
    log_in(page, live_server, "lina@angby.example", PASSWORD)
    page.goto(f"{live_server.url}{report_path}")
    expect(page.get_by_text("Ange hur många föräldrar som kom.").first).to_be_visible()
    expect(page.get_by_text(words["sent_back"])).to_be_visible()
    check_page("report-sent-back")
    page.locator("#id_lessons_learned").fill("40 föräldrar kom till kvällsträffarna.")
    page.locator("button[name=submit]").click()
    expect(page.get_by_text(words["sent"])).to_be_visible()

    # Staff accept it; the evaluation of the year is pre-filled and marked.
    log_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/partner-portal/reports/{report.pk}/")
    page.locator("input[name=decision][value=accepted]").check()
    page.locator("form button[type=submit].primary").click()
    expect(page.locator("h1 .badge").get_by_text(words["accepted"])).to_be_visible()
    check_page("report-accepted")
    evaluation = Evaluation.objects.get(period__agreement=agreement, period__number=1)
    page.goto(f"{live_server.url}/evaluations/{evaluation.pk}/edit/")
    expect(page.locator("#id_lessons_learned")).to_have_value(
        "40 föräldrar kom till kvällsträffarna."
    )
    expect(page.locator(f"#id_results-measured_{quantitative.pk}")).to_have_value("95.00")
    expect(page.locator(".from-partner")).to_have_count(6)
    expect(page.locator("#partner-report")).to_be_visible()
    check_page("evaluation-prefilled")
    # The partner got both decisions by email, once each, in their language.
    assert len(mail.outbox) == 3
    assert not check_page.problems, "\n".join(check_page.problems)


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_declaration_and_the_review_of_our_cooperation(
    page, live_server, staff, language, check_page, tmp_path
):
    words = WORDS[language]
    agreement = reporting_agreement(staff)
    lina = PartnerUserFactory(
        partner=agreement.partner, user__username="lina", user__language=language
    )
    log_in(page, live_server, "lina")
    page.goto(f"{live_server.url}/portal/declaration/")
    page.locator("#id_shares_values").check()
    page.locator("#id_accepts_code_of_conduct").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".field-invalid")).to_have_count(2)  # routines box and document
    check_page("declaration-refused")
    routines = tmp_path / "rutiner.pdf"
    routines.write_bytes(b"%PDF-1.4 routines")
    page.locator("#id_shares_values").check()
    page.locator("#id_accepts_code_of_conduct").check()
    page.locator("#id_routines_documented").check()
    page.locator("#id_routines_document").set_input_files(str(routines))
    page.locator("#id_confirmed_name").fill("Lina Ek")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(words["declared"])).to_be_visible()
    check_page("declaration-done")
    declaration = PartnerDeclaration.objects.get()
    with page.expect_download() as download:
        page.locator(f"a[href='/portal/declaration/{declaration.pk}.pdf']").first.click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.goto(f"{live_server.url}/portal/agreements/{agreement.pk}/review/")
    scores = page.locator("input[type=radio][value='4']")
    for index in range(scores.count()):
        scores.nth(index).check()
    comments = page.locator("textarea")
    for index in range(comments.count()):
        comments.nth(index).fill(f"Kommentar {index + 1}")
    check_page("review-form")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(words["reviewed"])).to_be_visible()
    check_page("review-done")
    assert MutualReview.objects.get().submitted_by == lina.user
    assert not check_page.problems, "\n".join(check_page.problems)


@pytest.mark.parametrize("language", ["en", "sv"])
def test_a_partner_user_cannot_reach_another_partners_records(
    page, live_server, staff, language, check_page
):
    words = WORDS[language]
    agreement = reporting_agreement(staff)
    PartnerUserFactory(partner=agreement.partner, user__username="lina")
    report = PartnerReport.objects.create(
        period=agreement.evaluation_periods.get(number=1), created_by=staff
    )
    other = AgreementFactory(approved=True, partner__name="Föreningen Läslust Malmö")
    PartnerUserFactory(partner=other.partner, user__username="omar", user__language=language)
    log_in(page, live_server, "omar")
    page.wait_for_url(f"{live_server.url}/portal/")
    expect(page.get_by_text(agreement.reference)).to_have_count(0)
    for path in (
        f"/portal/agreements/{agreement.pk}/",
        f"/portal/agreements/{agreement.pk}/years/1/report/",
        f"/portal/agreements/{agreement.pk}/review/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
        expect(page.get_by_role("heading", name=words["not_found"])).to_be_visible()
    check_page("not-found")
    response = page.goto(f"{live_server.url}/partner-portal/reports/{report.pk}/")
    assert response.status == 403
    response = page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    assert response.status == 403
    check_page("staff-page-refused")
    assert not check_page.problems, "\n".join(check_page.problems)
