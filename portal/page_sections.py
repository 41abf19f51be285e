"""What the portal adds to staff pages of other apps (core/sections.py slots). Each
provider returns "" to a user who may not see it."""

from django.template.loader import render_to_string
from django.utils import timezone

from agreements import permissions as agreement_permissions
from agreements.models import Status
from portal import permissions, selectors
from portal.models import PartnerDeclaration, PartnerReport, PartnerUser, declaration_due


def partner_portal(request, *, partner):
    """The partner page's "Partner portal" card: its users, whom to invite, declarations."""
    user = request.user
    if not permissions.can_view_portal_users(user):
        return ""
    portal_users = selectors.portal_users_of(partner)
    with_access = {pu.contact_id for pu in portal_users if pu.revoked_at is None}
    invitable = [
        contact
        for contact in partner.contacts.all()
        if contact.email and contact.pk not in with_access
    ]
    return render_to_string(
        "portal/staff/_partner_portal.html",
        {
            "partner": partner,
            "portal_users": portal_users,
            "invitable_contacts": invitable,
            "can_invite": permissions.can_invite_partner_users(user, partner),
            "can_manage": permissions.can_manage_portal_users(user),
            "declarations": selectors.declarations_of(partner)
            if permissions.can_view_declarations(user)
            else [],
        },
        request=request,
    )


def agreement_partner_reports(request, *, agreement, evaluation_periods=None):
    """The agreement page's "Partner reports" card: each period's report status.

    `evaluation_periods` are the page's period rows (dicts with a "period"), so the
    periods are not read twice."""
    if not agreement.was_approved or not permissions.can_view_partner_reports(request.user):
        return ""
    if evaluation_periods is None:
        periods = list(agreement.evaluation_periods.order_by("number"))
    else:
        periods = [row["period"] for row in evaluation_periods]
    if not periods:
        return ""
    rows = selectors.period_reports(periods, timezone.localdate())
    has_reports = any(row.report for row in rows)
    return render_to_string(
        "portal/staff/_agreement_reports.html",
        {
            "agreement": agreement,
            "rows": rows,
            "has_portal_users": has_reports or _has_portal_users(agreement),
        },
        request=request,
    )


def _has_portal_users(agreement) -> bool:
    return PartnerUser.objects.with_access().filter(partner_id=agreement.partner_id).exists()


def evaluation_partner_report(request, *, period):
    """Beside the staff evaluation: what the partner reported on the period."""
    if not permissions.can_view_partner_reports(request.user):
        return ""
    report = PartnerReport.objects.filter(period=period).first()
    if report is None:
        return ""
    version = (
        report.versions.select_related("submitted_by", "reviewed_by").order_by("-number").first()
    )
    if version is None:
        return ""
    return render_to_string(
        "portal/staff/_evaluation_report.html",
        {"report": report, "version": version, "content": version.content},
        request=request,
    )


def partner_declaration_confirmed(request, *, partner):
    """In the partner page's due diligence: the partner confirmed it in the portal."""
    if not permissions.can_view_declarations(request.user):
        return ""
    latest = PartnerDeclaration.objects.latest_for(partner)
    if latest is None:
        return ""
    return render_to_string(
        "portal/staff/_declaration_confirmed.html",
        {"declaration": latest, "is_due": declaration_due(partner)},
        request=request,
    )


def agreement_obligation_proposals(request, *, agreement):
    """Below the agreement's obligations: what the partner reports fulfilled, to confirm."""
    if agreement.status != Status.APPROVED or not agreement_permissions.can_view_agreements(
        request.user
    ):
        return ""
    proposals = selectors.open_proposals_of(agreement)
    if not proposals:
        return ""
    return render_to_string(
        "portal/staff/_agreement_proposals.html", {"proposals": proposals}, request=request
    )
