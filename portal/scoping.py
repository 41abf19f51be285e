"""What one partner user may see, written once.

Every portal view and download asks a PartnerScope for its rows: the partner's own
approved agreements (active, upcoming, expired or terminated, never drafts, pending or
returned ones) and what hangs from them. An id outside the scope is not found (404), so
a partner user cannot even learn that another partner's record exists.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from agreements.models import Agreement, Obligation
from evaluations.models import EvaluationPeriod
from portal.models import (
    REPORTING_AGREEMENT_STATUSES,
    MutualReview,
    ObligationProposal,
    PartnerDeclaration,
    PartnerReport,
    PartnerReportAttachment,
    PartnerUser,
)


def partner_user_of(user) -> PartnerUser | None:
    """The user's partner login if it gives access now (password set, not revoked)."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_portal_partner_user", False)
    if cached is False:
        cached = (
            PartnerUser.objects.active().select_related("partner", "user").filter(user=user).first()
        )
        user._portal_partner_user = cached
    return cached


class PartnerScope:
    def __init__(self, partner_user: PartnerUser):
        self.partner_user = partner_user
        self.partner = partner_user.partner
        self.user = partner_user.user

    @classmethod
    def for_user(cls, user) -> "PartnerScope":
        partner_user = partner_user_of(user)
        if partner_user is None:
            raise PermissionDenied(_("The partner portal is for people at partner organisations."))
        return cls(partner_user)

    # Agreements and what they hold ----------------------------------------------------

    def agreements(self):
        return Agreement.objects.filter(
            partner=self.partner, status__in=REPORTING_AGREEMENT_STATUSES
        ).select_related("responsible", "programme_period")

    def agreement(self, pk) -> Agreement:
        return get_object_or_404(self.agreements(), pk=pk)

    def obligations(self):
        return Obligation.objects.filter(
            agreement__partner=self.partner, agreement__status__in=REPORTING_AGREEMENT_STATUSES
        )

    def obligation(self, agreement_pk, pk) -> Obligation:
        return get_object_or_404(
            self.obligations().select_related("agreement"), pk=pk, agreement_id=agreement_pk
        )

    def periods(self):
        return EvaluationPeriod.objects.filter(
            agreement__partner=self.partner, agreement__status__in=REPORTING_AGREEMENT_STATUSES
        )

    def period(self, agreement_pk, number) -> EvaluationPeriod:
        return get_object_or_404(
            self.periods().select_related("agreement__responsible"),
            agreement_id=agreement_pk,
            number=number,
        )

    # The partner's own records ----------------------------------------------------------

    def reports(self):
        return PartnerReport.objects.filter(
            period__agreement__partner=self.partner,
            period__agreement__status__in=REPORTING_AGREEMENT_STATUSES,
        )

    def report(self, pk) -> PartnerReport:
        return get_object_or_404(self.reports().select_related("period__agreement"), pk=pk)

    def report_attachments(self):
        return PartnerReportAttachment.objects.filter(report__in=self.reports())

    def proposals(self):
        return ObligationProposal.objects.filter(obligation__in=self.obligations())

    def proposal(self, pk) -> ObligationProposal:
        return get_object_or_404(self.proposals().select_related("obligation__agreement"), pk=pk)

    def declarations(self):
        return PartnerDeclaration.objects.filter(partner=self.partner)

    def declaration(self, pk) -> PartnerDeclaration:
        return get_object_or_404(self.declarations(), pk=pk)

    def reviews(self):
        return MutualReview.objects.filter(agreement__in=self.agreements())
