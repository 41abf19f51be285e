import datetime

from django.utils import timezone

from partnerships.models import SelectionAssessment, SelectionCriterion
from tests.factories import PartnerFactory


def assessment_data(**overrides):
    data = {
        "assessed_on": timezone.localdate().isoformat(),
        "recommendation": "recommended",
        "summary": "Stark lokal förankring.",
    }
    for criterion in SelectionCriterion.objects.filter(is_active=True):
        data[f"score_{criterion.pk}"] = "4"
        data[f"justification_{criterion.pk}"] = f"Motivering för {criterion.name}"
    data.update(overrides)
    return data


def test_staff_assesses_a_partner_against_every_criterion(staff_client, staff):
    partner = PartnerFactory()
    form_page = staff_client.get(f"/partners/{partner.pk}/assessments/new/")
    assert "Willingness to be evaluated" in form_page.content.decode()
    response = staff_client.post(
        f"/partners/{partner.pk}/assessments/new/", assessment_data(), follow=True
    )
    html = response.content.decode()
    assert "Selection assessment saved." in html
    assessment = SelectionAssessment.objects.get()
    assert assessment.assessed_by == staff
    assert assessment.scores.count() == SelectionCriterion.objects.filter(is_active=True).count()
    assert assessment.average_score() == 4.0
    assert "average score 4.0 of 5" in html


def test_inactive_criteria_are_not_asked_for(staff_client):
    partner = PartnerFactory()
    retired = SelectionCriterion.objects.get(name="Visibility")
    retired.is_active = False
    retired.save()
    html = staff_client.get(f"/partners/{partner.pk}/assessments/new/").content.decode()
    assert "Visibility" not in html
    staff_client.post(f"/partners/{partner.pk}/assessments/new/", assessment_data())
    assert not SelectionAssessment.objects.get().scores.filter(criterion=retired).exists()


def test_every_criterion_needs_a_score_and_a_justification(staff_client):
    partner = PartnerFactory()
    criterion = SelectionCriterion.objects.first()
    data = assessment_data(**{f"score_{criterion.pk}": "", f"justification_{criterion.pk}": ""})
    response = staff_client.post(f"/partners/{partner.pk}/assessments/new/", data)
    html = response.content.decode()
    assert "Give a score from 1 to 5." in html
    assert "Say briefly why you gave this score." in html
    assert not SelectionAssessment.objects.exists()


def test_a_score_outside_one_to_five_is_refused(staff_client):
    partner = PartnerFactory()
    criterion = SelectionCriterion.objects.first()
    response = staff_client.post(
        f"/partners/{partner.pk}/assessments/new/",
        assessment_data(**{f"score_{criterion.pk}": "9"}),
    )
    assert "Select a valid choice" in response.content.decode()
    assert not SelectionAssessment.objects.exists()


def test_assessment_date_cannot_be_in_the_future(staff_client):
    partner = PartnerFactory()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = staff_client.post(
        f"/partners/{partner.pk}/assessments/new/", assessment_data(assessed_on=tomorrow)
    )
    assert "The date cannot be in the future." in response.content.decode()


def test_earlier_assessments_stay_and_link_to_their_page(staff_client):
    partner = PartnerFactory()
    url = f"/partners/{partner.pk}/assessments/new/"
    staff_client.post(
        url, assessment_data(assessed_on="2025-03-01", recommendation="with_conditions")
    )
    staff_client.post(url, assessment_data())
    first = SelectionAssessment.objects.get(assessed_on="2025-03-01")
    html = staff_client.get(f"/partners/{partner.pk}/").content.decode()
    assert f"/partners/{partner.pk}/assessments/{first.pk}/" in html
    detail = staff_client.get(f"/partners/{partner.pk}/assessments/{first.pk}/")
    assert "Recommended with conditions" in detail.content.decode()


def test_user_without_role_cannot_assess(client, no_role_user):
    client.force_login(no_role_user)
    partner = PartnerFactory()
    assert (
        client.post(f"/partners/{partner.pk}/assessments/new/", assessment_data()).status_code
        == 403
    )
    assert not SelectionAssessment.objects.exists()
