"""Managers see what partners say about our cooperation: per partner and across all."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from core.permissions import rule_required
from partnerships.models import Partner
from portal import permissions, selectors
from portal.filters import MutualReviewFilter
from portal.models import Commitment, MutualReview, MutualReviewRating


@require_safe
@rule_required(permissions.can_view_mutual_reviews)
def review_overview(request):
    review_filter = MutualReviewFilter(request.GET, queryset=MutualReviewRating.objects.all())
    across, per_partner = selectors.review_scores(review_filter.qs)
    return render(
        request,
        "portal/staff/review_overview.html",
        {
            "filter": review_filter,
            "commitments": Commitment.labels,
            "across": across,
            "across_rows": list(zip(Commitment.labels, across.averages, strict=True)),
            "per_partner": per_partner,
        },
    )


@require_safe
@rule_required(permissions.can_view_mutual_reviews)
def partner_reviews(request, pk):
    partner = get_object_or_404(Partner, pk=pk)
    reviews = (
        MutualReview.objects.filter(agreement__partner=partner)
        .select_related("agreement", "submitted_by")
        .prefetch_related("ratings")
        .order_by("-year", "agreement__reference")
    )
    across, _per_partner = selectors.review_scores(
        MutualReviewRating.objects.filter(review__agreement__partner=partner)
    )
    return render(
        request,
        "portal/staff/partner_reviews.html",
        {
            "partner": partner,
            "reviews": list(reviews),
            "across_rows": list(zip(Commitment.labels, across.averages, strict=True)),
        },
    )
