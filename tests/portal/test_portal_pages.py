"""What a partner user sees in the portal, and what never."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agreements.models import Side
from partnerships.models import SelectionAssessment
from tests.factories import (
    AgreementFactory,
    DialogueEntryFactory,
    EvaluationFactory,
    ObligationFactory,
    UserFactory,
)


def test_home_lists_the_partners_approved_agreements_in_every_phase_and_nothing_else(
    partner_client, agreement, other_agreement, staff
):
    partner = agreement.partner
    today = timezone.localdate()
    upcoming = AgreementFactory(
        approved=True, partner=partner, start_date=today + datetime.timedelta(days=30)
    )
    expired = AgreementFactory(
        approved=True,
        partner=partner,
        start_date=today - datetime.timedelta(days=800),
        end_date=today - datetime.timedelta(days=100),
    )
    terminated = AgreementFactory(terminated=True, partner=partner)
    hidden = [
        AgreementFactory(partner=partner, title="Utkast som partnern inte ser"),
        AgreementFactory(pending=True, partner=partner, title="Väntar på godkännande"),
        AgreementFactory(partner=partner, status="returned", title="Skickat tillbaka"),
    ]

    page = partner_client.get(reverse("portal:home")).content.decode()

    for shown in (agreement, upcoming, expired, terminated):
        assert shown.reference in page
    for state in ("Active", "Upcoming", "Expired", "Terminated"):
        assert state in page
    for not_shown in [*hidden, other_agreement]:
        assert not_shown.reference not in page and not_shown.title not in page
        response = partner_client.get(reverse("portal:agreement_detail", args=[not_shown.pk]))
        assert response.status_code == 404


def test_the_portal_header_names_both_organisations_and_offers_language_and_log_out(
    partner_client, settings, partner
):
    settings.ORGANISATION_NAME = "Stadsbiblioteket"
    page = partner_client.get(reverse("portal:home")).content.decode()
    assert "Stadsbiblioteket" in page and partner.name in page
    assert 'action="/accounts/language/"' in page and 'action="/accounts/logout/"' in page
    # None of the staff navigation.
    assert "/partners/" not in page and "/budget/" not in page and "/evaluations/" not in page


def test_the_agreement_page_shows_terms_goals_obligations_periods_and_the_responsible_person(
    partner_client, agreement
):
    ObligationFactory(
        agreement=agreement,
        side=Side.OURS,
        category="economic",
        description="Betala 50 000 kr i två delar.",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    page = partner_client.get(reverse("portal:agreement_detail", args=[agreement.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert agreement.payment_terms in text and agreement.conduct in text
    assert "Starkare läskultur" in text and "Fler barn läser på fritiden" in text
    assert "Betala 50 000 kr i två delar." in text and "Overdue" in text
    assert "Rapportera resultat och resursanvändning årligen." in text
    for period in agreement.evaluation_periods.all():
        assert period.end_date.strftime("%d/%m/%Y") in text or str(period.end_date.day) in text
    assert str(agreement.responsible) in text and agreement.responsible.email in text


def test_nothing_internal_reaches_the_partner(partner_client, agreement, staff, manager):
    partner = agreement.partner
    partner.risk_level = "high"
    partner.risk_note = "Intern riskbedömning: svag styrelse."
    partner.save()
    assessment = SelectionAssessment.objects.create(
        partner=partner,
        assessed_by=staff,
        assessed_on="2026-01-01",
        recommendation="recommended",
        summary="Internt urvalsomdöme.",
    )
    DialogueEntryFactory(partner=partner, learned="Internt lärdomsprotokoll.")
    EvaluationFactory(
        period=agreement.evaluation_periods.get(number=1),
        completed=True,
        evaluator=UserFactory(staff=True, first_name="Intern", last_name="Utvärderare"),
        lessons_learned="Intern slutsats om partnern.",
        recommendation="adjust",
    )
    agreement.approved_by.first_name, agreement.approved_by.last_name = "Godkännande", "Chef"
    agreement.approved_by.save()

    page = partner_client.get(reverse("portal:agreement_detail", args=[agreement.pk]))
    pdf = partner_client.get(reverse("portal:agreement_summary_pdf", args=[agreement.pk]))
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf))).pages)

    assert agreement.reference in pdf_text and "Fler barn läser på fritiden" in pdf_text
    for secret in (
        "Intern riskbedömning",
        "High",
        assessment.summary,
        "Internt lärdomsprotokoll",
        "Intern Utvärderare",
        "Intern slutsats",
        "Godkännande Chef",
        "Adjust",
        "/budget/",
    ):
        assert secret not in page.content.decode(), secret
        assert secret not in pdf_text, secret


def test_the_staff_pdf_still_shows_the_internal_evaluation(staff_client, agreement):
    EvaluationFactory(
        period=agreement.evaluation_periods.get(number=1),
        completed=True,
        evaluator=UserFactory(staff=True, first_name="Intern", last_name="Utvärderare"),
    )
    pdf = staff_client.get(reverse("agreements:agreement_summary_pdf", args=[agreement.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf))).pages)
    assert "Intern Utvärderare" in text


def test_logging_in_lands_a_partner_user_on_the_portal(client, partner_user):
    response = client.post(
        reverse("login"), {"username": "lina", "password": "password-for-tests"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/", "/accounts/profile/", "/accounts/password/"])
def test_pages_open_to_every_signed_in_user_are_closed_to_partner_users(partner_client, path):
    response = partner_client.get(path)
    if path in ("/", "/accounts/profile/"):
        assert response.status_code == 302 and response.url == reverse("portal:home")
    else:
        assert response.status_code == 403
        assert "Back to the partner portal" in response.content.decode()


def test_a_404_in_the_portal_uses_the_portal_layout(partner_client):
    response = partner_client.get(reverse("portal:agreement_detail", args=[999999]))
    assert response.status_code == 404
    text = response.content.decode()
    assert "Back to the partner portal" in text and "/partners/" not in text


def test_the_partner_user_changes_the_password(partner_client, partner_user):
    url = reverse("portal:password_change")
    bad = partner_client.post(
        url, {"old_password": "wrong", "new_password1": "x", "new_password2": "x"}
    )
    assert (
        bad.status_code == 200
        and "Your old password was entered incorrectly" in bad.content.decode()
    )
    new = "Ny lång fras för Ängby 2026"
    response = partner_client.post(
        url, {"old_password": "password-for-tests", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    partner_user.user.refresh_from_db()
    assert partner_user.user.check_password(new)
    assert partner_client.get(reverse("portal:home")).status_code == 200


def test_where_two_factor_is_required_a_partner_user_enrols_in_the_portal_layout(
    partner_client, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    response = partner_client.get(reverse("portal:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_setup"))
    page = partner_client.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Partner portal" in text and "/partners/" not in text
