"""Queries over agreements used in more than one place."""

from django.db.models import Prefetch

from agreements.models import Agreement, AgreementEvent, ApprovalDecision, Obligation


def agreement_list_queryset():
    """What the agreement list and its CSV export show, without a query per row."""
    return Agreement.objects.select_related("partner", "responsible")


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
        )
        .prefetch_related(
            "goals",
            Prefetch(
                "obligations",
                queryset=Obligation.objects.select_related("fulfilment_recorded_by"),
            ),
            "followed_by",
            Prefetch("events", queryset=AgreementEvent.objects.select_related("actor")),
            Prefetch(
                "approval_decisions",
                queryset=ApprovalDecision.objects.select_related("manager").prefetch_related(
                    "acknowledgements__incident"
                ),
            ),
        )
        .get(pk=pk)
    )


def partner_agreements(partner):
    return list(partner.agreements.select_related("responsible").order_by("-start_date", "-id"))
