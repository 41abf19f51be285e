"""The Django admin keeps the locks the pages keep: nothing kept is deleted there, not on
its page, not with "Delete selected", not through a record that cascades to it."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from accounts.roles import STAFF_GROUP
from agreements.models import Agreement, AgreementEvent
from core.admin import RecordLocksAdmin
from evaluations import services as evaluation_services
from evaluations.models import Evaluation, GoalResult
from partnerships.models import FocusArea, Partner, PartnerContact, SelectionAssessment
from reminders.models import Delivery, Reminder
from tests.architecture.test_import_boundaries import OUR_APPS
from tests.factories import (
    AgreementFactory,
    EvaluationFactory,
    PartnerContactFactory,
    PartnerFactory,
    UserFactory,
)
from tests.partnerships.test_partner_form import partner_data
from tests.reminders.test_services import D, run


@pytest.fixture
def root(db):
    """A superuser in a browser of their own (beside staff_client's)."""
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _admin_url(model, suffix=""):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{suffix}"


def _delete_on_its_page(client, obj):
    return client.post(_admin_url(type(obj), f"{obj.pk}/delete/"), {"post": "yes"})


def _delete_selected(client, model, *objs):
    return client.post(
        _admin_url(model),
        {"action": "delete_selected", "_selected_action": [o.pk for o in objs], "post": "yes"},
    )


def test_every_admin_of_ours_keeps_the_locks():
    """A ModelAdmin without the mixin would let its deletions cascade past every lock."""
    unguarded = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if (model._meta.app_label in OUR_APPS or model is Group)
        and not isinstance(model_admin, RecordLocksAdmin)
    ]
    assert unguarded == []


def test_a_completed_evaluation_cannot_be_deleted_with_its_results(root):
    evaluation = EvaluationFactory(completed=True)
    assert GoalResult.objects.filter(evaluation=evaluation).exists()
    assert _delete_on_its_page(root, evaluation).status_code == 403
    page = _delete_selected(root, Evaluation, evaluation)
    assert page.status_code == 200
    assert "an evaluation that was completed is kept" in page.content.decode()
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()
    assert GoalResult.objects.filter(evaluation=evaluation).exists()


def test_a_reopened_evaluation_is_kept_but_a_draft_never_completed_can_go(root, manager):
    reopened = EvaluationFactory(completed=True)
    evaluation_services.evaluation_reopen(evaluation=reopened, user=manager, reason="Fel år.")
    draft = EvaluationFactory()
    assert _delete_on_its_page(root, reopened).status_code == 403
    _delete_selected(root, Evaluation, reopened, draft)
    assert Evaluation.objects.filter(pk=reopened.pk).exists()
    assert _delete_on_its_page(root, draft).status_code == 302
    assert not Evaluation.objects.filter(pk=draft.pk).exists()


def test_an_approved_agreement_cannot_be_deleted_in_bulk(root):
    approved = AgreementFactory(approved=True)
    page = _delete_selected(root, Agreement, approved)
    assert "submitted and approved agreements are kept." in page.content.decode()
    assert Agreement.objects.filter(pk=approved.pk).exists()


def test_a_draft_agreement_is_deleted_only_without_workflow_events(root, staff):
    scripted = AgreementFactory()  # written without the application: no events
    assert _delete_selected(root, Agreement, scripted).status_code == 302
    assert not Agreement.objects.filter(pk=scripted.pk).exists()

    drafted = AgreementFactory(created_by=staff)
    AgreementEvent.objects.create(agreement=drafted, actor=staff, to_status="draft")
    page = _delete_selected(root, Agreement, drafted)
    assert "the events of an agreement&#x27;s workflow are kept." in page.content.decode()
    assert Agreement.objects.filter(pk=drafted.pk).exists()


@pytest.fixture
def sent_reminder(db):
    responsible = UserFactory(staff=True, email="anna@example.org")
    manager = UserFactory(manager=True, email="maria@example.org")
    AgreementFactory(
        approved=True,
        created_by=responsible,
        approved_by=manager,
        start_date=D(2026, 1, 1),
        end_date=D(2026, 12, 31),
    )
    run(D(2026, 10, 2))
    assert len(mail.outbox) == 2
    return Reminder.objects.get()


def test_reminder_claims_and_deliveries_are_read_only(root, sent_reminder):
    delivery = sent_reminder.deliveries.first()
    for model, obj in ((Reminder, sent_reminder), (Delivery, delivery)):
        assert root.get(_admin_url(model, "add/")).status_code == 403
        assert root.post(_admin_url(model, f"{obj.pk}/change/"), {}).status_code == 403
        assert _delete_on_its_page(root, obj).status_code == 403
        _delete_selected(root, model, obj)
        assert root.get(_admin_url(model, f"{obj.pk}/change/")).status_code == 200
    assert Reminder.objects.count() == 1 and Delivery.objects.count() == 2

    # The claim is still there, so running the day again sends nothing twice.
    run(D(2026, 10, 2))
    assert len(mail.outbox) == 2


def test_a_user_who_was_sent_reminders_is_not_deleted_with_them(root, sent_reminder):
    recipient = sent_reminder.deliveries.first().recipient
    page = root.post(_admin_url(type(recipient), f"{recipient.pk}/delete/"), {"post": "yes"})
    assert "the record of a sent reminder is kept" in page.content.decode()
    assert Delivery.objects.count() == 2


def test_a_partner_is_not_deleted_with_its_selection_assessment(root, staff):
    partner = PartnerFactory()
    SelectionAssessment.objects.create(
        partner=partner,
        assessed_by=staff,
        assessed_on=datetime.date(2026, 1, 10),
        recommendation="recommended",
        summary="Passar våra riktlinjer.",
    )
    page = _delete_on_its_page(root, partner)
    assert "a selection assessment is a record of the decision" in page.content.decode()
    assert Partner.objects.filter(pk=partner.pk).exists()
    unassessed = PartnerFactory()
    assert _delete_on_its_page(root, unassessed).status_code == 302


def test_the_roles_and_focus_areas_in_use_are_kept(root):
    staff_role = Group.objects.get(name=STAFF_GROUP)
    assert _delete_on_its_page(root, staff_role).status_code == 403
    other = Group.objects.create(name="Läsgrupp")
    assert _delete_on_its_page(root, other).status_code == 302

    area = FocusArea.objects.first()
    PartnerFactory().focus_areas.add(area)
    assert _delete_on_its_page(root, area).status_code == 403
    assert FocusArea.objects.filter(pk=area.pk).exists()


def _admin_partner_data(partner, **overrides):
    """The admin's change form for a partner as a browser sends it."""
    return {
        "name": partner.name,
        "kind": partner.kind,
        "country": partner.country,
        "responsible": partner.responsible_id,
        "risk_level": partner.risk_level,
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        **overrides,
    }


def test_an_admin_save_makes_a_page_form_opened_before_it_refuse_to_overwrite(
    root, staff_client, staff
):
    partner = PartnerFactory(name="Original", responsible=staff)
    page_opened = partner.version
    response = root.post(
        _admin_url(Partner, f"{partner.pk}/change/"),
        _admin_partner_data(partner, name="Admin fix", edit_version=partner.version),
    )
    assert response.status_code == 302
    late = partner_data(
        staff,
        name="Page edit",
        organisation_number="",
        edit_version=page_opened,
        **{"contacts-TOTAL_FORMS": "0"},
    )
    html = staff_client.post(f"/partners/{partner.pk}/edit/", late).content.decode()
    assert "Someone else saved changes here after you opened the form." in html
    assert Partner.objects.get().name == "Admin fix"


def test_the_admin_refuses_to_overwrite_a_change_made_after_its_form_was_opened(
    root, staff_client, staff
):
    partner = PartnerFactory(name="Original", responsible=staff)
    admin_opened = int(
        root.get(_admin_url(Partner, f"{partner.pk}/change/"))
        .context["adminform"]
        .form["edit_version"]
        .value()
    )
    page = partner_data(
        staff,
        name="Page edit",
        organisation_number="",
        edit_version=partner.version,
        **{"contacts-TOTAL_FORMS": "0"},
    )
    assert staff_client.post(f"/partners/{partner.pk}/edit/", page).status_code == 302
    response = root.post(
        _admin_url(Partner, f"{partner.pk}/change/"),
        _admin_partner_data(partner, name="Admin fix", edit_version=admin_opened),
    )
    assert response.status_code == 200
    assert "Someone else saved changes here after you opened the form." in response.content.decode()
    assert Partner.objects.get().name == "Page edit"


def test_a_contact_changed_in_the_admin_makes_the_partner_form_refuse_to_overwrite(
    root, staff_client, staff
):
    partner = PartnerFactory(responsible=staff)
    contact = PartnerContactFactory(partner=partner, name="Sara")
    page_opened = partner.version
    response = root.post(
        _admin_url(PartnerContact, f"{contact.pk}/change/"),
        {"partner": partner.pk, "name": "Sara Nyström", "role": "", "email": "", "phone": ""},
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.version == page_opened + 1
