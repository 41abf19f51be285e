import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnerships.models import FocusArea, Partner, PartnerContact
from tests.factories import PartnerContactFactory, PartnerFactory


def partner_data(staff, **overrides):
    data = {
        "name": "Föreningen Läslust Malmö",
        "organisation_number": "802456-1234",
        "kind": "association",
        "country": "SE",
        "website": "https://laslust.example",
        "email": "info@laslust.example",
        "phone": "040-123 45 67",
        "street_address": "Storgatan 12",
        "postal_code": "211 20",
        "city": "Malmö",
        "description": "Läsfrämjande för barn.",
        "focus_areas": [FocusArea.objects.get(code="education").pk],
        "responsible": staff.pk,
        "risk_level": "low",
        "risk_change_reason": "Första bedömningen.",
        "risk_note": "",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Sara Nyström",
        "contacts-0-role": "Verksamhetsledare",
        "contacts-0-email": "sara@laslust.example",
        "contacts-0-phone": "",
        "contacts-1-name": "Jonas Ek",
        "contacts-1-role": "Kassör",
        "contacts-1-email": "jonas@laslust.example",
        "contacts-1-phone": "",
    }
    data.update(overrides)
    return data


def test_staff_registers_a_partner_with_two_contacts(staff_client, staff):
    response = staff_client.post("/partners/new/", partner_data(staff), follow=True)
    partner = Partner.objects.get()
    assert response.redirect_chain[-1][0] == f"/partners/{partner.pk}/"
    html = response.content.decode()
    assert "Partner “Föreningen Läslust Malmö” registered." in html
    assert "Sara Nyström" in html and "Jonas Ek" in html
    assert list(partner.contacts.values_list("name", flat=True)) == ["Sara Nyström", "Jonas Ek"]
    assert partner.created_by == staff
    assert [area.code for area in partner.focus_areas.all()] == ["education"]


def test_the_new_partner_form_shows_two_empty_contact_rows(staff_client):
    response = staff_client.get("/partners/new/")
    assert response.status_code == 200
    assert response.context["contact_formset"].total_form_count() == 2


def test_missing_required_fields_are_named_and_nothing_is_saved(staff_client, staff):
    data = partner_data(staff, name="", kind="")
    response = staff_client.post("/partners/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors and "kind" in form.errors
    assert "Nothing was saved" in response.content.decode()
    assert not Partner.objects.exists()
    assert not PartnerContact.objects.exists()


def test_an_invalid_contact_saves_nothing(staff_client, staff):
    data = partner_data(staff, **{"contacts-1-name": "", "contacts-1-email": "not-an-email"})
    response = staff_client.post("/partners/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the contact person&#x27;s name." in html
    assert "Enter a valid email address." in html
    assert not Partner.objects.exists()


def test_duplicate_name_says_which_partner_has_it(staff_client, staff):
    existing = PartnerFactory(name="Föreningen Läslust Malmö")
    data = partner_data(staff, name="  föreningen   läslust malmö ", organisation_number="")
    response = staff_client.post("/partners/new/", data)
    html = response.content.decode()
    assert (
        f'<a href="/partners/{existing.pk}/">Föreningen Läslust Malmö</a> already has this name'
        in html
    )
    assert Partner.objects.count() == 1


def test_duplicate_organisation_number_says_which_partner_has_it(staff_client, staff):
    existing = PartnerFactory(name="Other name", organisation_number="802456-1234")
    response = staff_client.post("/partners/new/", partner_data(staff))
    html = response.content.decode()
    assert (
        f'<a href="/partners/{existing.pk}/">Other name</a> already has this organisation number'
        in html
    )
    assert Partner.objects.count() == 1


def test_values_confirmation_needs_a_date_and_records_who_confirmed(staff_client, staff):
    response = staff_client.post("/partners/new/", partner_data(staff, shares_values="on"))
    assert "Give the date the partner confirmed our values." in response.content.decode()
    today = timezone.localdate().isoformat()
    staff_client.post(
        "/partners/new/", partner_data(staff, shares_values="on", values_confirmed_on=today)
    )
    partner = Partner.objects.get()
    assert partner.values_confirmed_by == staff
    assert partner.values_confirmed_on.isoformat() == today


def test_due_diligence_dates_cannot_be_in_the_future(staff_client, staff):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = staff_client.post(
        "/partners/new/", partner_data(staff, code_of_conduct_accepted_on=tomorrow)
    )
    assert "The date cannot be in the future." in response.content.decode()
    assert not Partner.objects.exists()


def test_documented_routines_need_an_uploaded_document(staff_client, staff):
    response = staff_client.post(
        "/partners/new/", partner_data(staff, financial_routines_documented="on")
    )
    assert (
        "Upload the document that describes the partner&#x27;s routines."
        in response.content.decode()
    )
    assert not Partner.objects.exists()


def test_routines_document_must_really_be_a_document(staff_client, staff):
    fake = SimpleUploadedFile(
        "routines.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = staff_client.post(
        "/partners/new/",
        partner_data(staff, financial_routines_documented="on", financial_routines_document=fake),
    )
    assert "not a real PDF file" in response.content.decode()
    exe = SimpleUploadedFile("routines.exe", b"MZ", content_type="application/octet-stream")
    response = staff_client.post(
        "/partners/new/",
        partner_data(staff, financial_routines_documented="on", financial_routines_document=exe),
    )
    assert (
        "Only these file types are accepted: PDF, DOCX, ODT, XLSX, ODS."
        in response.content.decode()
    )
    assert not Partner.objects.exists()


def test_routines_document_has_a_size_limit(staff_client, staff, settings):
    settings.MAX_UPLOAD_SIZE = 100
    big = SimpleUploadedFile("routines.pdf", b"%PDF-1.4" + b"0" * 200)
    response = staff_client.post(
        "/partners/new/",
        partner_data(staff, financial_routines_documented="on", financial_routines_document=big),
    )
    assert "the largest allowed is 100" in response.content.decode()


def test_uploaded_routines_document_is_downloadable_only_when_logged_in(
    staff_client, staff, client
):
    pdf = SimpleUploadedFile("rutiner.pdf", b"%PDF-1.4 routines")
    staff_client.post(
        "/partners/new/",
        partner_data(
            staff,
            financial_routines_documented="on",
            financial_routines_document=pdf,
        ),
    )
    partner = Partner.objects.get()
    url = f"/partners/{partner.pk}/routines-document/"
    response = staff_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 routines"
    assert 'filename="rutiner.pdf"' in response["Content-Disposition"]
    client.logout()
    assert client.get(url).status_code == 302


def test_staff_edits_a_partner_and_removes_a_contact(staff_client, staff):
    partner = PartnerFactory(name="Old name", responsible=staff)
    keep = PartnerContactFactory(partner=partner, name="Keep Me")
    drop = PartnerContactFactory(partner=partner, name="Drop Me")
    data = partner_data(staff, name="New name", organisation_number="")
    data.update(
        {
            "contacts-TOTAL_FORMS": "3",
            "contacts-INITIAL_FORMS": "2",
            "contacts-0-id": keep.pk,
            "contacts-0-name": "Keep Me",
            "contacts-0-email": keep.email,
            "contacts-1-id": drop.pk,
            "contacts-1-name": "Drop Me",
            "contacts-1-email": drop.email,
            "contacts-1-DELETE": "on",
            "contacts-2-name": "",
            "contacts-2-role": "",
            "contacts-2-email": "",
            "contacts-2-phone": "",
        }
    )
    response = staff_client.post(f"/partners/{partner.pk}/edit/", data, follow=True)
    assert "Changes to “New name” saved." in response.content.decode()
    partner.refresh_from_db()
    assert partner.name == "New name"
    assert list(partner.contacts.values_list("name", flat=True)) == ["Keep Me"]


def test_editing_keeps_its_own_name_without_a_duplicate_error(staff_client, staff):
    partner = PartnerFactory(name="Same", responsible=staff)
    data = partner_data(staff, name="Same", organisation_number="", **{"contacts-TOTAL_FORMS": "0"})
    response = staff_client.post(f"/partners/{partner.pk}/edit/", data)
    assert response.status_code == 302


def test_archived_partner_cannot_be_edited(staff_client, staff):
    partner = PartnerFactory(archived=True)
    assert staff_client.get(f"/partners/{partner.pk}/edit/").status_code == 403
    # A form sent anyway (opened before the archiving) comes back with the reason.
    response = staff_client.post(f"/partners/{partner.pk}/edit/", partner_data(staff))
    assert response.status_code == 200
    assert "This partner is archived. Restore it before editing." in response.content.decode()
    partner.refresh_from_db()
    assert partner.name != partner_data(staff)["name"]


def test_user_without_role_cannot_create_or_edit(client, no_role_user, staff):
    client.force_login(no_role_user)
    partner = PartnerFactory()
    assert client.get("/partners/new/").status_code == 403
    assert client.post("/partners/new/", partner_data(staff)).status_code == 403
    assert client.post(f"/partners/{partner.pk}/edit/", partner_data(staff)).status_code == 403
    assert Partner.objects.count() == 1


def test_csrf_is_enforced_on_partner_forms(staff, db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post("/partners/new/", partner_data(staff))
    assert response.status_code == 403
    assert not Partner.objects.exists()


def test_a_name_saved_by_someone_else_a_moment_earlier_is_a_form_error(
    staff_client, staff, monkeypatch
):
    """Found by the concurrent write test: the form's check passed, a colleague saved
    the same name before our save, and the service's own check must not become a 500."""
    from partnerships import services, views

    save = services.partner_save

    def colleague_saves_first(**kwargs):
        PartnerFactory(name="Föreningen Läslust Malmö")
        return save(**kwargs)

    monkeypatch.setattr(views.services, "partner_save", colleague_saves_first)
    response = staff_client.post("/partners/new/", partner_data(staff))
    assert response.status_code == 200
    assert "was saved at the same moment. Nothing was saved" in response.content.decode()
    assert response.context["form"].errors["name"] == ["A partner with this name already exists."]
    assert Partner.objects.count() == 1 and not PartnerContact.objects.exists()


def test_the_search_finds_a_partner_under_its_new_name_and_contacts(staff_client, staff):
    partner = PartnerFactory(name="Gamla Namnet", responsible=staff)
    data = partner_data(staff, name="Nya Ängsföreningen", organisation_number="")
    assert staff_client.post(f"/partners/{partner.pk}/edit/", data).status_code == 302

    def found(text):
        page = staff_client.get("/partners/", {"q": text}).context["page"]
        return [row.name for row in page.object_list]

    assert found("ÄNGS") == ["Nya Ängsföreningen"]
    assert found("gamla") == []
    assert found("NYSTRÖM") == ["Nya Ängsföreningen"]  # a contact added in the form
    assert found("INFO@LÄSLUST") == []
    assert found("info@laslust.example") == ["Nya Ängsföreningen"]


def test_the_edit_page_names_the_stored_routines_document_not_its_storage_path(staff_client):
    partner = PartnerFactory(due_diligence_done=True)
    stored = partner.financial_routines_document.name
    assert "/" in stored  # partners/routines/<random>/routines.pdf
    html = staff_client.get(f"/partners/{partner.pk}/edit/").content.decode()
    assert '<strong class="file-name">routines.pdf</strong>' in html
    assert stored not in html and "partners/routines" not in html
    # A save without a new file keeps the stored one.
    form = staff_client.get(f"/partners/{partner.pk}/edit/").context["form"]
    assert form["financial_routines_document"].value().name == stored


def test_the_obligation_follow_up_form_names_its_evidence_file_only(staff_client, staff):
    from django.core.files.base import ContentFile

    from tests.factories import AgreementFactory

    agreement = AgreementFactory(approved=True, created_by=staff)
    obligation = agreement.obligations.first()
    obligation.fulfilment_evidence.save("kvitto.pdf", ContentFile(b"%PDF-1.4 kvitto"))
    html = staff_client.get(
        f"/agreements/{agreement.pk}/obligations/{obligation.pk}/"
    ).content.decode()
    assert '<strong class="file-name">kvitto.pdf</strong>' in html
    assert "agreements/evidence" not in html
