"""The partner's yearly review of our cooperation."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from core.permissions import require
from portal import permissions
from portal.models import Commitment, MutualReview, MutualReviewRating


class ReviewRefused(Refused):
    """The review cannot be recorded now."""


@transaction.atomic
def review_submit(*, agreement, partner_user, ratings: dict) -> MutualReview:
    """Record this year's review: `ratings` maps each commitment to (score, comment).
    One review per agreement and year; a second one is refused."""
    year = timezone.localdate().year
    existing = MutualReview.objects.filter(agreement=agreement, year=year).first()
    require(permissions.can_review_cooperation(agreement, year, existing))
    if set(ratings) != set(Commitment.values):
        raise ReviewRefused(_("Rate every commitment."))
    review = MutualReview(agreement=agreement, year=year, submitted_by=partner_user.user)
    review.full_clean()
    review._history_user = partner_user.user
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise ReviewRefused(
            _("Someone at your organisation reviewed this agreement for this year a moment ago.")
        ) from None
    for commitment in Commitment.values:
        score, comment = ratings[commitment]
        rating = MutualReviewRating(
            review=review, commitment=commitment, score=score, comment=comment.strip()
        )
        rating.full_clean()
        rating._history_user = partner_user.user
        rating.save()
    return review
