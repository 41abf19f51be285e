"""Queries over agreements used in more than one place."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from agreements.models import Agreement, AgreementEvent, Obligation


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
        )
        .get(pk=pk)
    )


def partner_agreements(partner):
    return list(partner.agreements.select_related("responsible").order_by("-start_date", "-id"))


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
