"""Journey 8: every main page on a 390 px phone, in English and in Swedish, with
JavaScript off: nothing scrolls sideways, every action button is in view without it,
form fields are wide enough to type in, dates stay on one line, uploads show their file
name (never the storage path) and the list filters fold away."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import ProgrammePeriod, SummaryExport
from tests.factories import (
    AgreementFactory,
    DialogueEntryFactory,
    DialogueFollowUpFactory,
    EvaluationFactory,
    GoalFactory,
    ObligationFactory,
    PartnerContactFactory,
    PartnerFactory,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
# Inputs narrower than this are not usable for typing on a phone (the obligations table
# once left ~80 px for a description, the contact fields ~45 px).
NARROWEST_INPUT = 200

# Everything a page offers to click as a button.
ACTION_BUTTONS = "main a.button, main button, header button"

LAYOUT_PROBLEMS = """
([narrowest, buttons]) => {
  const problems = [];
  const width = window.innerWidth;
  const scrolled = document.scrollingElement.scrollWidth;
  if (scrolled > width) problems.push(`scrolls sideways: ${scrolled}px on a ${width}px screen`);
  const shown = (element) => element.checkVisibility({ visibilityProperty: true })
    && element.getClientRects().length > 0;
  for (const button of document.querySelectorAll(buttons)) {
    if (!shown(button) || button.closest(".visually-hidden")) continue;
    // Bring it into view vertically only: a sideways scroll would hide the fault.
    const top = button.getBoundingClientRect().top + window.scrollY;
    window.scrollTo(0, Math.max(0, top - window.innerHeight / 2));
    const box = button.getBoundingClientRect();
    const name = (button.textContent || button.value || "").trim().replace(/\\s+/g, " ");
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (box.left < 0 || box.right > width + 0.5) {
      problems.push(`button "${name}" is off screen (${Math.round(box.left)}–${Math.round(box.right)}px)`);
    } else if (!hit || !(button === hit || button.contains(hit))) {
      problems.push(`button "${name}" is hidden by something else or clipped`);
    }
  }
  window.scrollTo(0, 0);
  const fields = "main input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=file]), main select, main textarea";
  for (const field of document.querySelectorAll(fields)) {
    if (!shown(field) || field.closest(".year-form, .language-form")) continue;
    const box = field.getBoundingClientRect();
    if (box.width < narrowest) problems.push(`field ${field.name} is ${Math.round(box.width)}px wide`);
  }
  for (const cell of document.querySelectorAll("main td")) {
    if (shown(cell) && cell.scrollWidth > cell.clientWidth + 1) {
      problems.push(`a cell runs over its edge: ${cell.textContent.trim().slice(0, 40)}`);
    }
  }
  for (const time of document.querySelectorAll("main time")) {
    if (shown(time) && time.getClientRects().length > 1) problems.push(`date ${time.textContent} wraps`);
  }
  return problems;
}
"""


@pytest.fixture
def browser_context_args(browser_context_args):
    # No JavaScript: every page, the folding filters included, works without it.
    return {**browser_context_args, "viewport": PHONE, "java_script_enabled": False}


@pytest.fixture
def records(staff, manager):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=400)
    partner = PartnerFactory(
        name="Föreningen Läsfrämjandet i Västra Götalands län",
        due_diligence_done=True,
        financial_routines_document=ContentFile(
            b"%PDF-1.4 routines",
            name="Ekonomiska rutiner 2026.pdf",
        ),
    )
    PartnerContactFactory(partner=partner, name="Åsa Öberg-Lindqvist", phone="+46 70 123 45 67")
    approved = AgreementFactory(
        approved=True,
        partner=partner,
        created_by=staff,
        title="Läslust för barn och unga i ytterområdena",
        start_date=start,
        end_date=start + datetime.timedelta(days=1000),
    )
    GoalFactory(agreement=approved)
    obligation = ObligationFactory(agreement=approved, due_date=start)
    evaluation = EvaluationFactory(period=approved.evaluation_periods.get(number=1), completed=True)
    draft = AgreementFactory(complete=True, partner=partner, created_by=manager, title="Utkast")
    ObligationFactory(agreement=draft, due_date=today + datetime.timedelta(days=90))
    AgreementFactory(pending=True, partner=partner, created_by=staff)
    entry = DialogueEntryFactory(partner=partner, agreement=approved)
    follow_up = DialogueFollowUpFactory(entry=entry, owner=manager, overdue=True)
    ProgrammePeriod.objects.create(
        name="Programperiod 2025–2027",
        start_date=datetime.date(today.year - 1, 1, 1),
        end_date=datetime.date(today.year + 1, 12, 31),
        annual_budget=Decimal("100000"),
    )
    export = SummaryExport.objects.create(requested_by=manager, agreement_ids=[1] * 22, total=22)
    SummaryExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    return {
        "partner": partner,
        "approved": approved,
        "draft": draft,
        "obligation": obligation,
        "evaluation": evaluation,
        "entry": entry,
        "follow_up": follow_up,
        "export": export,
    }


def main_pages(records):
    partner, approved = records["partner"], records["approved"]
    return {
        "dashboard": "/",
        "partners": "/partners/",
        "partner": f"/partners/{partner.pk}/",
        "partner-edit": f"/partners/{partner.pk}/edit/",
        "partner-new": "/partners/new/",
        "partner-archive": f"/partners/{partner.pk}/archive/",
        "partner-import": "/partners/import/",
        "assessment-form": f"/partners/{partner.pk}/assessments/new/",
        "dialogue": f"/partners/{partner.pk}/dialogue/",
        "dialogue-entry": f"/partners/{partner.pk}/dialogue/{records['entry'].pk}/",
        "dialogue-form": f"/partners/{partner.pk}/dialogue/new/",
        "follow-ups": "/partners/follow-ups/",
        "follow-up-done": f"/partners/follow-ups/{records['follow_up'].pk}/done/",
        "agreements": "/agreements/",
        "agreement": f"/agreements/{approved.pk}/",
        "agreement-new": "/agreements/new/",
        "agreement-edit": f"/agreements/{records['draft'].pk}/edit/",
        "agreement-signed": f"/agreements/{approved.pk}/signed/",
        "agreement-terminate": f"/agreements/{approved.pk}/terminate/",
        "agreement-renew": f"/agreements/{approved.pk}/renew/",
        "obligation": f"/agreements/{approved.pk}/obligations/{records['obligation'].pk}/",
        "summaries-waiting": f"/agreements/summaries/{records['export'].pk}/",
        "evaluations": "/evaluations/",
        "evaluation-records": "/evaluations/recorded/",
        "evaluation": f"/evaluations/{records['evaluation'].pk}/",
        "evaluation-form": f"/evaluations/agreement/{approved.pk}/year/2/",
        "budget": "/budget/",
        "programme-periods": "/programme-periods/",
        "programme-period-new": "/programme-periods/new/",
        "profile": "/accounts/profile/",
        "password": "/accounts/password/",
    }


@pytest.mark.parametrize("language", ["en", "sv"])
def test_8_every_main_page_fits_a_phone_without_sideways_scrolling(
    page, live_server, login, shoot, manager, records, language
):
    manager.language = language
    manager.save()
    problems = []

    def check(name):
        for problem in page.evaluate(LAYOUT_PROBLEMS, [NARROWEST_INPUT, ACTION_BUTTONS]):
            problems.append(f"{name}: {problem}")
        shoot(f"{name}-{language}")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    check("login")
    login(manager)
    for name, path in main_pages(records).items():
        page.goto(f"{live_server.url}{path}")
        check(name)
    assert not problems, "\n".join(problems)


def test_uploads_show_their_file_name_never_the_storage_path(
    page, live_server, login, manager, records
):
    login(manager)
    page.goto(f"{live_server.url}/partners/{records['partner'].pk}/edit/")
    stored = page.locator(".stored-file")
    expect(stored).to_contain_text("Ekonomiska_rutiner_2026.pdf")
    assert "partners/" not in page.locator("main").inner_text()


def test_the_filters_fold_away_on_a_phone_and_open_without_javascript(
    page, live_server, login, manager, records
):
    login(manager)
    page.goto(f"{live_server.url}/agreements/")
    search = page.get_by_label("Search")
    kind = page.get_by_label("Type", exact=True)
    expect(search).to_be_visible()
    expect(kind).to_be_hidden()
    # The status, dates and responsible person of the first agreement are on screen.
    first = page.locator("main table tbody tr").first
    expect(first).to_be_in_viewport()
    page.get_by_text("More filters").click()
    expect(kind).to_be_visible()
    kind.select_option("time_limited")
    page.get_by_role("button", name="Filter").click()
    # A filter in use keeps the fold open, so the user sees why the list is short.
    expect(page.get_by_label("Type", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Filters \(1 in use\)"))).to_be_visible()


def test_on_a_wide_screen_the_filters_are_open(page, live_server, login, manager, records):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(manager)
    page.goto(f"{live_server.url}/agreements/")
    expect(page.get_by_label("Type", exact=True)).to_be_visible()
    expect(page.get_by_text("More filters")).to_be_hidden()
