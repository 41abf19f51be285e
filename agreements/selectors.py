"""Queries over agreements used in more than one place."""

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from agreements.models import (
    Agreement,
    AgreementEvent,
    Amendment,
    AmendmentStatus,
    ApprovalDecision,
    Goal,
    Obligation,
    TermsVersion,
)


def agreement_list_queryset():
    """What the agreement list and its CSV export show, without a query per row."""
    return Agreement.objects.select_related("partner", "responsible")


def with_amendment_summary(agreements):
    """Annotates `amendment_count` and `last_amendment_on` (the effective date of the
    last one) of the approved amendments: subqueries on their (agreement, number) index."""
    approved = Amendment.objects.filter(agreement=OuterRef("pk"), status=AmendmentStatus.APPROVED)
    count = approved.order_by().values("agreement").annotate(count=Count("pk")).values("count")
    return agreements.annotate(
        amendment_count=Coalesce(Subquery(count), 0),
        last_amendment_on=Subquery(approved.order_by("-number").values("effective_date")[:1]),
    )


def agreement_detail(pk: int) -> Agreement:
    return (
        Agreement.objects.select_related(
            "partner",
            "responsible",
            "created_by",
            "submitted_by",
            "approved_by",
            "terminated_by",
            "follows",
            "programme_period",
            "terms__amendment",
        )
        .prefetch_related(
            Prefetch(
                "goals", queryset=Goal.objects.select_related("introduced_in", "superseded_in")
            ),
            Prefetch(
                "obligations",
                queryset=Obligation.objects.select_related(
                    "fulfilment_recorded_by", "introduced_in", "superseded_in"
                ),
            ),
            Prefetch(
                "amendments",
                queryset=Amendment.objects.select_related("based_on", "created_by", "approved_by")
                .prefetch_related("goal_changes", "obligation_changes")
                .order_by("-number"),
            ),
            Prefetch("terms_versions", queryset=TermsVersion.objects.select_related("amendment")),
            "followed_by",
            Prefetch(
                "events", queryset=AgreementEvent.objects.select_related("actor", "amendment")
            ),
            # The declarations made on the approval pages of the agreement and of its
            # amendments (agreements.approvals).
            Prefetch(
                "approval_decisions",
                queryset=ApprovalDecision.objects.select_related(
                    "manager", "amendment"
                ).prefetch_related("acknowledgements__incident"),
            ),
        )
        .get(pk=pk)
    )


def partner_agreements(partner):
    return list(partner.agreements.select_related("responsible").order_by("-start_date", "-id"))
