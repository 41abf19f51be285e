"""Importing partners in a browser: upload, preview on a phone, confirm."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from partnerships.models import Partner
from tests.browser.test_accessibility import RULES
from tests.factories import PartnerFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FILE = (
    "name;organisation_number;kind;email;contact_name\n"
    "Föreningen Läslust;802456-1234;association;info@laslust.example;Sara Nyström\n"
    "Kulturhuset Ängby;;foundation;;\n"
    "Bad kind AB;;NGO;not-an-email;\n"
    "=1+1;;company;;\n"
)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def test_staff_imports_a_file_after_checking_the_preview(page, live_server, login, shoot, staff):
    PartnerFactory(name="Kulturhuset Ängby")
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

    login(staff)
    page.goto(f"{live_server.url}/partners/")
    page.get_by_role("link", name="Import from file").click()
    check("upload")
    page.get_by_label("CSV or Excel file").set_input_files(
        {"name": "partners.csv", "mimeType": "text/csv", "buffer": FILE.encode("utf-8")}
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url("**/partners/import/*/")
    check("preview")
    assert page.get_by_text("2 to be created").is_visible()
    assert page.get_by_text("“NGO” is not a kind of organisation").is_visible()
    assert not Partner.objects.filter(name="Föreningen Läslust").exists()

    page.get_by_role("button", name="Import 2 partners").click()
    page.wait_for_url(f"{live_server.url}/partners/")
    assert page.get_by_text("2 partners imported from partners.csv.").is_visible()
    assert Partner.objects.filter(name__in=["Föreningen Läslust", "=1+1"]).count() == 2
    assert not problems, "\n".join(problems)
