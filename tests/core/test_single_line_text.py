"""One-line fields (names, titles, references, units) refuse line breaks and other
control characters, by every way in; what is already stored cannot break a calendar."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from icalendar import Calendar

from agreements.models import Agreement
from tests.agreements.test_views import agreement_data
from tests.architecture.test_import_boundaries import OUR_APPS
from tests.factories import AgreementFactory, PartnerFactory, UserFactory
from tests.partnerships.test_import import csv_upload, preview
from tests.partnerships.test_partner_form import partner_data

REFUSED = "Write this on one line, without line breaks, tabs or other control characters."
CONTROL_TEXTS = ["Läs\nprojekt", "Läs\r\nprojekt", "Läs\tprojekt", "Läs\x07projekt", "Läs\u2028projekt", "Läs\u202eprojekt"]  # fmt: skip


# Written by the code, never typed: a password hash, keys and labels the jobs make.
MACHINE_WRITTEN = {
    "User.password",
    "Reminder.claim_key",
    "Delivery.subject",
    "EvaluationEvent.action",
    # From the OpenID provider's signed token, never typed here.
    "SsoIdentity.issuer",
    "SsoIdentity.subject",
    # Generated, or copied from the record an event is about.
    "WebhookEndpoint.secret",
    "WebhookEvent.object_label",
    "WebhookEvent.object_id",
    "WebhookEvent.object_name",
}


def _typed_one_line_fields():
    """Every text field of our models that a person types on one line."""
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            name = f"{model.__name__}.{field.name}"
            if name in MACHINE_WRITTEN:
                continue
            if isinstance(field, models.CharField) and field.editable and not field.choices:
                yield name, field


@pytest.mark.parametrize(
    "field", [field for _name, field in _typed_one_line_fields()], ids=lambda field: str(field)
)
def test_every_one_line_field_refuses_control_characters(field):
    for text in CONTROL_TEXTS:
        with pytest.raises(ValidationError):
            field.run_validators(text)


def test_the_fields_found_include_the_names_and_titles():
    names = {name for name, _field in _typed_one_line_fields()}
    assert {"Agreement.title", "Partner.name", "PartnerContact.name", "User.first_name"} <= names


@pytest.mark.parametrize("title", CONTROL_TEXTS)
def test_a_line_break_in_an_agreement_title_is_refused_next_to_the_field(
    staff_client, staff, title
):
    partner = PartnerFactory(responsible=staff)
    response = staff_client.post("/agreements/new/", agreement_data(partner, staff, title=title))
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [REFUSED]
    assert REFUSED in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_trailing_line_break_is_only_trimmed(staff_client, staff):
    partner = PartnerFactory(responsible=staff)
    response = staff_client.post(
        "/agreements/new/", agreement_data(partner, staff, title="Läsprojekt\r\n")
    )
    assert response.status_code == 302
    assert Agreement.objects.get().title == "Läsprojekt"


def test_the_partner_form_refuses_a_line_break_in_the_name_and_a_contact_name(staff_client, staff):
    response = staff_client.post(
        "/partners/new/",
        partner_data(staff, name="Föreningen\nLäslust", **{"contacts-0-name": "Sara\x1bNy"}),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [REFUSED]
    assert response.context["contact_formset"].forms[0].errors["name"] == [REFUSED]


def test_the_import_refuses_a_line_break_in_a_name(staff_client):
    page, _url = preview(staff_client, csv_upload([["Läs\nlust", "", "company", "SE", "", "", ""]]))
    result = page.context["preview"]
    assert [(p.column, str(p.message)) for p in result.error_rows[0].problems] == [
        ("name", REFUSED)
    ]


def test_the_admin_refuses_a_line_break_in_a_name(client, db):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    criterion_count = apps.get_model("partnerships", "SelectionCriterion").objects.count()
    response = client.post(
        "/admin/partnerships/selectioncriterion/add/",
        {"name": "Kvalitet\nx", "description": "", "position": "0", "is_active": "on"},
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert apps.get_model("partnerships", "SelectionCriterion").objects.count() == criterion_count


def test_the_calendar_download_survives_control_characters_already_stored(staff_client):
    partner = PartnerFactory(name="Förening\x07en\r\nLäslust")
    agreement = AgreementFactory(approved=True, partner=partner, title="Läs\nprojekt\u2028två")
    response = staff_client.get(f"/calendar/agreement/{agreement.pk}.ics")
    assert response.status_code == 200
    body = response.content.decode()
    assert "\x07" not in body and "\u2028" not in body
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["NAME"]) == f"{agreement.reference} Läs projekt två"
    summaries = [str(event["SUMMARY"]) for event in calendar.events]
    assert (
        f"Agreement ends: {agreement.reference} Läs projekt två (Föreningen Läslust)" in summaries
    )


def test_the_text_helpers():
    from core.text import one_line, without_control_characters

    assert one_line("a\r\nb\tc\x07d\u2028e\u202ef") == "a b cd ef"
    assert without_control_characters("a\r\nb\x07\tc\u2028d") == "a\nb c\nd"


def test_an_evaluation_attachments_description_is_one_line(staff_client, staff):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from evaluations.models import Evaluation
    from tests.evaluations.test_views import evaluation_post

    agreement = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=timezone.localdate() - datetime.timedelta(days=400),
    )
    report = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 report")
    response = staff_client.post(
        f"/evaluations/agreement/{agreement.pk}/year/1/",
        evaluation_post(agreement, attachment=report, attachment_description="Års\nrapport"),
    )
    assert response.context["form"].errors["attachment_description"] == [REFUSED]
    assert not Evaluation.objects.exists()
