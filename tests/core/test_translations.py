"""The Swedish catalogue is complete, and the compiled file matches it."""

from pathlib import Path

import polib
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.html import escape

from agreements.models import Agreement
from core.filters import StableOrderingFilter
from partnerships.models import CriterionScore, FocusArea, SelectionAssessment, SelectionCriterion
from tests.factories import AgreementFactory, PartnerFactory

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "sv" / "LC_MESSAGES"


def test_every_swedish_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]
    assert len(po) > 700


def test_the_compiled_catalogue_is_up_to_date():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in mo}
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        expected = entry.msgstr or {int(k): v for k, v in entry.msgstr_plural.items()}
        found = compiled.get(key)
        if isinstance(found, dict):
            found = {int(k): v for k, v in found.items()}
        assert found == expected, f"{entry.msgid!r}: run compilemessages"


def test_pages_speak_swedish_to_a_swedish_browser(staff_client):
    html = staff_client.get("/partners/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Registrera partner" in html
    with translation.override("sv"):
        assert str(translation.gettext("Overdue")) != "Overdue"


def _flash(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    "action,traits,user,data,msgid",
    [
        (
            "submit",
            {"complete": True},
            "staff",
            {},
            "%(reference)s is submitted. A manager will approve or return it.",
        ),
        (
            "approve",
            {"pending": True},
            "manager",
            {"conflict": "none"},
            "%(reference)s is approved.",
        ),
        (
            "return",
            {"pending": True},
            "manager",
            {"comment": "Mer detaljer."},
            "%(reference)s is returned to the author.",
        ),
        (
            "terminate",
            {"approved": True},
            "manager",
            {"termination_cause": "code_of_conduct", "comment": "Brott mot koden."},
            "%(reference)s is terminated.",
        ),
    ],
)
def test_workflow_messages_are_swedish_on_a_swedish_page(
    client, staff, manager, action, traits, user, data, msgid
):
    """The message after each workflow action, in a real request in Swedish."""
    agreement = AgreementFactory(created_by=staff, **traits)
    if action == "terminate":
        data = {**data, "terminated_on": timezone.localdate().isoformat()}
    client.force_login({"staff": staff, "manager": manager}[user])
    response = client.post(
        f"/agreements/{agreement.pk}/{action}/", data, follow=True, HTTP_ACCEPT_LANGUAGE="sv"
    )
    with translation.override("sv"):
        swedish = translation.gettext(msgid) % {"reference": agreement.reference}
    assert swedish != msgid % {"reference": agreement.reference}
    assert swedish in _flash(response)


def test_renewal_message_is_swedish_on_a_swedish_page(client, staff):
    agreement = AgreementFactory(approved=True, created_by=staff)
    client.force_login(staff)
    response = client.post(
        f"/agreements/{agreement.pk}/renew/", follow=True, HTTP_ACCEPT_LANGUAGE="sv"
    )
    renewal = Agreement.objects.get(follows=agreement)
    msgid = (
        "Draft %(new)s follows %(old)s. Check the period and terms, then submit it for approval."
    )
    with translation.override("sv"):
        swedish = translation.gettext(msgid)
    assert swedish != msgid
    assert _flash(response) == [swedish % {"new": renewal.reference, "old": agreement.reference}]


def test_a_refusal_from_a_service_is_swedish_on_a_swedish_page(staff_client, staff):
    agreement = AgreementFactory(created_by=staff, conduct="")
    page = staff_client.post(
        f"/agreements/{agreement.pk}/submit/", HTTP_ACCEPT_LANGUAGE="sv"
    ).content.decode()
    with translation.override("sv"):
        problem = translation.gettext("Add at least one measurable goal.")
    assert problem != "Add at least one measurable goal."
    assert problem in page


def test_the_reason_for_a_refused_permission_is_swedish_on_a_swedish_page(client, other_staff):
    agreement = AgreementFactory(pending=True)
    client.force_login(other_staff)
    response = client.post(f"/agreements/{agreement.pk}/approve/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 403
    with translation.override("sv"):
        reason = translation.gettext("Only managers can approve agreements.")
    assert reason != "Only managers can approve agreements."
    assert reason in response.content.decode()


@pytest.mark.parametrize("url", ["/agreements/", "/partners/"])
def test_every_sort_choice_is_swedish_on_a_swedish_page(staff_client, url):
    def sort_choices(language):
        response = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        return [
            str(label)
            for _value, label in response.context["filter"].form["ordering"].field.choices
        ]

    english, swedish = sort_choices("en"), sort_choices("sv")
    assert len(swedish) == len(english) >= 4
    untranslated = [
        label for label, in_english in zip(swedish, english, strict=True) if label == in_english
    ]
    assert untranslated == []
    assert not any("descending" in label for label in english)


def test_a_sort_choice_without_its_label_is_a_programming_error():
    with pytest.raises(ImproperlyConfigured, match="-end_date"):
        StableOrderingFilter(fields=(("end_date", "end"),), field_labels={"end_date": "End"})


# Data the migrations load and users read: every row in both languages. ----------------


def test_every_selection_criterion_shows_in_swedish_on_a_swedish_page(staff_client):
    partner = PartnerFactory()
    url = f"/partners/{partner.pk}/assessments/new/"
    swedish = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    english = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    criteria = list(SelectionCriterion.objects.filter(is_active=True))
    assert len(criteria) == 11
    for criterion in criteria:
        assert criterion.name_sv and criterion.name_sv != criterion.name, criterion.name
        assert criterion.description_sv != criterion.description, criterion.name
        assert escape(criterion.name_sv) in swedish
        assert escape(criterion.description_sv) in swedish
        assert escape(criterion.name) not in swedish, criterion.name
        assert escape(criterion.name) in english and escape(criterion.description) in english


def test_a_recorded_assessment_names_its_criteria_in_swedish(staff_client, staff):
    partner = PartnerFactory()
    criterion = SelectionCriterion.objects.get(name="Code of conduct")
    assessment = SelectionAssessment.objects.create(
        partner=partner,
        assessed_by=staff,
        assessed_on="2026-01-10",
        recommendation="recommended",
    )
    CriterionScore.objects.create(
        assessment=assessment, criterion=criterion, score=4, justification="Följer koden."
    )
    page = staff_client.get(partner.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert escape(criterion.name_sv) in page and escape(criterion.name) not in page


def test_every_focus_area_shows_in_swedish_on_a_swedish_page(staff_client):
    PartnerFactory().focus_areas.set(FocusArea.objects.all())
    swedish_form = staff_client.get("/partners/new/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    swedish_list = staff_client.get("/partners/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    english_form = staff_client.get("/partners/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    areas = list(FocusArea.objects.all())
    assert len(areas) == 5
    for area in areas:
        assert area.name_sv and area.name_sv != area.name, area.code
        assert escape(area.name_sv) in swedish_form and escape(area.name_sv) in swedish_list
        assert escape(area.name) not in swedish_form, area.code
        assert escape(area.name) in english_form
