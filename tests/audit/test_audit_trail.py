"""The audit trail reads the decisions the register kept: a scripted sequence of
decisions, each at its own moment, comes back row by row in the CSV export, on the page
and in the PDF report; filters by kind and partner; managers only."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agreements import services as agreement_services
from agreements.approvals import ApprovalStatement
from evaluations import services as evaluation_services
from governance import services as governance_services
from governance.forms import IncidentForm
from partnerships import services as partner_services
from partnerships.forms import ContactFormSet, PartnerForm
from partnerships.models import Partner
from tests.agreements.test_pdf import contains, pdf_pages
from tests.conftest import log_in
from tests.factories import AgreementFactory, EvaluationFactory, PartnerFactory, UserFactory

MARCH = "?start=2026-03-01&end=2026-03-19"


def at(hour, minute=0, day=2):
    moment = timezone.make_aware(datetime.datetime(2026, 3, day, hour, minute))
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def story(db):
    """Decisions on one day, in this order; the expected rows are written out below."""
    anna = UserFactory(username="anna", first_name="Anna", last_name="Lind", staff=True)
    maria, johan, karin = (
        UserFactory(username=name.lower(), first_name=name, last_name="Chef", manager=True)
        for name in ("Maria", "Johan", "Karin")
    )
    partner = PartnerFactory(name="Puente Andino", risk_level="low", responsible=anna)
    other_partner = PartnerFactory(name="Läslust")
    with at(8):
        large = AgreementFactory(
            complete=True,
            reference="AGR-2026-0001",
            title="Radio",
            partner=partner,
            created_by=anna,
            economic_amount=Decimal("600000"),
            start_date=datetime.date(2026, 4, 1),
            end_date=datetime.date(2027, 3, 31),
        )
        small = AgreementFactory(
            complete=True,
            reference="AGR-2026-0002",
            title="Läsning",
            partner=other_partner,
            created_by=anna,
            start_date=datetime.date(2026, 4, 1),
            end_date=datetime.date(2027, 3, 31),
        )
        evaluated = AgreementFactory(
            approved=True,
            reference="AGR-2025-0009",
            partner=partner,
            start_date=datetime.date(2025, 1, 1),
            end_date=datetime.date(2026, 12, 31),
        )
        evaluation = EvaluationFactory(period=evaluated.evaluation_periods.get(number=1))
    with at(9):
        large = agreement_services.agreement_transition(agreement=large, action="submit", user=anna)
    with at(9, 5):
        small = agreement_services.agreement_transition(agreement=small, action="submit", user=anna)
    with at(9, 30):
        form = IncidentForm(
            {
                "category": "corruption",
                "severity": "serious",
                "description": "Kvitton saknas.",
                "became_known_on": "2026-03-01",
                "source": "Revisorn",
            },
            partner=partner,
        )
        assert form.is_valid()
        incident = governance_services.incident_record(form=form, partner=partner, user=anna)
    with at(10):
        agreement_services.agreement_declare_interest(
            agreement=large, user=maria, interest="Min bror är styrelseledamot."
        )
    statement = ApprovalStatement(
        no_conflict_of_interest=True, acknowledged_incidents=(incident.pk,)
    )
    with at(10, 10):
        agreement_services.agreement_transition(
            agreement=large, action="approve", user=johan, statement=statement
        )
    with at(10, 20):
        large = agreement_services.agreement_transition(
            agreement=large, action="approve", user=karin, statement=statement
        )
    with at(11):
        agreement_services.agreement_transition(
            agreement=small,
            action="return",
            user=johan,
            comment='=HYPERLINK("x") Lägg till ett mål.',
        )
    with at(12):
        agreement_services.agreement_transition(
            agreement=large,
            action="terminate",
            user=karin,
            comment="Medel användes privat.",
            terminated_on=datetime.date(2026, 3, 2),
            termination_cause="corruption",
            cited_incidents=[incident.pk],
        )
    with at(13):
        governance_services.incident_transition(
            incident=incident,
            action="close",
            user=maria,
            outcome="led_to_termination",
            comment="Avtalet sades upp.",
        )
    with at(14):
        evaluation_services.evaluation_complete(evaluation=evaluation, user=anna)
    with at(14, 30):
        evaluation_services.evaluation_reopen(
            evaluation=evaluation, user=maria, reason="Fel siffror."
        )
    with at(15):
        partner = Partner.objects.get(pk=partner.pk)
        data = {
            "name": partner.name,
            "kind": partner.kind,
            "country": "BO",
            "responsible": anna.pk,
            "risk_level": "high",
            "risk_change_reason": "Incidenten visar svaga rutiner.",
            "last_due_diligence_review_on": "2026-03-02",
            "edit_version": partner.version,
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        }
        form = PartnerForm(data, instance=partner)
        contacts = ContactFormSet(data, instance=partner, prefix="contacts")
        assert form.is_valid() and contacts.is_valid(), form.errors
        partner_services.partner_save(form=form, contact_formset=contacts, user=anna)
    with at(9, day=20):  # after the range asked for: not in it
        agreement_services.agreement_transition(agreement=small, action="submit", user=anna)
    return {"maria": maria, "partner": partner, "incident": incident, "evaluation": evaluation}


def rows_of(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


FOUR_EYES = "Four-eyes: the approver did not draft, edit or submit it."
TWO = "Two approvals by different managers: the contribution is above the two-approval threshold."


def expected_rows(story):
    incident = story["incident"]
    evaluation = story["evaluation"]
    partner = story["partner"]
    return [
        ["2026-03-02 09:00", "Submissions", "Submitted for approval", "Anna Lind", "Puente Andino", "AGR-2026-0001 Radio",
         "Submitted by its author or responsible person, complete: goals, obligations of both sides, contributions, conduct and exchange described.", "", "/agreements/"],
        ["2026-03-02 09:05", "Submissions", "Submitted for approval", "Anna Lind", "Läslust", "AGR-2026-0002 Läsning",
         "Submitted by its author or responsible person, complete: goals, obligations of both sides, contributions, conduct and exchange described.", "", "/agreements/"],
        ["2026-03-02 10:00", "Declared interests", "Declared an interest and stood aside", "Maria Chef", "Puente Andino", "AGR-2026-0001 Radio",
         "A manager with an interest in the partner does not approve; another must.", "Interest: Min bror är styrelseledamot.", "/agreements/"],
        ["2026-03-02 10:10", "Approvals", "Approved (approval 1 of 2)", "Johan Chef", "Puente Andino", "AGR-2026-0001 Radio",
         f"{FOUR_EYES} {TWO}", f"Declared no personal or financial interest in the partner.; Serious incidents acknowledged: {incident}", "/agreements/"],
        ["2026-03-02 10:20", "Approvals", "Approved (approval 2 of 2)", "Karin Chef", "Puente Andino", "AGR-2026-0001 Radio",
         f"{FOUR_EYES} {TWO}", f"Declared no personal or financial interest in the partner.; Serious incidents acknowledged: {incident}", "/agreements/"],
        ["2026-03-02 11:00", "Returns", "Returned to the author", "Johan Chef", "Läslust", "AGR-2026-0002 Läsning",
         "A manager returns a pending agreement, saying what must change.", "'=HYPERLINK(\"x\") Lägg till ett mål.", "/agreements/"],
        ["2026-03-02 12:00", "Terminations", "Terminated", "Karin Chef", "Puente Andino", "AGR-2026-0001 Radio",
         "A manager terminates with immediate effect (never a future date), giving the cause and the reason.",
         f"Cause: Corruption or misuse of resources; With effect from 2026-03-02; Reason: Medel användes privat.; Incidents cited: {incident}", "/agreements/"],
        ["2026-03-02 13:00", "Incident closures", "Incident closed: Led to termination", "Maria Chef", "Puente Andino",
         f"{incident}: Suspected corruption or misuse of funds, serious",
         "Only managers close an incident, with an outcome; “led to termination” needs a termination that cites it.", "Avtalet sades upp.", f"/incidents/{incident.pk}/"],
        ["2026-03-02 14:00", "Evaluations completed and reopened", "Evaluation completed", "Anna Lind", "Puente Andino", "AGR-2025-0009 evaluation, year 1",
         "Complete when every goal has a result and resource use and lessons are described; then locked.", "", f"/evaluations/{evaluation.pk}/"],
        ["2026-03-02 14:30", "Evaluations completed and reopened", "Evaluation reopened", "Maria Chef", "Puente Andino", "AGR-2025-0009 evaluation, year 1",
         "Only a manager reopens a completed evaluation, giving the reason.", "Fel siffror.", f"/evaluations/{evaluation.pk}/"],
        ["2026-03-02 15:00", "Risk level changes", "Risk level: Low → High", "Anna Lind", "Puente Andino", "Puente Andino",
         "A change of risk level is kept with its reason; it is not a reason to refuse.", "Reason: Incidenten visar svaga rutiner.", f"/partners/{partner.pk}/"],
        ["2026-03-02 15:00", "Due-diligence reviews", "Due diligence reviewed on 2026-03-02", "Anna Lind", "Puente Andino", "Puente Andino",
         "Reviewed again 12 months later at this risk level (high).", "Next review due 2027-03-02", f"/partners/{partner.pk}/"],
    ]  # fmt: skip


def test_the_csv_gives_every_decision_row_by_row(client, story):
    log_in(client, story["maria"])
    rows = rows_of(client.get(reverse("audit:audit_export") + MARCH))
    assert rows[0] == [
        "when",
        "kind",
        "decision",
        "who",
        "partner",
        "record",
        "rule",
        "details",
        "link",
    ]
    expected = expected_rows(story)
    assert len(rows) - 1 == len(expected)
    for got, want in zip(rows[1:], expected, strict=True):
        # Links are absolute; compare the path they point at, and its start.
        *cells, link = got
        *wanted, path = want
        assert cells == wanted
        assert link.startswith("http") and path in link


def test_the_page_shows_the_same_decisions_and_filters_by_kind_and_partner(client, story):
    log_in(client, story["maria"])
    url = reverse("audit:audit_trail")
    page = client.get(url + MARCH)
    assert page.context["page"].paginator.count == len(expected_rows(story))
    html = page.content.decode()
    assert "Declared an interest and stood aside" in html and "Min bror är styrelseledamot." in html

    def decisions(query):
        return [
            entry.decision for entry in client.get(url + MARCH + query).context["page"].object_list
        ]

    assert decisions("&kind=approval&kind=conflict") == [
        "Declared an interest and stood aside",
        "Approved (approval 1 of 2)",
        "Approved (approval 2 of 2)",
    ]
    partner = story["partner"]
    assert len(decisions(f"&partner={partner.pk}")) == len(expected_rows(story)) - 2
    assert decisions("&partner_name=Läslust") == [
        "Submitted for approval",
        "Returned to the author",
    ]
    assert decisions("&partner_name=nobody") == []


def test_the_range_is_of_whole_local_days(client, story):
    log_in(client, story["maria"])
    url = reverse("audit:audit_trail")
    assert client.get(url + "?start=2026-03-03&end=2026-03-19").context["page"].paginator.count == 0
    later = client.get(url + "?start=2026-03-02&end=2026-03-20").context["page"].paginator.count
    assert later == len(expected_rows(story)) + 1


def test_a_bad_range_says_so_and_lists_nothing(client, story):
    log_in(client, story["maria"])
    page = client.get(reverse("audit:audit_trail") + "?start=2026-03-31&end=2026-03-01")
    assert page.context["form"].errors["end"] == ["The last day cannot be before the first."]
    assert page.context["page"].paginator.count == 0
    export = client.get(reverse("audit:audit_export") + "?start=2026-03-31&end=2026-03-01")
    assert export.status_code == 302


def test_the_pdf_report_lists_the_decisions(client, story):
    log_in(client, story["maria"])
    response = client.get(reverse("audit:audit_report_pdf") + MARCH)
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_pages(response.content))
    for phrase in (
        "Audit trail",
        "Declared an interest and stood aside",
        "Approved (approval 2 of 2)",
        "Incident closed: Led to termination",
        "Min bror är styrelseledamot.",
    ):
        assert contains(text, phrase), phrase


def test_a_pdf_of_too_many_decisions_is_refused_with_a_way_on(client, story, settings):
    settings.AUDIT_PDF_MAX_ENTRIES = 3
    log_in(client, story["maria"])
    response = client.get(reverse("audit:audit_report_pdf") + MARCH, follow=True)
    assert "too many for one PDF" in response.content.decode()


def test_only_managers_read_the_audit_trail(client, staff, db):
    log_in(client, staff)
    for name in ("audit:audit_trail", "audit:audit_export", "audit:audit_report_pdf"):
        assert client.get(reverse(name)).status_code == 403


def test_amendment_decisions_and_portal_access_are_in_the_trail(client, db):
    """An amendment goes through the one workflow; its submission and approval are named
    as the amendment. Portal access: each invitation, and a revocation kept once even
    when the contact is invited again afterwards."""
    from portal.services.invitations import partner_user_invite, partner_user_revoke
    from tests.agreements.amending import save
    from tests.factories import PartnerContactFactory

    anna = UserFactory(username="anna", first_name="Anna", last_name="Lind", staff=True)
    maria = UserFactory(username="maria", first_name="Maria", last_name="Chef", manager=True)
    with at(8):
        agreement = AgreementFactory(
            approved=True,
            reference="AGR-2026-0003",
            title="Radio",
            created_by=anna,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 12, 31),
        )
        contact = PartnerContactFactory(
            partner=agreement.partner, name="Lina Ek", email="lina@example.org"
        )
    with at(9):
        amendment = save(
            agreement,
            anna,
            types=["other_terms"],
            conduct="Båda parter nämner samarbetet i sina kanaler.",
            effective_date="2026-03-10",
            reason="Tydligare villkor.",
        )
        agreement_services.amendment_transition(amendment=amendment, action="submit", user=anna)
    with at(10):
        agreement_services.amendment_transition(
            amendment=amendment,
            action="approve",
            user=maria,
            statement=ApprovalStatement(no_conflict_of_interest=True, acknowledged_incidents=()),
        )
    with at(11):
        sent = partner_user_invite(contact=contact, language="sv", invited_by=anna)
    with at(12):
        partner_user_revoke(partner_user=sent.partner_user, revoked_by=maria)
    with at(13):
        partner_user_invite(contact=contact, language="sv", invited_by=anna)

    log_in(client, maria)
    rows = rows_of(client.get(reverse("audit:audit_export") + MARCH))[1:]
    got = [row[:6] for row in rows]
    assert got == [
        ["2026-03-02 09:00", "Submissions", "Submitted for approval", "Anna Lind", agreement.partner.name, "AGR-2026-0003 / amendment 1 Radio"],
        ["2026-03-02 10:00", "Approvals", "Approved (approval 1 of 1)", "Maria Chef", agreement.partner.name, "AGR-2026-0003 / amendment 1 Radio"],
        ["2026-03-02 11:00", "Portal access granted and revoked", "Portal access granted: invitation sent to lina@example.org", "Anna Lind", agreement.partner.name, "Portal user Lina Ek"],
        ["2026-03-02 12:00", "Portal access granted and revoked", "Portal access revoked", "Maria Chef", agreement.partner.name, "Portal user Lina Ek"],
        ["2026-03-02 13:00", "Portal access granted and revoked", "Portal access granted: invitation sent to lina@example.org", "Anna Lind", agreement.partner.name, "Portal user Lina Ek"],
    ]  # fmt: skip
    assert rows[1][8].endswith(amendment.get_absolute_url())
