"""Queries of the partner portal used by more than one page (portal and staff side)."""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Prefetch

from agreements.models import APPROVED_STATUSES
from portal.models import (
    Commitment,
    ObligationProposal,
    PartnerDeclaration,
    PartnerReport,
    PartnerReportVersion,
    PartnerUser,
    ProposalStatus,
    ReportStatus,
    report_due_date,
    report_is_overdue,
)


@dataclass
class PeriodReport:
    """One evaluation period with the partner's report on it (None before it is begun)."""

    period: object
    report: PartnerReport | None
    due_date: datetime.date
    is_overdue: bool
    has_started: bool

    @property
    def status(self) -> str:
        return self.report.status if self.report else ""

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else ""


def period_reports(periods, today: datetime.date) -> list[PeriodReport]:
    """Each period with its report, in one query for the reports."""
    periods = list(periods)
    reports = {
        report.period_id: report
        for report in PartnerReport.objects.filter(period__in=[period.pk for period in periods])
    }
    rows = []
    for period in periods:
        report = reports.get(period.pk)
        due = report_due_date(period)
        is_in = report is not None and report.status in (
            ReportStatus.SUBMITTED,
            ReportStatus.ACCEPTED,
        )
        rows.append(
            PeriodReport(
                period=period,
                report=report,
                due_date=due,
                is_overdue=not is_in and report_is_overdue(period, today),
                has_started=period.start_date <= today,
            )
        )
    return rows


def portal_users_of(partner):
    return list(
        PartnerUser.objects.filter(partner=partner)
        .select_related("user", "contact", "invited_by")
        .order_by("revoked_at", "invited_at", "pk")
    )


def declarations_of(partner):
    return list(
        PartnerDeclaration.objects.filter(partner=partner).select_related("confirmed_by")[:10]
    )


def latest_proposals(obligations) -> dict:
    """The latest proposal the partner made on each obligation, by obligation id."""
    latest = {}
    proposals = (
        ObligationProposal.objects.filter(obligation__in=obligations)
        .select_related("proposed_by", "decided_by")
        .order_by("proposed_at", "pk")
    )
    for proposal in proposals:
        latest[proposal.obligation_id] = proposal
    return latest


def open_proposals_of(agreement):
    """Proposals awaiting staff's confirmation on an agreement's obligations."""
    return list(
        ObligationProposal.objects.filter(
            obligation__agreement=agreement, status=ProposalStatus.PROPOSED
        )
        .select_related("obligation", "proposed_by")
        .order_by("proposed_at", "pk")
    )


def report_list_queryset():
    """What the staff list of partner reports shows, without a query per row."""
    return PartnerReport.objects.select_related(
        "period__agreement__partner", "period__agreement__responsible"
    ).filter(period__agreement__status__in=APPROVED_STATUSES)


def report_with_versions(pk: int) -> PartnerReport:
    return (
        PartnerReport.objects.select_related(
            "period__agreement__partner", "period__agreement__responsible", "created_by"
        )
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=PartnerReportVersion.objects.select_related(
                    "submitted_by", "reviewed_by"
                ).order_by("-number"),
            ),
            "attachments",
        )
        .get(pk=pk)
    )


@dataclass
class ReviewScores:
    """Average scores per commitment (None where nobody scored it) and how many reviews."""

    label: str
    averages: list
    reviews: int
    partner_id: int | None = None


def review_scores(ratings) -> tuple[ReviewScores, list[ReviewScores]]:
    """Across all partners and per partner, from a queryset of MutualReviewRatings; two
    queries whatever the number of reviews."""
    commitments = list(Commitment.values)
    overall = {
        row["commitment"]: row["average"]
        for row in ratings.values("commitment").annotate(average=Avg("score"))
    }
    reviews_count = ratings.values("review").distinct().count()
    across = ReviewScores(
        label="",
        averages=[_rounded(overall.get(c)) for c in commitments],
        reviews=reviews_count,
    )
    per_partner = {}
    rows = (
        ratings.values(
            "review__agreement__partner_id", "review__agreement__partner__name", "commitment"
        )
        .annotate(average=Avg("score"), reviews=Count("review", distinct=True))
        .order_by("review__agreement__partner__name")
    )
    for row in rows:
        partner_id = row["review__agreement__partner_id"]
        entry = per_partner.setdefault(
            partner_id,
            ReviewScores(
                label=row["review__agreement__partner__name"],
                averages=[None] * len(commitments),
                reviews=0,
                partner_id=partner_id,
            ),
        )
        entry.averages[commitments.index(row["commitment"])] = _rounded(row["average"])
        entry.reviews = max(entry.reviews, row["reviews"])
    return across, list(per_partner.values())


def _rounded(value):
    return None if value is None else round(float(value), 1)
