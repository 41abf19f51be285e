import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerships.models import (
    CriterionScore,
    FocusArea,
    Partner,
    SelectionAssessment,
    SelectionCriterion,
)
from tests.factories import PartnerContactFactory, PartnerFactory


def test_partner_names_are_unique_whatever_their_case(db):
    PartnerFactory(name="Föreningen Läslust")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerFactory(name="FÖRENINGEN LÄSLUST".lower().replace("ö", "Ö"))


def test_organisation_number_is_unique_when_given(db):
    PartnerFactory(organisation_number="802000-1234")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerFactory(organisation_number="802000-1234")


def test_many_partners_may_have_no_organisation_number(db):
    PartnerFactory(organisation_number="")
    PartnerFactory(organisation_number="")
    assert Partner.objects.filter(organisation_number="").count() == 2


def test_database_refuses_values_confirmation_without_a_date(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerFactory(shares_values=True, values_confirmed_on=None)


def test_database_refuses_documented_routines_without_a_document(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerFactory(financial_routines_documented=True, financial_routines_document="")


def test_database_refuses_an_unknown_risk_level(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerFactory(risk_level="extreme")


def test_full_clean_names_the_broken_rule(db):
    partner = PartnerFactory.build(
        responsible=PartnerFactory().responsible, shares_values=True, values_confirmed_on=None
    )
    with pytest.raises(ValidationError, match="Give the date the values were confirmed"):
        partner.full_clean()


def test_due_diligence_query_and_method_agree(db):
    complete = PartnerFactory(due_diligence_done=True)
    no_review = PartnerFactory(due_diligence_done=True, last_due_diligence_review_on=None)
    no_risk = PartnerFactory(due_diligence_done=True, risk_level="")
    nothing = PartnerFactory()
    assert list(Partner.objects.due_diligence_complete()) == [complete]
    assert set(Partner.objects.due_diligence_incomplete()) == {no_review, no_risk, nothing}
    assert complete.due_diligence_complete
    assert [str(m) for m in no_review.missing_due_diligence()] == ["no due-diligence review date"]
    assert [str(m) for m in no_risk.missing_due_diligence()] == ["risk level not assessed"]
    assert len(nothing.missing_due_diligence()) == 5


def test_search_finds_partner_by_contact_once_even_with_two_matching_contacts(db):
    partner = PartnerFactory(name="Kulturhuset")
    PartnerContactFactory(partner=partner, name="Åsa Berg", email="asa@k.example")
    PartnerContactFactory(partner=partner, name="Åsa Lind", email="lind@k.example")
    PartnerFactory(name="Someone else")
    assert list(Partner.objects.search("Åsa")) == [partner]
    assert list(Partner.objects.search("lind@k.example")) == [partner]


def test_migration_loads_focus_areas_and_selection_criteria(db):
    assert set(FocusArea.objects.values_list("code", flat=True)) == {
        "education",
        "culture",
        "inclusion",
        "democracy",
        "other",
    }
    names = list(SelectionCriterion.objects.values_list("name", flat=True))
    assert len(names) == 11
    assert "Code of conduct" in names
    assert "Endurance" in names


def test_criterion_scores_are_between_one_and_five(db, staff):
    assessment = SelectionAssessment.objects.create(
        partner=PartnerFactory(),
        assessed_by=staff,
        assessed_on="2026-01-10",
        recommendation="recommended",
    )
    criterion = SelectionCriterion.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionScore.objects.create(
            assessment=assessment, criterion=criterion, score=6, justification="x"
        )
    CriterionScore.objects.create(
        assessment=assessment, criterion=criterion, score=5, justification="Strong match"
    )
    assert assessment.average_score() == 5.0
