from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from agreements.models import Status
from portal import selectors
from portal.models import ReportStatus, declaration_due, periods_awaiting_partner_report
from portal.views.access import portal_view


@require_safe
@portal_view
def home(request, scope):
    """The partner's agreements and what is asked of them now."""
    today = timezone.localdate()
    agreements = list(scope.agreements().with_phase(today).order_by("-start_date", "-pk"))
    periods = scope.periods().select_related("agreement").order_by("end_date")
    awaiting = set(
        periods_awaiting_partner_report(today)
        .filter(agreement__partner=scope.partner)
        .values_list("pk", flat=True)
    )
    reports = [
        row
        for row in selectors.period_reports(periods, today)
        if row.period.pk in awaiting or row.status == ReportStatus.SUBMITTED
    ]
    reviewable = [
        agreement
        for agreement in agreements
        if agreement.start_date <= today and agreement.status == Status.APPROVED
    ]
    reviewed = set(scope.reviews().filter(year=today.year).values_list("agreement_id", flat=True))
    return render(
        request,
        "portal/home.html",
        {
            "agreements": agreements,
            "reports_to_write": reports,
            "declaration_due": declaration_due(scope.partner, today),
            "reviews_to_write": [a for a in reviewable if a.pk not in reviewed],
            "today": today,
        },
    )
