"""Staff read partner reports, accept them or send them back."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.history import change_log
from core.pagination import paginate
from core.permissions import require, rule_required
from portal import permissions, selectors
from portal.filters import PartnerReportFilter
from portal.forms import ReviewForm
from portal.models import (
    PartnerReport,
    PartnerReportAttachment,
    PartnerReportGoal,
    PartnerReportResource,
    PartnerReportVersion,
    ReviewOutcome,
)
from portal.services import reports as services


@require_safe
@rule_required(permissions.can_view_partner_reports)
def report_list(request):
    report_filter = PartnerReportFilter(
        request.GET, queryset=selectors.report_list_queryset(), request=request
    )
    page = paginate(request, report_filter.qs)
    return render(request, "portal/staff/report_list.html", {"filter": report_filter, "page": page})


@require_http_methods(["GET", "POST"])
@rule_required(permissions.can_view_partner_reports)
def report_detail(request, pk):
    """Every version the partner sent, newest first, and the decision on the latest."""
    try:
        report = selectors.report_with_versions(pk)
    except PartnerReport.DoesNotExist:
        raise Http404 from None
    can_review = permissions.can_review_partner_report(request.user, report)
    form = ReviewForm(request.POST or None) if can_review else None
    if request.method == "POST":
        require(can_review)
        if form.is_valid():
            decide = (
                services.report_accept
                if form.cleaned_data["decision"] == ReviewOutcome.ACCEPTED
                else services.report_send_back
            )
            try:
                decide(report=report, user=request.user, comment=form.cleaned_data["comment"])
            except services.ReportRefused as refused:
                if refused.field:
                    form.add_error(refused.field, refused.message)
                else:
                    messages.error(request, refused.message)
                    return redirect(report)
            else:
                if form.cleaned_data["decision"] == ReviewOutcome.ACCEPTED:
                    messages.success(
                        request,
                        _(
                            "The report is accepted. It has filled in the draft evaluation of "
                            "the period; complete the evaluation there."
                        ),
                    )
                else:
                    messages.success(
                        request, _("The report is sent back to the partner with your comments.")
                    )
                return redirect(report)
        messages.error(request, _("Nothing was decided. Please correct the errors below."))
    versions = list(report.versions.all())
    return render(
        request,
        "portal/staff/report_detail.html",
        {
            "report": report,
            "agreement": report.period.agreement,
            "period": report.period,
            "versions": versions,
            "form": form,
            "evaluation": report.period.evaluations.order_by("-pk").first(),
            "history_entries": change_log(
                (_("Report"), PartnerReport.history.filter(id=report.pk)),
                (_("Goal result"), PartnerReportGoal.history.filter(report_id=report.pk)),
                (_("Resource use"), PartnerReportResource.history.filter(report_id=report.pk)),
                (_("Version"), PartnerReportVersion.history.filter(report_id=report.pk)),
                (_("Attachment"), PartnerReportAttachment.history.filter(report_id=report.pk)),
            ),
        },
    )


@require_safe
@rule_required(permissions.can_view_partner_reports)
def report_attachment(request, pk, attachment_pk):
    attachment = get_object_or_404(PartnerReportAttachment, pk=attachment_pk, report_id=pk)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.filename
    )
