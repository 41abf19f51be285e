import datetime

import pytest
from django.utils import timezone

from tests.conftest import log_in
from tests.factories import AgreementFactory, GoalFactory, PartnerUserFactory


@pytest.fixture
def agreement(db, staff):
    """An approved agreement of a partner, running for more than a year: year 1 ended
    a month ago and its report is due; year 2 runs."""
    start = timezone.localdate() - datetime.timedelta(days=400)
    agreement = AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=start,
        end_date=start + datetime.timedelta(days=1000),
        partner__name="Kulturhuset Ängby",
    )
    GoalFactory(
        agreement=agreement,
        kind="qualitative",
        indicator="",
        baseline=None,
        target_value=None,
        unit="",
        description="Starkare läskultur",
        expected_outcome="Mer läsning hemma",
        assessment_method="Intervjuer med föräldrar",
    )
    return agreement


@pytest.fixture
def partner(agreement):
    return agreement.partner


@pytest.fixture
def partner_user(partner):
    return PartnerUserFactory(
        partner=partner, user__username="lina", user__first_name="Lina", user__last_name="Ek"
    )


@pytest.fixture
def other_agreement(db, staff):
    """Another partner's approved agreement."""
    start = timezone.localdate() - datetime.timedelta(days=400)
    return AgreementFactory(
        approved=True,
        created_by=staff,
        start_date=start,
        end_date=start + datetime.timedelta(days=1000),
        partner__name="Föreningen Läslust Malmö",
    )


@pytest.fixture
def other_partner_user(other_agreement):
    return PartnerUserFactory(
        partner=other_agreement.partner,
        user__username="omar",
        user__first_name="Omar",
        user__last_name="Haddad",
    )


@pytest.fixture
def partner_client(client, partner_user):
    return log_in(client, partner_user.user)
