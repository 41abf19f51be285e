"""Who may do what in and around the partner portal.

Staff-side rules ask for permissions the role groups hold (granted in this app's
migrations). Partner-side rules take the partner user's own records, already narrowed
by portal.scoping.PartnerScope: they say whether an action is possible now, and why not.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Fulfilment, Side, Status
from core.permissions import ALLOWED, Decision, denied
from portal.models import PARTNER_EDITABLE_STATUSES, ReportStatus

# Staff side ---------------------------------------------------------------------------


def can_view_portal_users(user) -> Decision:
    if not user.has_perm("portal.view_partneruser"):
        return denied(_("You do not have access to the partner portal's users."))
    return ALLOWED


def can_invite_partner_users(user, partner) -> Decision:
    if not user.has_perm("portal.add_partneruser"):
        return denied(_("Only staff and managers can invite partner users."))
    if partner.is_archived:
        return denied(_("This partner is archived. Restore it before inviting anyone."))
    return ALLOWED


def can_manage_portal_users(user) -> Decision:
    """Resending invitations and revoking access, for the buttons on the partner page."""
    if not user.has_perm("portal.change_partneruser"):
        return denied(_("Only staff and managers can manage partner users."))
    return ALLOWED


def can_manage_portal_user(user, partner_user) -> Decision:
    decision = can_manage_portal_users(user)
    if not decision:
        return decision
    if partner_user.revoked_at is not None:
        return denied(_("This partner user's access has been revoked."))
    return ALLOWED


def can_view_partner_reports(user) -> Decision:
    if not user.has_perm("portal.view_partnerreport"):
        return denied(_("You do not have access to partner reports."))
    return ALLOWED


def can_review_partner_report(user, report) -> Decision:
    if not user.has_perm("portal.review_partnerreport"):
        return denied(_("Only staff and managers can accept or send back partner reports."))
    if report.status != ReportStatus.SUBMITTED:
        return denied(
            _("Only a submitted report can be reviewed; this one is %(status)s.")
            % {"status": report.get_status_display().lower()}
        )
    return ALLOWED


def can_view_declarations(user) -> Decision:
    if not user.has_perm("portal.view_partnerdeclaration"):
        return denied(_("You do not have access to partner declarations."))
    return ALLOWED


def can_decide_obligation_proposal(user, proposal) -> Decision:
    if not user.has_perm("agreements.change_obligation"):
        return denied(_("Only staff and managers can follow up obligations."))
    if not proposal.is_open:
        return denied(_("This proposal has already been decided."))
    if proposal.obligation.agreement.status != Status.APPROVED:
        return denied(_("Obligations are followed up while the agreement is approved."))
    return ALLOWED


def can_view_mutual_reviews(user) -> Decision:
    if not user.has_perm("portal.view_mutualreview"):
        return denied(_("Only managers see what partners say about our cooperation."))
    return ALLOWED


# Partner side -------------------------------------------------------------------------


def can_write_partner_report(period, report) -> Decision:
    """The partner writes on a period once it has started, until the report is in."""
    if period.start_date > timezone.localdate():
        return denied(_("This period has not started yet."))
    if report is not None and report.status not in PARTNER_EDITABLE_STATUSES:
        return denied(
            _("The report is %(status)s and cannot be changed now.")
            % {"status": report.get_status_display().lower()}
        )
    return ALLOWED


def can_propose_obligation_fulfilled(obligation, open_proposal) -> Decision:
    if obligation.side != Side.PARTNER:
        return denied(_("Our organisation follows up its own obligations."))
    if obligation.agreement.status != Status.APPROVED:
        return denied(_("Obligations are followed up while the agreement is in force."))
    if obligation.fulfilment != Fulfilment.OPEN:
        return denied(
            _("This obligation is already followed up: %(outcome)s.")
            % {"outcome": obligation.get_fulfilment_display().lower()}
        )
    if open_proposal is not None:
        return denied(_("You have already reported this obligation; it awaits confirmation."))
    return ALLOWED


def can_review_cooperation(agreement, year: int, existing_review) -> Decision:
    today = timezone.localdate()
    if agreement.start_date > today:
        return denied(_("The agreement has not started yet."))
    if year != today.year:
        return denied(_("Our cooperation is reviewed for the current year."))
    if existing_review is not None:
        return denied(_("You have already reviewed our cooperation this year. Thank you!"))
    return ALLOWED
