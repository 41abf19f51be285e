"""Random input thrown at the main forms: the answer is a saved record or a form with
errors, never a server error, and nothing is half-saved."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import Agreement, Goal, Obligation
from partnerships.models import Partner, PartnerContact
from tests.agreements.test_views import agreement_data
from tests.conftest import log_in
from tests.factories import PartnerFactory, UserFactory
from tests.partnerships.test_partner_form import partner_data

# Text that has broken web apps before: markup, quotes, control and right-to-left
# characters, emoji, very long strings, numbers in odd forms.
hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        ["", " ", "<script>x</script>", "'; DROP TABLE x; --", "\u202e\u200b", "𝔘𝔫𝔦", "9" * 400]
    ),
)
odd_numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    hostile_text,
)
odd_dates = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(str),
    hostile_text,
)

FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.slow
@FUZZ_SETTINGS
@given(
    name=hostile_text,
    number=hostile_text,
    email=hostile_text,
    website=hostile_text,
    contact_name=hostile_text,
    contact_email=hostile_text,
    kind=hostile_text,
    review=odd_dates,
    risk=hostile_text,
)
def test_partner_form_never_fails_or_half_saves(
    client, db, name, number, email, website, contact_name, contact_email, kind, review, risk
):
    user = UserFactory(username="fuzz", staff=True)
    log_in(client, user)
    before = (Partner.objects.count(), PartnerContact.objects.count())
    data = partner_data(
        user,
        name=name,
        organisation_number=number,
        email=email,
        website=website,
        kind=kind or "association",
        last_due_diligence_review_on=review,
        risk_level=risk,
        **{"contacts-0-name": contact_name, "contacts-0-email": contact_email},
    )
    response = client.post("/partners/new/", data)
    assert response.status_code in (200, 302)
    after = (Partner.objects.count(), PartnerContact.objects.count())
    if response.status_code == 200:
        assert after == before  # a form with errors saved nothing
    else:
        assert after[0] == before[0] + 1
    Partner.objects.all().delete()


@pytest.mark.slow
@FUZZ_SETTINGS
@given(
    title=hostile_text,
    start=odd_dates,
    end=odd_dates,
    amount=odd_numbers,
    target=odd_numbers,
    baseline=odd_numbers,
    unit=hostile_text,
    kind=hostile_text,
    obligation=hostile_text,
)
def test_agreement_form_never_fails_or_half_saves(
    client, db, title, start, end, amount, target, baseline, unit, kind, obligation
):
    user = UserFactory(username="fuzz", staff=True)
    partner = Partner.objects.first() or PartnerFactory(responsible=user)
    log_in(client, user)
    before = (Agreement.objects.count(), Goal.objects.count(), Obligation.objects.count())
    data = agreement_data(
        partner,
        user,
        title=title,
        start_date=start,
        end_date=end,
        economic_amount=amount,
        **{
            "goals-0-target_value": target,
            "goals-0-baseline": baseline,
            "goals-0-unit": unit,
            "goals-1-kind": kind,
            "obligations-2-description": obligation,
        },
    )
    response = client.post("/agreements/new/", data)
    assert response.status_code in (200, 302)
    after = (Agreement.objects.count(), Goal.objects.count(), Obligation.objects.count())
    if response.status_code == 200:
        assert after == before
    else:
        agreement = Agreement.objects.latest("pk")
        assert agreement.end_date > agreement.start_date
        assert agreement.economic_amount >= 0
        Goal.objects.filter(agreement=agreement).delete()
        Obligation.objects.filter(agreement=agreement).delete()
        agreement.events.all().delete()
        agreement.delete()


@pytest.mark.slow
@FUZZ_SETTINGS
@given(name=hostile_text, start=odd_dates, end=odd_dates, budget=odd_numbers)
def test_programme_period_form_never_fails_or_half_saves(client, db, name, start, end, budget):
    from agreements.models import ProgrammePeriod

    log_in(client, UserFactory(username="fuzz-manager", manager=True))
    response = client.post(
        "/programme-periods/new/",
        {"name": name, "start_date": start, "end_date": end, "annual_budget": budget},
    )
    assert response.status_code in (200, 302)
    assert ProgrammePeriod.objects.count() == (1 if response.status_code == 302 else 0)
    for period in ProgrammePeriod.objects.all():
        assert period.end_date > period.start_date
    ProgrammePeriod.objects.all().delete()


@pytest.mark.slow
@FUZZ_SETTINGS
@given(outcome=hostile_text, day=odd_dates, note=hostile_text)
def test_obligation_outcome_form_never_fails_or_half_saves(client, db, outcome, day, note):
    from agreements.models import Fulfilment
    from tests.factories import AgreementFactory, ObligationFactory

    user = UserFactory(username="fuzz-staff", staff=True)
    log_in(client, user)
    obligation = ObligationFactory(agreement=AgreementFactory(approved=True, created_by=user))
    response = client.post(
        f"/agreements/{obligation.agreement_id}/obligations/{obligation.pk}/",
        {
            "fulfilment": outcome if outcome.strip() else "fulfilled",
            "fulfilled_on": day,
            "fulfilment_note": note,
        },
    )
    assert response.status_code in (200, 302)
    obligation.refresh_from_db()
    if response.status_code == 200:
        assert obligation.fulfilment == Fulfilment.OPEN
        assert obligation.fulfilment_recorded_by is None
    else:
        assert obligation.fulfilment != Fulfilment.OPEN or obligation.fulfilled_on is None
    Agreement.objects.all().delete()
