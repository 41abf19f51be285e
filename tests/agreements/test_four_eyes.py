"""Four-eyes means the approver did not shape the terms: nobody who drafted, edited or
submitted the version being approved approves it — in the rule and in the database."""

import pytest
from django import forms
from django.db import IntegrityError, transaction

from agreements.models import Agreement, AgreementContributor, Status
from tests.agreements.test_views import agreement_data
from tests.conftest import log_in
from tests.factories import PartnerFactory, UserFactory


def edit_title(client, agreement, responsible, title, amount):
    """Save the edit form as a user does, keeping the goals and obligations."""
    page = client.get(f"/agreements/{agreement.pk}/edit/")
    assert page.status_code == 200
    data = {}
    for form in [
        page.context["form"],
        *page.context["goal_formset"],
        *page.context["obligation_formset"],
    ]:
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                continue
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    for formset in (page.context["goal_formset"], page.context["obligation_formset"]):
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    data.update(title=title, economic_amount=str(amount))
    response = client.post(f"/agreements/{agreement.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:4000]


@pytest.fixture
def drafted(client, staff):
    log_in(client, staff)
    client.post("/agreements/new/", agreement_data(PartnerFactory(), staff))
    return Agreement.objects.get()


def test_a_manager_who_edited_a_draft_cannot_approve_it(client, drafted, staff, manager):
    log_in(client, manager)
    edit_title(client, drafted, staff, "Större belopp", 400_000)
    log_in(client, staff)
    assert client.post(f"/agreements/{drafted.pk}/submit/").status_code == 302
    drafted.refresh_from_db()
    assert drafted.status == Status.PENDING

    log_in(client, manager)
    assert "Approve" not in [t.label for t in page_transitions(client, drafted)]
    response = client.post(f"/agreements/{drafted.pk}/approve/", {"conflict": "none"})
    assert response.status_code == 403
    assert "You edited the terms of this agreement" in response.content.decode()
    drafted.refresh_from_db()
    assert drafted.status == Status.PENDING
    # The dashboard does not ask her to decide on it either.
    assert drafted.reference not in client.get("/", {}).content.decode()

    other = UserFactory(username="other_manager", manager=True)
    log_in(client, other)
    assert (
        client.post(f"/agreements/{drafted.pk}/approve/", {"conflict": "none"}).status_code == 302
    )
    drafted.refresh_from_db()
    assert drafted.status == Status.APPROVED and drafted.approved_by == other


def test_an_edit_after_a_return_counts_too(client, drafted, staff, manager):
    log_in(client, staff)
    client.post(f"/agreements/{drafted.pk}/submit/")
    log_in(client, manager)
    client.post(f"/agreements/{drafted.pk}/return/", {"comment": "Ändra beloppet."})
    edit_title(client, drafted, staff, "Ändrat av chefen", 5000)
    log_in(client, staff)
    client.post(f"/agreements/{drafted.pk}/submit/")
    log_in(client, manager)
    response = client.post(f"/agreements/{drafted.pk}/approve/", {"conflict": "none"})
    assert response.status_code == 403
    drafted.refresh_from_db()
    assert drafted.status == Status.PENDING


def test_the_database_refuses_an_approver_who_shaped_the_terms(db, drafted, manager):
    AgreementContributor.objects.create(agreement=drafted, user=manager, shaped_terms=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementContributor.objects.filter(agreement=drafted, user=manager).update(approved=True)


def test_the_approval_is_refused_by_the_database_if_a_rule_forgot_it(db, drafted, staff, manager):
    """The approval step itself (beneath the permission rule) hits the constraint."""
    from agreements import services

    services.agreement_transition(agreement=drafted, action="submit", user=staff)
    AgreementContributor.objects.create(agreement=drafted, user=manager, shaped_terms=True)
    with pytest.raises(services.TransitionRefused, match="four-eyes"):
        services._record_approval(drafted, manager)
    assert not AgreementContributor.objects.filter(approved=True).exists()


def page_transitions(client, agreement):
    return client.get(f"/agreements/{agreement.pk}/").context["transitions"]
