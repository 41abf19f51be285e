"""The partner reviews our cooperation on an agreement, once a year."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.permissions import require
from portal import permissions
from portal.forms import MutualReviewForm
from portal.services import reviews as services
from portal.views.access import portal_view


@require_http_methods(["GET", "POST"])
@portal_view
def review(request, scope, pk):
    agreement = scope.agreement(pk)
    year = timezone.localdate().year
    reviews = list(
        scope.reviews().filter(agreement=agreement).prefetch_related("ratings").order_by("-year")
    )
    this_year = next((r for r in reviews if r.year == year), None)
    decision = permissions.can_review_cooperation(agreement, year, this_year)
    form = MutualReviewForm(request.POST or None) if decision else None
    if request.method == "POST":
        require(decision)
        if form.is_valid():
            try:
                services.review_submit(
                    agreement=agreement, partner_user=scope.partner_user, ratings=form.ratings()
                )
            except services.ReviewRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Thank you for your review. It helps us improve."))
                return redirect("portal:review", agreement.pk)
        messages.error(request, _("Nothing was sent. Please correct the errors below."))
    return render(
        request,
        "portal/review.html",
        {
            "agreement": agreement,
            "year": year,
            "form": form,
            "refusal": decision.reason,
            "reviews": reviews,
        },
    )
