import io

from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from agreements.amendments import amendment_views
from agreements.models import AmendmentStatus, Side, in_terms_order
from agreements.pdf import render_summary_pdf, summary_filename
from portal import permissions, selectors
from portal.views.access import portal_view


@require_safe
@portal_view
def agreement_detail(request, scope, pk):
    """The terms, goals, both sides' obligations, evaluation periods and the partner's
    reports: what the agreement says, without anything internal to our organisation."""
    agreement = scope.agreement(pk)
    today = timezone.localdate()
    # The latest terms: the goals and obligations an approved amendment replaced or
    # removed are shown in the amendment's changes, not as terms in force.
    every_goal = list(agreement.goals.select_related("introduced_in", "superseded_in"))
    every_obligation = list(agreement.obligations.select_related("introduced_in", "superseded_in"))
    obligations = in_terms_order(o for o in every_obligation if o.superseded_in_id is None)
    approved_amendments = amendment_views(
        agreement,
        agreement.amendments.filter(status=AmendmentStatus.APPROVED)
        .select_related("based_on")
        .prefetch_related("goal_changes", "obligation_changes"),
        goals=every_goal,
        obligations=every_obligation,
    )
    proposals = selectors.latest_proposals(obligations)
    for obligation in obligations:
        latest = proposals.get(obligation.pk)
        obligation.latest_proposal = latest
        obligation.open_proposal = latest if latest and latest.is_open else None
        obligation.overdue_now = obligation.is_overdue(today)
        obligation.agreement = agreement
        obligation.can_propose = permissions.can_propose_obligation_fulfilled(
            obligation, obligation.open_proposal
        )
    periods = agreement.evaluation_periods.order_by("number")
    return render(
        request,
        "portal/agreement_detail.html",
        {
            "agreement": agreement,
            "terms": agreement.current_terms,
            "amendments": approved_amendments,
            "goals": in_terms_order(g for g in every_goal if g.superseded_in_id is None),
            "our_obligations": [o for o in obligations if o.side == Side.OURS],
            "partner_obligations": [o for o in obligations if o.side == Side.PARTNER],
            "period_reports": selectors.period_reports(periods, today),
            "reviews": list(scope.reviews().filter(agreement=agreement).order_by("-year")),
            "can_review": permissions.can_review_cooperation(
                agreement,
                today.year,
                scope.reviews().filter(agreement=agreement, year=today.year).first(),
            ),
            "today": today,
        },
    )


@require_safe
@portal_view
def agreement_summary_pdf(request, scope, pk):
    """The agreement's summary, in the partner's version: no internal assessments."""
    agreement = scope.agreement(pk)
    pdf = render_summary_pdf(agreement, user=request.user, for_partner=True)
    return FileResponse(
        io.BytesIO(pdf),
        as_attachment=True,
        filename=summary_filename(agreement),
        content_type="application/pdf",
    )
