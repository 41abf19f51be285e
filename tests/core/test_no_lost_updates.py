"""Two people (or two tabs) editing the same record: the second save is refused with
the input kept and the conflict explained, nothing overwritten."""

import datetime

import pytest

from agreements.models import Agreement, ProgrammePeriod
from evaluations.models import Evaluation, EvaluationEvent
from partnerships.models import DialogueEntry, Partner
from tests.agreements.test_views import agreement_data
from tests.conftest import log_in
from tests.core.test_double_submits import late_agreement_for
from tests.evaluations.test_views import evaluation_post
from tests.factories import (
    AgreementFactory,
    DialogueEntryFactory,
    DialogueFollowUpFactory,
    EvaluationFactory,
    PartnerFactory,
    UserFactory,
)
from tests.partnerships.test_dialogue import entry_data
from tests.partnerships.test_partner_form import partner_data


def test_second_save_of_a_partner_is_refused_and_keeps_the_input(staff_client, staff):
    partner = PartnerFactory(name="Original", responsible=staff)
    opened = partner.version
    data = partner_data(
        staff,
        name="First edit",
        organisation_number="",
        edit_version=opened,
        **{"contacts-TOTAL_FORMS": "0"},
    )
    assert staff_client.post(f"/partners/{partner.pk}/edit/", data).status_code == 302

    # A colleague opened the form at the same time and saves after the first edit.
    late = partner_data(
        staff,
        name="Second edit",
        organisation_number="",
        edit_version=opened,
        **{"contacts-TOTAL_FORMS": "0"},
    )
    response = staff_client.post(f"/partners/{partner.pk}/edit/", late)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved changes here after you opened the form." in html
    assert 'value="Second edit"' in html  # their input is kept
    partner.refresh_from_db()
    assert partner.name == "First edit" and partner.version == opened + 1

    # Saving again from the conflict page is a conscious overwrite and goes through.
    retry = dict(late, edit_version=response.context["form"].data["edit_version"])
    assert staff_client.post(f"/partners/{partner.pk}/edit/", retry).status_code == 302
    assert Partner.objects.get().name == "Second edit"


def test_second_save_of_an_agreement_is_refused(staff_client, staff):
    agreement = AgreementFactory(created_by=staff, title="Original")
    empty_children = {"goals-TOTAL_FORMS": "0", "obligations-TOTAL_FORMS": "0"}
    first = agreement_data(
        agreement.partner, staff, title="First", edit_version=1, **empty_children
    )
    assert staff_client.post(f"/agreements/{agreement.pk}/edit/", first).status_code == 302
    second = agreement_data(
        agreement.partner, staff, title="Second", edit_version=1, **empty_children
    )
    response = staff_client.post(f"/agreements/{agreement.pk}/edit/", second)
    assert "Someone else saved changes here" in response.content.decode()
    assert Agreement.objects.get().title == "First"


@pytest.fixture
def late_agreement(staff):
    return late_agreement_for(staff)


def _opened_version(client, url) -> int:
    """The version the form carries when a tab opens it."""
    return int(client.get(url).context["form"]["edit_version"].value())


def test_second_tab_evaluating_the_same_year_is_told_and_keeps_its_input(
    staff_client, late_agreement
):
    create = f"/evaluations/agreement/{late_agreement.pk}/year/1/"
    # Both tabs open "Evaluate year 1" before either saves.
    assert staff_client.get(create).status_code == 200
    first = evaluation_post(late_agreement, lessons_learned="Tab one.")
    assert staff_client.post(create, first).status_code == 302
    draft = Evaluation.objects.get()

    second = evaluation_post(late_agreement, lessons_learned="Tab two.")
    response = staff_client.post(create, second)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone started an evaluation of this period after you opened the form" in html
    assert "Tab two." in html  # the second tab's input is kept
    assert f'action="/evaluations/{draft.pk}/edit/"' in html  # it now saves over the draft
    draft.refresh_from_db()
    assert draft.lessons_learned == "Tab one."

    # Saving again from there is a conscious choice and replaces the first tab's draft.
    again = dict(second, edit_version=response.context["form"].data["edit_version"])
    assert staff_client.post(f"/evaluations/{draft.pk}/edit/", again).status_code == 302
    assert Evaluation.objects.get().lessons_learned == "Tab two."


def test_second_save_of_an_evaluation_draft_is_refused_and_keeps_the_input(
    staff_client, late_agreement
):
    draft = EvaluationFactory(period=late_agreement.evaluation_periods.get(number=1))
    edit = f"/evaluations/{draft.pk}/edit/"
    opened = _opened_version(staff_client, edit)
    first = evaluation_post(late_agreement, lessons_learned="First.", edit_version=opened)
    assert staff_client.post(edit, first).status_code == 302
    late = evaluation_post(late_agreement, lessons_learned="Second.", edit_version=opened)
    response = staff_client.post(edit, late)
    html = response.content.decode()
    assert "Someone else saved changes here after you opened the form." in html
    assert "Second." in html
    draft.refresh_from_db()
    assert draft.lessons_learned == "First."


def test_saving_an_evaluation_someone_completed_meanwhile_keeps_the_input(
    staff_client, late_agreement
):
    draft = EvaluationFactory(period=late_agreement.evaluation_periods.get(number=1))
    edit = f"/evaluations/{draft.pk}/edit/"
    opened = _opened_version(staff_client, edit)
    complete = evaluation_post(late_agreement, complete=True, edit_version=opened)
    assert staff_client.post(edit, complete).status_code == 302
    late = evaluation_post(late_agreement, lessons_learned="Too late.", edit_version=opened)
    response = staff_client.post(edit, late)
    html = response.content.decode()
    assert response.status_code == 200
    assert "A completed evaluation is locked." in html
    assert "Too late." in html
    assert Evaluation.objects.get().lessons_learned == "Fler träffar på helger."


def test_second_save_of_an_obligation_follow_up_is_refused_and_keeps_the_input(staff_client, staff):
    agreement = AgreementFactory(approved=True, created_by=staff)
    obligation = agreement.obligations.first()
    url = f"/agreements/{agreement.pk}/obligations/{obligation.pk}/"
    opened = _opened_version(staff_client, url)
    first = {
        "fulfilment": "fulfilled",
        "fulfilled_on": agreement.start_date.isoformat(),
        "fulfilment_note": "Rapporten kom.",
        "edit_version": opened,
    }
    assert staff_client.post(url, first).status_code == 302
    late = {
        "fulfilment": "not_fulfilled",
        "fulfilment_note": "Ingen rapport.",
        "edit_version": opened,
    }
    response = staff_client.post(url, late)
    html = response.content.decode()
    assert "Someone else saved changes here after you opened the form." in html
    assert "Ingen rapport." in html
    obligation.refresh_from_db()
    assert obligation.fulfilment == "fulfilled"

    retry = dict(late, edit_version=response.context["form"].data["edit_version"])
    assert staff_client.post(url, retry).status_code == 302
    obligation.refresh_from_db()
    assert obligation.fulfilment == "not_fulfilled"


def test_second_save_of_a_programme_period_is_refused_and_keeps_the_input(
    manager_client,
):
    period = ProgrammePeriod.objects.create(
        name="Programme 2026–2028",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2028, 12, 31),
    )
    url = f"/programme-periods/{period.pk}/edit/"
    opened = _opened_version(manager_client, url)
    data = {"start_date": "2026-01-01", "end_date": "2028-12-31", "edit_version": opened}
    first = dict(data, name="Programme A", annual_budget="100000")
    assert manager_client.post(url, first).status_code == 302
    late = dict(data, name="Programme B", annual_budget="999999")
    response = manager_client.post(url, late)
    html = response.content.decode()
    assert "Someone else saved changes here after you opened the form." in html
    assert 'value="Programme B"' in html
    period.refresh_from_db()
    assert (period.name, period.annual_budget) == ("Programme A", 100000)


def test_saving_an_agreement_submitted_meanwhile_keeps_the_input(staff_client, staff):
    agreement = AgreementFactory(created_by=staff, title="Original", complete=True)
    url = f"/agreements/{agreement.pk}/edit/"
    opened = _opened_version(staff_client, url)
    assert staff_client.post(f"/agreements/{agreement.pk}/submit/", {}).status_code == 302
    empty_children = {"goals-TOTAL_FORMS": "0", "obligations-TOTAL_FORMS": "0"}
    late = agreement_data(
        agreement.partner, staff, title="Late edit", edit_version=opened, **empty_children
    )
    response = staff_client.post(url, late)
    html = response.content.decode()
    assert response.status_code == 200
    assert "pending approval" in html
    assert 'value="Late edit"' in html
    assert Agreement.objects.get().title == "Original"


def test_saving_a_partner_archived_meanwhile_keeps_the_input(staff_client, staff):
    partner = PartnerFactory(name="Original", responsible=staff)
    opened = _opened_version(staff_client, f"/partners/{partner.pk}/edit/")
    assert staff_client.post(f"/partners/{partner.pk}/archive/").status_code == 302
    late = partner_data(
        staff,
        name="Late edit",
        organisation_number="",
        edit_version=opened,
        **{"contacts-TOTAL_FORMS": "0"},
    )
    response = staff_client.post(f"/partners/{partner.pk}/edit/", late)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This partner is archived. Restore it before editing." in html
    assert 'value="Late edit"' in html
    assert Partner.objects.get().name == "Original"


def test_dialogue_forms_opened_before_the_partner_was_archived_keep_their_input(
    staff_client, staff
):
    partner = PartnerFactory(responsible=staff)
    entry = DialogueEntryFactory(partner=partner, topics="Original topics.")
    opened = _opened_version(staff_client, f"/partners/{partner.pk}/dialogue/{entry.pk}/edit/")
    assert staff_client.get(f"/partners/{partner.pk}/dialogue/new/").status_code == 200
    staff_client.post(f"/partners/{partner.pk}/archive/")

    edit = staff_client.post(
        f"/partners/{partner.pk}/dialogue/{entry.pk}/edit/",
        entry_data(topics="Late edit.", edit_version=opened, total_forms=0),
    )
    new = staff_client.post(
        f"/partners/{partner.pk}/dialogue/new/", entry_data(topics="Late entry.", total_forms=0)
    )
    for response, kept, reason in (
        (edit, "Late edit.", "Restore it before editing its dialogue log."),
        (new, "Late entry.", "Restore it before logging a conversation."),
    ):
        html = response.content.decode()
        assert response.status_code == 200
        assert reason in html and kept in html
    assert list(DialogueEntry.objects.values_list("topics", flat=True)) == ["Original topics."]


def test_a_follow_up_marked_done_in_another_tab_says_so_instead_of_refusing(staff_client, staff):
    follow_up = DialogueFollowUpFactory(owner=staff, entry__partner__responsible=staff)
    url = f"/partners/follow-ups/{follow_up.pk}/done/"
    assert staff_client.get(url).status_code == 200  # both tabs show the confirmation
    assert staff_client.post(url, {"note": "Klart."}).status_code == 302
    response = staff_client.post(url, {"note": "Klart igen."}, follow=True)
    assert response.status_code == 200
    assert "already marked this follow-up done" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.done_note == "Klart."


def test_a_second_manager_reopening_an_evaluation_is_told_it_is_reopened(
    client, manager, late_agreement
):
    evaluation = EvaluationFactory(
        period=late_agreement.evaluation_periods.get(number=1), completed=True
    )
    url = f"/evaluations/{evaluation.pk}/reopen/"
    log_in(client, manager)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Fel belopp."}).status_code == 302
    log_in(client, UserFactory(manager=True))
    response = client.post(url, {"reason": "Också fel."}, follow=True)
    assert response.status_code == 200
    assert "This evaluation is already reopened as a draft." in response.content.decode()
    assert EvaluationEvent.objects.filter(action="reopened").count() == 1
