"""Once a year per agreement the partner rates our organisation against the
commitments we made to partners."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Agreement


class Commitment(models.TextChoices):
    """What we promise every partner; the partner scores each from 1 to 5."""

    LOCAL_OWNERSHIP = "local_ownership", _("We respected your local ownership")
    INFORMATION = "information", _("We shared relevant information with you")
    RESPECT = "respect", _("We were respectful, also when we disagreed")
    BUREAUCRACY = "bureaucracy", _("We asked for no unnecessary bureaucracy")
    LEARNING = "learning", _("We learned from each other")


SCORE_CHOICES = [(score, str(score)) for score in range(1, 6)]


class MutualReview(models.Model):
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="mutual_reviews",
        verbose_name=_("agreement"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "agreement"]
        verbose_name = _("mutual review")
        verbose_name_plural = _("mutual reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"],
                name="one_mutual_review_per_agreement_and_year",
                violation_error_message=_(
                    "This agreement has already been reviewed for this year."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.agreement.reference} {self.year}"


class MutualReviewRating(models.Model):
    review = models.ForeignKey(MutualReview, on_delete=models.CASCADE, related_name="ratings")
    commitment = models.CharField(_("commitment"), max_length=20, choices=Commitment.choices)
    score = models.PositiveSmallIntegerField(_("score"), help_text=_("1 (not at all) to 5 (fully)"))
    comment = models.TextField(_("comment"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "id"]
        verbose_name = _("mutual review rating")
        verbose_name_plural = _("mutual review ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "commitment"], name="one_rating_per_commitment"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="mutual_review_score_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(commitment__in=Commitment.values), name="mutual_review_commitment_valid"
            ),
            models.CheckConstraint(condition=~Q(comment=""), name="mutual_review_rating_comment"),
        ]

    def __str__(self):
        return f"{self.get_commitment_display()}: {self.score}"
