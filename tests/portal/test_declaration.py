"""The partner's declaration: confirmed by name and date, kept as a PDF, shown in the
partner's due diligence, and asked for again after the review interval."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portal.models import PartnerDeclaration, declaration_due
from tests.conftest import log_in


def routines():
    return SimpleUploadedFile("rutiner.pdf", b"%PDF-1.4 routines")


def confirm(client, **overrides):
    data = {
        "shares_values": "on",
        "accepts_code_of_conduct": "on",
        "routines_documented": "on",
        "routines_document": routines(),
        "confirmed_name": "Lina  Ek",
    }
    data.update(overrides)
    return client.post(
        reverse("portal:declaration"), {k: v for k, v in data.items() if v is not None}
    )


def test_the_partner_confirms_the_declaration_and_the_due_diligence_says_so(
    partner_client, partner_user, staff_client_for, partner
):
    assert declaration_due(partner)
    home = partner_client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:declaration") in home and "Confirm your declaration" in home

    response = confirm(partner_client)

    assert response.status_code == 302
    declaration = PartnerDeclaration.objects.get()
    assert declaration.confirmed_name == "Lina Ek"
    assert declaration.confirmed_by == partner_user.user
    assert declaration.confirmed_on == timezone.localdate()
    partner.refresh_from_db()
    assert partner.shares_values and partner.values_confirmed_on == timezone.localdate()
    assert partner.values_confirmed_by == partner_user.user
    assert partner.code_of_conduct_accepted_on == timezone.localdate()
    assert partner.financial_routines_documented and partner.financial_routines_document
    assert partner.history.latest().history_user == partner_user.user
    assert not declaration_due(partner)

    pdf = partner_client.get(reverse("portal:declaration_pdf", args=[declaration.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf))).pages)
    assert "Lina Ek" in text and partner.name in text and "equal worth of all people" in text

    page = staff_client_for().get(partner.get_absolute_url()).content.decode()
    assert "Confirmed by the partner in the partner portal: Lina Ek" in page
    assert reverse("portal_staff:declaration_pdf", args=[declaration.pk]) in page


@pytest.fixture
def staff_client_for(staff):
    from django.test import Client

    return lambda: log_in(Client(), staff)


@pytest.mark.parametrize(
    "missing,message",
    [
        ("shares_values", "Tick the box to confirm the shared values."),
        ("accepts_code_of_conduct", "Tick the box to accept the code of conduct."),
        ("routines_documented", "Tick the box to confirm that your routines are documented."),
        ("routines_document", "Attach the document that describes the routines."),
        ("confirmed_name", "Write your full name to sign."),
    ],
)
def test_every_part_is_needed_and_nothing_is_saved_without_it(
    partner_client, partner, missing, message
):
    response = confirm(partner_client, **{missing: None})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PartnerDeclaration.objects.exists()
    partner.refresh_from_db()
    assert not partner.shares_values


def test_a_name_of_spaces_is_no_signature(partner_client):
    response = confirm(partner_client, confirmed_name="   ")
    assert "Write your full name to sign." in response.content.decode()
    assert not PartnerDeclaration.objects.exists()


def test_the_routines_document_is_type_checked(partner_client):
    response = confirm(
        partner_client, routines_document=SimpleUploadedFile("rutiner.pdf", b"no pdf here")
    )
    assert "is not a real PDF file" in response.content.decode()
    assert not PartnerDeclaration.objects.exists()


def test_the_declaration_is_asked_for_again_after_the_review_interval(
    partner_client, partner, settings
):
    confirm(partner_client)
    today = timezone.localdate()
    assert not declaration_due(partner, today + datetime.timedelta(days=364))
    assert declaration_due(partner, today + datetime.timedelta(days=366))
    settings.DUE_DILIGENCE_REVIEW_MONTHS = 6
    assert declaration_due(partner, today + datetime.timedelta(days=190))
    PartnerDeclaration.objects.update(confirmed_on=today - datetime.timedelta(days=400))
    home = partner_client.get(reverse("portal:home")).content.decode()
    assert "Confirm your declaration" in home


def test_a_partner_reads_only_its_own_declarations(
    client, partner_user, other_partner_user, partner
):
    log_in(client, partner_user.user)
    confirm(client)
    declaration = PartnerDeclaration.objects.get()
    log_in(client, other_partner_user.user)
    assert client.get(reverse("portal:declaration_pdf", args=[declaration.pk])).status_code == 404
    page = client.get(reverse("portal:declaration")).content.decode()
    assert "Lina Ek" not in page
