"""Queries over agreements used in more than one place."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from agreements.models import (
    EDITABLE_STATUSES,
    Agreement,
    AgreementEvent,
    Amendment,
    AmendmentStatus,
    Goal,
    Obligation,
    Phase,
    Status,
    TermsVersion,
    phase_condition,
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
                    "fulfilment_recorded_by",
                    "fulfilment_proposed_by",
                    "introduced_in",
                    "superseded_in",
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
        )
        .get(pk=pk)
    )


def partner_agreements(partner):
    return list(partner.agreements.select_related("responsible").order_by("-start_date", "-id"))


def agreements_left_running_by_archiving(partner, today: datetime.date | None = None):
    """The partner's agreements that run, are about to, or await approval: archiving the
    partner does not touch them, so its confirmation names them."""
    today = today or timezone.localdate()
    return list(
        partner.agreements.filter(
            phase_condition(Phase.ACTIVE, today)
            | phase_condition(Phase.UPCOMING, today)
            | Q(status=Status.PENDING)
        ).order_by("start_date", "id")
    )


def unsubmitted_agreements(partner):
    """Drafts and returned agreements: they cannot be submitted while the partner is archived."""
    return list(partner.agreements.filter(status__in=EDITABLE_STATUSES).order_by("id"))


@dataclass(frozen=True)
class SignedCopy:
    history_id: int
    file_name: str
    signed_on: datetime.date | None
    filed_by: object
    filed_at: datetime.datetime
    is_current: bool


def signed_copies(agreement) -> list[SignedCopy]:
    """Every signed copy filed for the agreement, the current one first, then those it
    replaced (their files are kept), read from the agreement's change history."""
    records = (
        agreement.history.exclude(signed_document="")
        .select_related("history_user", "signed_document_added_by")
        .order_by("-history_date", "-history_id")
    )
    copies, seen = [], set()
    for record in records:
        name = str(record.signed_document)
        if name in seen:
            continue
        seen.add(name)
        copies.append(
            SignedCopy(
                history_id=record.history_id,
                file_name=name.rsplit("/", 1)[-1],
                signed_on=record.signed_on,
                filed_by=record.signed_document_added_by or record.history_user,
                filed_at=record.signed_document_added_at or record.history_date,
                is_current=name == agreement.signed_document.name,
            )
        )
    return sorted(copies, key=lambda copy: not copy.is_current)
