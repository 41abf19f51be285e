"""Queries of the partner portal used by more than one page (portal and staff side)."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from agreements.models import APPROVED_STATUSES
from portal.models import (
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


def open_proposals(obligations):
    """Proposal awaiting confirmation per obligation id."""
    return {
        proposal.obligation_id: proposal
        for proposal in ObligationProposal.objects.filter(
            obligation__in=obligations, status=ProposalStatus.PROPOSED
        ).select_related("proposed_by")
    }


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
