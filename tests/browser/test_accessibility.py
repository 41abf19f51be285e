"""Journey 7: the main pages on a phone-sized screen, checked with axe-core."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from tests.factories import (
    AgreementFactory,
    DialogueEntryFactory,
    DialogueFollowUpFactory,
    EvaluationFactory,
    GoalFactory,
    ObligationFactory,
    PartnerContactFactory,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The checks the issue names: labels, heading order, alt text, button names, contrast.
RULES = [
    "label",
    "select-name",
    "heading-order",
    "image-alt",
    "svg-img-alt",
    "button-name",
    "link-name",
    "color-contrast",
    "document-title",
    "html-has-lang",
    "duplicate-id",
    "aria-allowed-attr",
    "aria-required-attr",
    "form-field-multiple-labels",
]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def test_7_pages_work_on_a_phone_and_pass_accessibility_checks(
    page, live_server, login, shoot, manager, staff
):
    start = timezone.localdate() - datetime.timedelta(days=400)
    agreement = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=start,
        end_date=start + datetime.timedelta(days=1000),
    )
    GoalFactory(agreement=agreement)
    obligation = ObligationFactory(agreement=agreement, due_date=start)
    PartnerContactFactory(partner=agreement.partner)
    evaluation = EvaluationFactory(
        period=agreement.evaluation_periods.get(number=1), completed=True
    )
    AgreementFactory(pending=True, created_by=staff)
    entry = DialogueEntryFactory(partner=agreement.partner, agreement=agreement)
    follow_up = DialogueFollowUpFactory(entry=entry, owner=manager, overdue=True)
    partner_pk = agreement.partner.pk
    pages = {
        "dashboard": "/",
        "partners": "/partners/",
        "partner": f"/partners/{agreement.partner.pk}/",
        "partner-form": "/partners/new/",
        "agreements": "/agreements/",
        "agreement": f"/agreements/{agreement.pk}/",
        "agreement-form": "/agreements/new/",
        "terminate": f"/agreements/{agreement.pk}/terminate/",
        "evaluations": "/evaluations/",
        "evaluation": f"/evaluations/{evaluation.pk}/",
        "evaluation-form": f"/evaluations/agreement/{agreement.pk}/year/2/",
        "assessment-form": f"/partners/{agreement.partner.pk}/assessments/new/",
        "profile": "/accounts/profile/",
        "budget": "/budget/",
        "programme-periods": "/programme-periods/",
        "programme-period-form": "/programme-periods/new/",
        "obligation": f"/agreements/{agreement.pk}/obligations/{obligation.pk}/",
        "dialogue": f"/partners/{partner_pk}/dialogue/",
        "dialogue-entry": f"/partners/{partner_pk}/dialogue/{entry.pk}/",
        "dialogue-form": f"/partners/{partner_pk}/dialogue/new/",
        "follow-ups": "/partners/follow-ups/",
        "follow-up-done": f"/partners/follow-ups/{follow_up.pk}/done/",
    }
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

    login(manager)
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        check(name)
    # The calendar address, shown once after the feed is turned on.
    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_role("button", name="Turn the calendar feed on").click()
    page.get_by_label("Your calendar address").wait_for()
    check("profile-calendar-address")
    assert not problems, "\n".join(problems)
