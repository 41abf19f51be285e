"""An amendment from draft to approval, in a real Chromium against the live server: a
staff member drafts an amendment of the contribution and a goal (a bad date first),
submits it, another manager approves it, and the diff, the terms versions and the PDF
summary show the amended terms."""

import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from agreements.models import Amendment, AmendmentStatus
from tests.agreements.test_pdf import contains
from tests.factories import AgreementFactory, UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TODAY = timezone.localdate


def days(n):
    return (TODAY() + datetime.timedelta(days=n)).isoformat()


@pytest.mark.parametrize("width", [1280, 390])
def test_an_amendment_of_the_contribution_and_a_goal_is_drafted_approved_and_shown(
    page, live_server, login, shoot, staff, width
):
    page.set_viewport_size({"width": width, "height": 900})
    agreement = AgreementFactory(
        approved=True,
        created_by=staff,
        title="Läslust i ytterområdena",
        start_date=TODAY() - datetime.timedelta(days=60),
        end_date=TODAY() + datetime.timedelta(days=600),
    )
    approver = UserFactory(manager=True, username="approver", first_name="Åsa")

    login(staff)
    page.goto(f"{live_server.url}{agreement.get_absolute_url()}")
    page.get_by_role("link", name="Amend the terms").click()
    expect(page.get_by_text("The period cannot be amended")).to_be_visible()
    page.get_by_role("checkbox", name="Economic contribution").check()
    page.get_by_role("checkbox", name="Goals", exact=True).check()
    page.get_by_role("spinbutton", name="Economic contribution").fill("65000")
    page.locator("#id_goals-0-target_value").fill("150")
    page.get_by_label("Effective date").fill(days(700))  # after the end date
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Nothing was saved. Please correct the errors below.")).to_be_visible()
    expect(page.get_by_text("must be within the agreement's term")).to_be_visible()
    expect(page.get_by_text("Give the reason for the amendment.")).to_be_visible()
    shoot("refused")
    assert not Amendment.objects.exists()

    page.get_by_label("Effective date").fill(days(14))
    page.get_by_label("Reason").fill("Styrelsen utökade satsningen till fler skolor.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("saved as a draft")).to_be_visible()
    page.get_by_role("link", name="Submit for approval").click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(
        page.get_by_text("is submitted. Another manager will approve or return it.")
    ).to_be_visible()
    # The author may not approve: no button for it.
    expect(page.get_by_role("link", name="Approve")).to_have_count(0)

    login(approver)
    panel = page.locator("section.panel", has_text="Awaiting my approval")
    panel.get_by_role("link", name=agreement.reference).click()
    page.get_by_role("link", name="See the proposed terms").click()
    expect(page.get_by_text("SEK\u00a065,000.00")).to_be_visible()
    expect(page.get_by_text("Target value: 120 → 150")).to_be_visible()
    shoot("proposed")
    page.get_by_role("link", name="Approve").click()
    page.get_by_label("I have no personal or financial interest in this partner.").check()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("is approved. The amended terms apply from")).to_be_visible()
    amendment = Amendment.objects.get()
    assert amendment.status == AmendmentStatus.APPROVED and amendment.approved_by == approver

    page.get_by_role("link", name=f"{agreement.reference} · {agreement.title}").first.click()
    expect(page.get_by_text("Terms version 2, in force from")).to_be_visible()
    page.get_by_text("What amendment 1 changes").click()
    expect(page.locator("#amendments").get_by_text("Styrelsen utökade satsningen")).to_be_visible()
    expect(page.locator("summary", has_text="Version 2:")).to_be_visible()
    expect(page.locator("summary", has_text="Version 1:")).to_contain_text("as first approved")
    shoot("agreement")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the agreement page scrolls sideways: {scroll_width}px"

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF summary").click()
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert contains(text, "SEK 65,000.00") and not contains(text, "SEK 50,000.00")
    assert contains(text, "Styrelsen utökade satsningen")
