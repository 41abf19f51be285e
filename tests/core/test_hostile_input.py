"""Hostile text typed into free-text fields is shown literally everywhere."""

import html

import pytest

from agreements.models import ProgrammePeriod
from partnerships.models import DialoguePartnerParticipant
from tests.factories import (
    AgreementFactory,
    DialogueEntryFactory,
    DialogueFollowUpFactory,
    GoalFactory,
    ObligationFactory,
    PartnerContactFactory,
    PartnerFactory,
)

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "Avtal \u202eevil\u202c med \u200bnollbredd",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_escaped_on_every_page(staff_client, staff, text):
    partner = PartnerFactory(name=text[:190], description=text, responsible=staff)
    PartnerContactFactory(partner=partner, name=text[:190], role=text[:190])
    agreement = AgreementFactory(
        approved=True, partner=partner, title=text[:190], conduct=text, created_by=staff
    )
    GoalFactory(agreement=agreement, description=text)
    ObligationFactory(
        agreement=agreement, description=text, fulfilment="not_fulfilled", fulfilment_note=text
    )
    ProgrammePeriod.objects.create(
        name=text[:100], start_date="2020-01-01", end_date="2020-12-31", annual_budget=1
    )
    entry = DialogueEntryFactory(
        partner=partner,
        agreement=agreement,
        date=agreement.start_date,
        our_other_participants=text[:190],
        partner_participants=text[:190],
        topics=text,
        learned=text,
    )
    DialoguePartnerParticipant.objects.create(entry=entry, name=text[:190])
    follow_up = DialogueFollowUpFactory(
        entry=entry, owner=staff, description=text[:190], overdue=True
    )
    pages = [
        "/",
        "/partners/",
        f"/partners/{partner.pk}/",
        f"/partners/{partner.pk}/dialogue/",
        f"/partners/{partner.pk}/dialogue/{entry.pk}/",
        f"/partners/{partner.pk}/dialogue/{entry.pk}/edit/",
        f"/partners/follow-ups/{follow_up.pk}/done/",
        "/partners/follow-ups/",
        "/agreements/",
        f"/agreements/{agreement.pk}/",
        "/evaluations/",
        "/programme-periods/",
        "/budget/",
        f"/evaluations/agreement/{agreement.pk}/year/1/",
    ]
    for url in pages:
        body = staff_client.get(url).content.decode()
        if "<" in text:
            assert text not in body, url
        assert html.escape(text[:40], quote=True)[:30] in body or text[:20] in body, url


def test_very_long_text_is_accepted_and_shown(staff_client, staff):
    long_text = "Långt" * 4000
    partner = PartnerFactory(description=long_text, responsible=staff)
    response = staff_client.get(f"/partners/{partner.pk}/")
    assert response.status_code == 200
    assert long_text in response.content.decode()
