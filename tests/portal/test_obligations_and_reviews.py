"""The partner reports its obligations fulfilled; staff confirm or reject. The partner
reviews our cooperation once a year; managers read the results."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements.models import Fulfilment
from portal.models import Commitment, MutualReview, ObligationProposal, ProposalStatus
from portal.services import obligations as obligation_services
from tests.conftest import log_in
from tests.factories import ObligationFactory


@pytest.fixture
def partner_obligation(agreement):
    return agreement.obligations.get(side="partner")


@pytest.fixture
def our_obligation(agreement):
    return agreement.obligations.get(side="ours")


def propose_url(obligation):
    return reverse("portal:obligation_propose", args=[obligation.agreement_id, obligation.pk])


def propose(client, obligation, **overrides):
    data = {
        "fulfilled_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "note": "Rapporten skickades till Anna.",
        "evidence": SimpleUploadedFile("kvitto.pdf", b"%PDF-1.4 receipt"),
    }
    data.update(overrides)
    return client.post(propose_url(obligation), {k: v for k, v in data.items() if v is not None})


def test_the_partner_reports_an_obligation_and_staff_confirm_it(
    client, partner_user, staff, agreement, partner_obligation
):
    log_in(client, partner_user.user)
    page = client.get(reverse("portal:agreement_detail", args=[agreement.pk])).content.decode()
    assert propose_url(partner_obligation) in page

    response = propose(client, partner_obligation)

    assert response.status_code == 302
    proposal = ObligationProposal.objects.get()
    assert proposal.status == ProposalStatus.PROPOSED and proposal.proposed_by == partner_user.user
    page = client.get(reverse("portal:agreement_detail", args=[agreement.pk])).content.decode()
    assert "Reported by you, awaiting confirmation" in page

    log_in(client, staff)
    page = client.get(agreement.get_absolute_url()).content.decode()
    detail = reverse("portal_staff:proposal_detail", args=[proposal.pk])
    assert "Obligations the partner reports fulfilled" in page and detail in page
    response = client.post(detail, {"decision": "confirm"})

    assert response.status_code == 302
    partner_obligation.refresh_from_db()
    assert partner_obligation.fulfilment == Fulfilment.FULFILLED
    assert partner_obligation.fulfilled_on == proposal.fulfilled_on
    assert partner_obligation.fulfilment_note == "Rapporten skickades till Anna."
    assert partner_obligation.fulfilment_evidence
    assert partner_obligation.fulfilment_proposed_by == partner_user.user
    assert partner_obligation.fulfilment_recorded_by == staff
    assert partner_obligation.history.latest().history_user == staff
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert f"Proposed by the partner ({partner_user.user})" in page
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED and proposal.decided_by == staff


def test_a_rejection_needs_a_reason_the_partner_then_sees(
    client, partner_user, staff, agreement, partner_obligation
):
    log_in(client, partner_user.user)
    propose(client, partner_obligation)
    proposal = ObligationProposal.objects.get()
    log_in(client, staff)
    detail = reverse("portal_staff:proposal_detail", args=[proposal.pk])
    refused = client.post(detail, {"decision": "reject", "reason": " "})
    assert "Give the reason for rejecting." in refused.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    client.post(detail, {"decision": "reject", "reason": "Rapporten saknar siffror."})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    partner_obligation.refresh_from_db()
    assert partner_obligation.fulfilment == Fulfilment.OPEN

    log_in(client, partner_user.user)
    page = client.get(reverse("portal:agreement_detail", args=[agreement.pk])).content.decode()
    assert "Rapporten saknar siffror." in page and propose_url(partner_obligation) in page
    assert propose(client, partner_obligation).status_code == 302
    assert ObligationProposal.objects.filter(status=ProposalStatus.PROPOSED).count() == 1


def test_our_obligations_are_shown_with_status_but_not_reported_by_the_partner(
    partner_client, agreement, our_obligation
):
    page = partner_client.get(
        reverse("portal:agreement_detail", args=[agreement.pk])
    ).content.decode()
    assert our_obligation.description in page and "Open" in page
    assert propose_url(our_obligation) not in page
    assert propose(partner_client, our_obligation).status_code == 403
    assert not ObligationProposal.objects.exists()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"fulfilled_on": None}, "Give the date the obligation was fulfilled."),
        (
            {"fulfilled_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
            "The date cannot be in the future.",
        ),
        ({"note": ""}, "Describe what was done."),
        ({"evidence": SimpleUploadedFile("x.exe", b"MZ")}, "Only these file types are accepted"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    partner_client, partner_obligation, overrides, message
):
    response = propose(partner_client, partner_obligation, **overrides)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ObligationProposal.objects.exists()


def test_an_obligation_already_reported_or_followed_up_cannot_be_reported_again(
    partner_client, partner_user, agreement, partner_obligation
):
    propose(partner_client, partner_obligation)
    page = partner_client.get(propose_url(partner_obligation)).content.decode()
    assert "You have already reported this obligation" in page
    assert propose(partner_client, partner_obligation).status_code == 403
    with pytest.raises(PermissionDenied):
        obligation_services.proposal_create(
            obligation=partner_obligation,
            partner_user=partner_user,
            fulfilled_on=timezone.localdate(),
            note="Igen",
        )
    followed_up = ObligationFactory(
        agreement=agreement, fulfilment="fulfilled", fulfilled_on=timezone.localdate()
    )
    assert propose(partner_client, followed_up).status_code == 403


def test_another_partners_obligation_is_not_found(client, other_partner_user, partner_obligation):
    log_in(client, other_partner_user.user)
    assert client.get(propose_url(partner_obligation)).status_code == 404


def review_data(**overrides):
    data = {}
    for number, commitment in enumerate(Commitment.values, start=1):
        data[f"score_{commitment}"] = str(number)
        data[f"comment_{commitment}"] = f"Kommentar {number}"
    data.update(overrides)
    return data


def test_the_partner_reviews_our_cooperation_once_a_year(partner_client, agreement):
    url = reverse("portal:review", args=[agreement.pk])
    home = partner_client.get(reverse("portal:home")).content.decode()
    assert url in home
    missing = partner_client.post(url, review_data(comment_learning=""))
    assert "Write a comment: what makes you give this score?" in missing.content.decode()
    bad = partner_client.post(url, review_data(score_respect="7"))
    assert "Select a valid choice." in bad.content.decode()
    assert not MutualReview.objects.exists()

    response = partner_client.post(url, review_data())

    assert response.status_code == 302
    review = MutualReview.objects.get()
    assert review.year == timezone.localdate().year
    assert sorted(review.ratings.values_list("score", flat=True)) == [1, 2, 3, 4, 5]
    page = partner_client.get(url).content.decode()
    assert "You have already reviewed our cooperation this year" in page and "Kommentar 3" in page
    assert partner_client.post(url, review_data()).status_code == 403
    assert MutualReview.objects.count() == 1
    assert url not in partner_client.get(reverse("portal:home")).content.decode()


def test_managers_see_the_results_per_partner_and_across_all(
    client, partner_user, other_partner_user, agreement, other_agreement, manager, staff
):
    for user, pk, score in (
        (partner_user, agreement.pk, "5"),
        (other_partner_user, other_agreement.pk, "3"),
    ):
        log_in(client, user.user)
        data = review_data(**{f"score_{c}": score for c in Commitment.values})
        client.post(reverse("portal:review", args=[pk]), data)
    log_in(client, manager)
    overview = client.get(reverse("portal_staff:review_overview")).content.decode()
    assert "Across all partners: 2 reviews" in overview
    assert "4.0" in overview  # the average of 5 and 3
    assert agreement.partner.name in overview and other_agreement.partner.name in overview
    per_partner = client.get(reverse("portal_staff:partner_reviews", args=[agreement.partner_id]))
    assert "Kommentar 1" in per_partner.content.decode()
    other_year = client.get(reverse("portal_staff:review_overview"), {"year": "2001"})
    assert "Across all partners: 0 reviews" in other_year.content.decode()
    log_in(client, staff)
    assert client.get(reverse("portal_staff:review_overview")).status_code == 403
