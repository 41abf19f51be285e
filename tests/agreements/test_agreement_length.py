"""An agreement runs at most settings.AGREEMENT_MAX_YEARS years, and every date a person
types lies between 1900 and 2199: checked when drafting, submitting and approving,
with the message next to the field, so no step reaches dates past the calendar's end."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.formats import date_format

from agreements import services
from agreements.models import Agreement, Status
from evaluations.models import EvaluationPeriod
from tests.agreements.test_views import agreement_data
from tests.architecture.test_import_boundaries import OUR_APPS
from tests.factories import AgreementFactory, PartnerFactory

DATE_REFUSED = "Give a date between %s and %s." % (
    date_format(datetime.date(1900, 1, 1), "SHORT_DATE_FORMAT"),
    date_format(datetime.date(2199, 12, 31), "SHORT_DATE_FORMAT"),
)


def short(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def _post(client, staff, start, end):
    partner = PartnerFactory(responsible=staff)
    return client.post(
        "/agreements/new/",
        agreement_data(partner, staff, start_date=start.isoformat(), end_date=end.isoformat()),
    )


def test_an_agreement_ending_in_9999_is_refused_next_to_the_end_date(staff_client, staff):
    response = _post(staff_client, staff, datetime.date(2026, 9, 1), datetime.date(9999, 12, 31))
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [DATE_REFUSED]
    assert not Agreement.objects.exists()


def test_an_agreement_longer_than_ten_years_is_refused_with_the_latest_end_date(
    staff_client, staff
):
    response = _post(staff_client, staff, datetime.date(2026, 9, 1), datetime.date(2036, 9, 1))
    assert response.context["form"].errors["end_date"] == [
        f"An agreement runs at most 10 years: starting on {short(datetime.date(2026, 9, 1))}, "
        f"it ends on {short(datetime.date(2036, 8, 31))} at the latest."
    ]
    assert not Agreement.objects.exists()


def test_ten_years_exactly_is_accepted(staff_client, staff):
    response = _post(staff_client, staff, datetime.date(2026, 9, 1), datetime.date(2036, 8, 31))
    assert response.status_code == 302
    assert Agreement.objects.get().end_date == datetime.date(2036, 8, 31)


def test_the_longest_agreement_is_a_setting(staff_client, staff, settings):
    settings.AGREEMENT_MAX_YEARS = 2
    response = _post(staff_client, staff, datetime.date(2026, 9, 1), datetime.date(2029, 8, 31))
    assert "An agreement runs at most 2 years" in response.context["form"].errors["end_date"][0]


def test_the_model_refuses_a_long_period_for_every_way_in(db):
    agreement = Agreement(start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2040, 1, 1))
    with pytest.raises(ValidationError) as refused:
        agreement.clean()
    assert list(refused.value.message_dict) == ["end_date"]


def test_the_database_refuses_dates_past_the_range(db):
    agreement = AgreementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(end_date=datetime.date(9999, 12, 31))


def test_a_long_draft_from_before_the_rule_cannot_be_submitted(staff_client, staff):
    draft = AgreementFactory(
        complete=True,
        created_by=staff,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2199, 12, 31),
    )
    page = staff_client.get(f"/agreements/{draft.pk}/submit/").content.decode()
    assert "An agreement runs at most 10 years" in page
    staff_client.post(f"/agreements/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_long_agreement_waiting_for_approval_is_refused_not_failed(manager_client, manager):
    pending = AgreementFactory(
        pending=True, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2199, 12, 31)
    )
    page = manager_client.get(f"/agreements/{pending.pk}/approve/").content.decode()
    assert "It cannot be approved as it is:" in page
    assert f"/agreements/{pending.pk}/return/" in page
    response = manager_client.post(f"/agreements/{pending.pk}/approve/")
    assert response.status_code == 200
    assert "An agreement runs at most 10 years" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert not EvaluationPeriod.objects.filter(agreement=pending).exists()


def test_renewing_a_long_agreement_proposes_the_longest_period_allowed(db, staff):
    old = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2029, 12, 31),
    )
    renewal = services.agreement_renew(agreement=old, user=staff)
    assert (renewal.start_date, renewal.end_date) == (
        datetime.date(2030, 1, 1),
        datetime.date(2039, 12, 31),
    )


# The day a reminder job ran for: written by the job, never typed.
MACHINE_WRITTEN = {"Reminder.for_date"}


def _typed_date_fields():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if type(field) is not models.DateTimeField and isinstance(field, models.DateField):
                if field.editable and f"{model.__name__}.{field.name}" not in MACHINE_WRITTEN:
                    yield field


@pytest.mark.parametrize("field", list(_typed_date_fields()), ids=str)
def test_every_typed_date_lies_between_1900_and_2199(field):
    for day in (datetime.date(1, 1, 1), datetime.date(1899, 12, 31), datetime.date(9999, 12, 31)):
        with pytest.raises(ValidationError):
            field.run_validators(day)
    field.run_validators(datetime.date(1900, 1, 1))
    field.run_validators(datetime.date(2199, 12, 31))


def test_the_date_fields_found_include_the_dialogue_and_obligations():
    names = {f"{field.model.__name__}.{field.name}" for field in _typed_date_fields()}
    assert {
        "Agreement.end_date",
        "ProgrammePeriod.end_date",
        "Obligation.due_date",
        "DialogueEntry.date",
        "DialogueFollowUp.due_date",
        "Evaluation.held_on",
    } <= names


def test_the_other_date_inputs_refuse_dates_outside_the_range(staff_client, staff, client, manager):
    from tests.conftest import log_in
    from tests.partnerships.test_assessment import assessment_data
    from tests.partnerships.test_dialogue import entry_data

    partner = PartnerFactory(responsible=staff)
    far = "9999-12-31"
    cases = [
        (
            f"/partners/{partner.pk}/dialogue/new/",
            entry_data(follow_ups=[{"description": "Ring", "owner": staff.pk, "due_date": far}]),
            lambda context: context["follow_up_formset"].forms[0].errors["due_date"],
        ),
        (
            f"/partners/{partner.pk}/dialogue/new/",
            entry_data(date="0001-01-01"),
            lambda context: context["form"].errors["date"],
        ),
        (
            f"/partners/{partner.pk}/assessments/new/",
            assessment_data(assessed_on="1899-12-31"),
            lambda context: context["form"].errors["assessed_on"],
        ),
        (
            "/agreements/new/",
            agreement_data(partner, staff, **{"obligations-0-due_date": far}),
            lambda context: context["obligation_formset"].forms[0].errors["due_date"],
        ),
    ]
    for url, data, errors in cases:
        response = staff_client.post(url, data)
        assert response.status_code == 200, url
        assert DATE_REFUSED in errors(response.context), url
    log_in(client, manager)
    response = client.post(
        "/programme-periods/new/",
        {"name": "P", "start_date": "2026-01-01", "end_date": far, "annual_budget": ""},
    )
    assert DATE_REFUSED in response.context["form"].errors["end_date"]
