"""The partner portal's records: partner users and invitations (users.py), yearly
partner reports (reports.py), declarations (declarations.py), obligations the partner
says are fulfilled (obligations.py) and mutual reviews (reviews.py)."""

from portal.models.declarations import PartnerDeclaration, declaration_due
from portal.models.obligations import ObligationProposal, ProposalStatus
from portal.models.reports import (
    PARTNER_EDITABLE_STATUSES,
    REPORT_ATTACHMENT_EXTENSIONS,
    REPORT_IN_STATUSES,
    REPORTING_AGREEMENT_STATUSES,
    PartnerReport,
    PartnerReportAttachment,
    PartnerReportGoal,
    PartnerReportResource,
    PartnerReportVersion,
    ReportStatus,
    ReviewOutcome,
    contribution_label,
    contribution_lines,
    periods_awaiting_partner_report,
    report_due_date,
    report_is_overdue,
)
from portal.models.reviews import SCORE_CHOICES, Commitment, MutualReview, MutualReviewRating
from portal.models.users import PartnerUser, PortalInvitation, PortalUserState, hash_token

__all__ = [
    "PARTNER_EDITABLE_STATUSES",
    "REPORTING_AGREEMENT_STATUSES",
    "REPORT_ATTACHMENT_EXTENSIONS",
    "REPORT_IN_STATUSES",
    "SCORE_CHOICES",
    "Commitment",
    "MutualReview",
    "MutualReviewRating",
    "ObligationProposal",
    "PartnerDeclaration",
    "PartnerReport",
    "PartnerReportAttachment",
    "PartnerReportGoal",
    "PartnerReportResource",
    "PartnerReportVersion",
    "PartnerUser",
    "PortalInvitation",
    "PortalUserState",
    "ProposalStatus",
    "ReportStatus",
    "ReviewOutcome",
    "contribution_label",
    "contribution_lines",
    "declaration_due",
    "hash_token",
    "periods_awaiting_partner_report",
    "report_due_date",
    "report_is_overdue",
]
