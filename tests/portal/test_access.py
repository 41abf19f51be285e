"""Every portal URL and download, for two partner organisations, staff, managers and
anonymous visitors; and every staff page around the portal for each persona. The
access matrix (tests/core/test_access_matrix.py) checks that these tables, with its
own, name every URL of the project, and that a partner user reaches no staff URL."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from portal.models import ObligationProposal, PartnerDeclaration, PartnerReport
from portal.services.invitations import _new_invitation
from tests.conftest import log_in
from tests.factories import PartnerUserFactory

LOGIN = "login-redirect"
NOT_FOUND = 404

# URL name -> expected GET status for (anonymous, staff, manager, the partner's own user,
# a user of another partner). Objects are the partner's own, made by `portal_objects`.
PORTAL_EXPECTED = {
    "portal:home": (LOGIN, 403, 403, 200, 200),
    # The link itself is the key: whoever holds a valid one sees the password form.
    "portal:invitation": (200, 200, 200, 200, 200),
    "portal:password_change": (LOGIN, 403, 403, 200, 200),
    "portal:agreement_detail": (LOGIN, 403, 403, 200, NOT_FOUND),
    "portal:agreement_summary_pdf": (LOGIN, 403, 403, 200, NOT_FOUND),
    "portal:report": (LOGIN, 403, 403, 200, NOT_FOUND),
    "portal:report_attachment": (LOGIN, 403, 403, 200, NOT_FOUND),
    "portal:declaration": (LOGIN, 403, 403, 200, 200),
    "portal:declaration_pdf": (LOGIN, 403, 403, 200, NOT_FOUND),
    "portal:obligation_propose": (LOGIN, 403, 403, 200, NOT_FOUND),
    "portal:proposal_evidence": (LOGIN, 403, 403, 200, NOT_FOUND),
    "portal:review": (LOGIN, 403, 403, 200, NOT_FOUND),
}

# Staff pages around the portal: (anonymous, staff, manager, no role, partner user).
STAFF_SIDE_EXPECTED = {
    "portal_staff:invite": (LOGIN, 200, 200, 403, 403),
    "portal_staff:resend": (LOGIN, 405, 405, 405, 403),  # POST only; partner users stop earlier
    "portal_staff:revoke": (LOGIN, 200, 200, 403, 403),  # confirmation page
    "portal_staff:report_list": (LOGIN, 200, 200, 403, 403),
    "portal_staff:report_detail": (LOGIN, 200, 200, 403, 403),
    "portal_staff:report_attachment": (LOGIN, 200, 200, 403, 403),
    "portal_staff:declaration_pdf": (LOGIN, 200, 200, 403, 403),
    "portal_staff:proposal_detail": (LOGIN, 200, 200, 403, 403),
    "portal_staff:proposal_evidence": (LOGIN, 200, 200, 403, 403),
    # What partners say about our cooperation is for managers.
    "portal_staff:review_overview": (LOGIN, 403, 200, 403, 403),
    "portal_staff:partner_reviews": (LOGIN, 403, 200, 403, 403),
}
STAFF_SIDE_POST_ONLY = {"portal_staff:resend"}
STAFF_SIDE_CONFIRMATION_PAGES = {"portal_staff:revoke"}

PERSONAS = ["anonymous", "staff", "manager", "own", "other"]


def portal_objects(agreement) -> dict:
    """URL keyword arguments for every portal URL, pointing at `agreement`'s partner."""
    invited = PartnerUserFactory(partner=agreement.partner, invited=True)
    token = _new_invitation(invited, sent_by=agreement.responsible)
    report, attachment = report_with_attachment(agreement, invited.user)
    obligation = agreement.obligations.get(side="partner")
    return {
        "portal:declaration_pdf": {"pk": declaration_of(agreement.partner, invited.user).pk},
        "portal:obligation_propose": {"agreement_pk": agreement.pk, "pk": obligation.pk},
        "portal:proposal_evidence": {"pk": proposal_of(obligation, invited.user).pk},
        "portal:review": {"pk": agreement.pk},
        "portal:invitation": {"token": token},
        "portal:agreement_detail": {"pk": agreement.pk},
        "portal:agreement_summary_pdf": {"pk": agreement.pk},
        "portal:report": {"agreement_pk": agreement.pk, "number": 1},
        "portal:report_attachment": {"pk": report.pk, "attachment_pk": attachment.pk},
    }


def declaration_of(partner, user):
    return PartnerDeclaration.objects.create(
        partner=partner,
        confirmed_by=user,
        confirmed_name="Lina Ek",
        confirmed_on="2026-01-01",
        shares_values=True,
        accepts_code_of_conduct=True,
        routines_documented=True,
        routines_document=ContentFile(b"%PDF-1.4 routines", name="routines.pdf"),
        pdf=ContentFile(b"%PDF-1.4 declaration", name="declaration.pdf"),
    )


def proposal_of(obligation, user):
    return ObligationProposal.objects.create(
        obligation=obligation,
        proposed_by=user,
        fulfilled_on="2026-01-01",
        note="Klart.",
        evidence=ContentFile(b"%PDF-1.4 receipt", name="receipt.pdf"),
    )


def report_with_attachment(agreement, author):
    report = PartnerReport.objects.create(
        period=agreement.evaluation_periods.get(number=1), created_by=author
    )
    attachment = report.attachments.create(
        file=ContentFile(b"%PDF-1.4 survey", name="survey.pdf"), uploaded_by=author
    )
    return report, attachment


def _check(client, url, expected):
    response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    else:
        assert response.status_code == expected, f"{url}: {response.status_code} != {expected}"


@pytest.mark.parametrize("owner", ["first", "second"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_portal_urls_per_persona_and_partner(
    client,
    staff,
    manager,
    agreement,
    other_agreement,
    partner_user,
    other_partner_user,
    persona,
    owner,
):
    """Each partner's user sees its own records and gets 404 for the other's."""
    objects = portal_objects(agreement if owner == "first" else other_agreement)
    own, other = (
        (partner_user, other_partner_user)
        if owner == "first"
        else (other_partner_user, partner_user)
    )
    user = {"anonymous": None, "staff": staff, "manager": manager, "own": own.user}.get(
        persona, other.user
    )
    if user:
        log_in(client, user)
    column = PERSONAS.index(persona)
    for name, expected in PORTAL_EXPECTED.items():
        _check(client, reverse(name, kwargs=objects.get(name, {})), expected[column])


@pytest.fixture
def staff_side_objects(agreement, partner_user):
    contact = partner_user.contact
    invited = PartnerUserFactory(partner=agreement.partner, invited=True)
    report, attachment = report_with_attachment(agreement, partner_user.user)
    proposal = proposal_of(agreement.obligations.get(side="partner"), partner_user.user)
    return {
        "portal_staff:proposal_detail": {"pk": proposal.pk},
        "portal_staff:proposal_evidence": {"pk": proposal.pk},
        "portal_staff:partner_reviews": {"pk": agreement.partner_id},
        "portal_staff:declaration_pdf": {
            "pk": declaration_of(agreement.partner, partner_user.user).pk
        },
        "portal_staff:report_detail": {"pk": report.pk},
        "portal_staff:report_attachment": {"pk": report.pk, "attachment_pk": attachment.pk},
        "portal_staff:invite": {
            "pk": agreement.partner_id,
            "contact_pk": _uninvited_contact(agreement.partner).pk,
        },
        "portal_staff:resend": {"pk": invited.pk},
        "portal_staff:revoke": {"pk": partner_user.pk if contact else invited.pk},
    }


def _uninvited_contact(partner):
    from tests.factories import PartnerContactFactory

    return PartnerContactFactory(partner=partner, email="not.yet@partner.example")


@pytest.mark.parametrize("persona", ["anonymous", "staff", "manager", "no_role", "partner"])
def test_staff_side_urls_per_persona(
    client, staff, manager, no_role_user, other_partner_user, staff_side_objects, persona
):
    user = {
        "anonymous": None,
        "staff": staff,
        "manager": manager,
        "no_role": no_role_user,
        "partner": other_partner_user.user,
    }[persona]
    if user:
        log_in(client, user)
    column = ["anonymous", "staff", "manager", "no_role", "partner"].index(persona)
    for name, expected in STAFF_SIDE_EXPECTED.items():
        _check(client, reverse(name, kwargs=staff_side_objects.get(name, {})), expected[column])


def test_get_on_staff_confirmation_pages_changes_nothing(staff_client, partner_user):
    staff_client.get(reverse("portal_staff:revoke", args=[partner_user.pk]))
    partner_user.refresh_from_db()
    assert partner_user.revoked_at is None


def test_an_invited_user_without_a_password_cannot_use_the_portal(client, partner):
    invited = PartnerUserFactory(partner=partner, invited=True)
    log_in(client, invited.user)
    assert client.get(reverse("portal:home")).status_code == 403
