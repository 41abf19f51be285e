"""The signed agreement is filed after approval (signing follows it), replaced with its
history kept, and shown on the page, in the PDF summary, in the CSV, in a list filter
and on the responsible person's dashboard. The approved terms stay locked."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, Status
from core.versioning import EditConflict
from tests.factories import AgreementFactory

TODAY = timezone.localdate


def pdf(name="signerat.pdf", body=b"signed"):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + body, content_type="application/pdf")


@pytest.fixture
def approved(staff):
    return AgreementFactory(approved=True, created_by=staff, title="Läslust")


def file_copy(client, agreement, **data):
    return client.post(f"/agreements/{agreement.pk}/signed/", data, follow=True)


def test_staff_files_the_signed_copy_of_an_approved_agreement(staff_client, staff, approved):
    terms = Agreement.objects.filter(pk=approved.pk).values().get()
    signed_on = TODAY() - datetime.timedelta(days=2)
    response = file_copy(
        staff_client, approved, signed_document=pdf(), signed_on=signed_on.isoformat()
    )
    html = response.content.decode()
    assert f"The signed copy of {approved.reference} is filed." in html
    approved.refresh_from_db()
    assert approved.is_signed and approved.signed_on == signed_on
    assert approved.signed_document_name == "signerat.pdf"
    assert approved.signed_document_added_by == staff
    assert f'<time datetime="{signed_on.isoformat()}">' in html
    # Nothing of the locked terms moved.
    after = Agreement.objects.filter(pk=approved.pk).values().get()
    for field in ("status", "economic_amount", "end_date", "conduct", "approved_by_id"):
        assert after[field] == terms[field]
    download = staff_client.get(f"/agreements/{approved.pk}/signed.pdf")
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4 signed")


def test_the_approved_page_offers_filing_and_says_it_is_not_signed(staff_client, approved):
    html = staff_client.get(f"/agreements/{approved.pk}/").content.decode()
    assert "Not signed yet" in html
    assert f"/agreements/{approved.pk}/signed/" in html


def test_replacing_keeps_the_earlier_copy_in_the_history(staff_client, manager_client, approved):
    file_copy(staff_client, approved, signed_document=pdf("first.pdf", b"one"), signed_on=TODAY())
    response = file_copy(
        manager_client, approved, signed_document=pdf("second.pdf", b"two"), signed_on=TODAY()
    )
    assert f"The signed copy of {approved.reference} is replaced." in response.content.decode()
    approved.refresh_from_db()
    assert approved.signed_document_name == "second.pdf"
    page = manager_client.get(f"/agreements/{approved.pk}/signed/").content.decode()
    assert "Earlier copies" in page and "first.pdf" in page
    earlier = page.split("?copy=")[1].split('"')[0]
    old = manager_client.get(f"/agreements/{approved.pk}/signed.pdf?copy={earlier}")
    assert b"".join(old.streaming_content) == b"%PDF-1.4 one"
    history = manager_client.get(f"/agreements/{approved.pk}/").content.decode()
    # The change history names the files, never their storage path.
    assert "first.pdf → second.pdf" in history
    assert "agreements/signed/" not in history


def test_the_date_can_be_corrected_without_a_new_file(staff_client, approved):
    file_copy(staff_client, approved, signed_document=pdf(), signed_on=TODAY())
    corrected = TODAY() - datetime.timedelta(days=5)
    file_copy(staff_client, approved, signed_on=corrected.isoformat())
    approved.refresh_from_db()
    assert approved.signed_on == corrected and approved.signed_document_name == "signerat.pdf"


@pytest.mark.parametrize(
    "data,message",
    [
        ({"signed_on": "2026-01-01"}, "Choose the signed PDF."),
        ({"signed_document": "pdf"}, "Give the day it was signed."),
        ({"signed_document": "gif", "signed_on": "2026-01-01"}, "not a real PDF file"),
        ({"signed_document": "pdf", "signed_on": "future"}, "The date cannot be in the future."),
    ],
)
def test_bad_input_is_named_next_to_its_field(staff_client, approved, data, message):
    files = {"pdf": pdf(), "gif": SimpleUploadedFile("x.pdf", b"GIF89a")}
    data = {key: files.get(value, value) for key, value in data.items()}
    if data.get("signed_on") == "future":
        data["signed_on"] = (TODAY() + datetime.timedelta(days=1)).isoformat()
    html = file_copy(staff_client, approved, **data).content.decode()
    assert message in html and "Nothing was saved" in html
    approved.refresh_from_db()
    assert not approved.is_signed and approved.signed_on is None


@pytest.mark.parametrize("trait", ["draft", "pending", "returned"])
def test_only_an_approved_agreement_takes_a_signed_copy(staff_client, staff, trait):
    agreement = AgreementFactory(
        created_by=staff,
        **({"pending": True} if trait == "pending" else {"status": trait}),
    )
    response = staff_client.get(f"/agreements/{agreement.pk}/signed/")
    assert response.status_code == 403
    response = staff_client.post(
        f"/agreements/{agreement.pk}/signed/", {"signed_document": pdf(), "signed_on": TODAY()}
    )
    assert response.status_code == 403
    assert not Agreement.objects.get(pk=agreement.pk).signed_document


def test_the_service_refuses_a_draft_and_a_stale_form(staff, approved):
    draft = AgreementFactory(created_by=staff)
    with pytest.raises(PermissionDenied):
        services.agreement_attach_signed_document(
            agreement=draft, user=staff, signed_on=TODAY(), document=pdf()
        )
    opened = approved.version
    services.agreement_attach_signed_document(
        agreement=approved, user=staff, signed_on=TODAY(), document=pdf(), opened_version=opened
    )
    with pytest.raises(EditConflict):
        services.agreement_attach_signed_document(
            agreement=approved, user=staff, signed_on=TODAY(), opened_version=opened
        )


def test_the_database_refuses_a_signing_date_without_a_copy_or_before_approval(staff):
    approved = AgreementFactory(approved=True, created_by=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=approved.pk).update(signed_on=TODAY())
    draft = AgreementFactory(created_by=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=draft.pk).update(
            signed_on=TODAY(), signed_document="agreements/signed/x/a.pdf"
        )


def test_list_filter_csv_and_pdf_say_whether_it_is_signed(staff_client, staff, approved):
    signed = AgreementFactory(approved=True, created_by=staff, title="Undertecknat")
    services.agreement_attach_signed_document(
        agreement=signed, user=staff, signed_on=datetime.date(2026, 3, 2), document=pdf()
    )
    AgreementFactory(created_by=staff, title="Utkast")
    listing = staff_client.get("/agreements/?awaiting_signature=on")
    assert [a.title for a in listing.context["page"].object_list] == ["Läslust"]

    body = b"".join(staff_client.get("/agreements/export.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header = rows[0]
    by_title = {row[header.index("Title")]: row for row in rows[1:]}
    assert by_title["Undertecknat"][header.index("Signed")] == "Yes"
    assert by_title["Undertecknat"][header.index("Signed on")] == "2026-03-02"
    assert by_title["Läslust"][header.index("Signed")] == "No"
    assert by_title["Läslust"][header.index("Signed on")] == ""

    staff.language = "sv"
    staff.save()
    body = b"".join(staff_client.get("/agreements/export.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    by_title = {row[header.index("Rubrik")]: row for row in rows[1:]}
    assert by_title["Undertecknat"][header.index("Underskrivet")] == "Ja"
    assert by_title["Undertecknat"][header.index("Undertecknat den")] == "2026-03-02"


def test_the_responsible_person_sees_unsigned_agreements_on_the_dashboard(
    staff_client, staff, approved
):
    AgreementFactory(approved=True, title="Someone else's")
    shown = {panel.title: panel for panel in staff_client.get("/").context["panels"]}
    panel = shown["My approved agreements not yet signed"]
    assert [a.title for a in panel.items] == ["Läslust"]
    services.agreement_attach_signed_document(
        agreement=approved, user=staff, signed_on=TODAY(), document=pdf()
    )
    shown = {panel.title: panel for panel in staff_client.get("/").context["panels"]}
    assert shown["My approved agreements not yet signed"].count == 0


def test_status_changes_do_not_touch_the_signed_copy(staff, manager, approved):
    services.agreement_attach_signed_document(
        agreement=approved, user=staff, signed_on=TODAY(), document=pdf()
    )
    services.agreement_transition(
        agreement=approved,
        action="terminate",
        user=manager,
        comment="Riktlinjerna följdes inte.",
        terminated_on=TODAY(),
        termination_cause="guidelines_breached",
    )
    approved.refresh_from_db()
    assert approved.status == Status.TERMINATED and approved.is_signed


def test_the_pdf_summary_says_whether_and_when_it_was_signed(staff_client, staff, approved):
    from tests.agreements.test_pdf import contains, download, pdf_pages, short_date

    text = "\n".join(pdf_pages(download(staff_client, approved)))
    assert contains(text, "Signed agreement Not signed yet")
    signed_on = datetime.date(2026, 3, 2)
    services.agreement_attach_signed_document(
        agreement=approved, user=staff, signed_on=signed_on, document=pdf()
    )
    text = "\n".join(pdf_pages(download(staff_client, approved)))
    assert contains(text, f"Signed agreement Signed on {short_date(signed_on)}")
