"""The partner writes, sends and reads its yearly reports."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.permissions import require
from core.versioning import EditConflict, keep_input_after_conflict
from portal import permissions
from portal.forms import PartnerReportForm
from portal.models import PartnerReport, contribution_lines, report_due_date
from portal.services import reports as services
from portal.views.access import portal_view


@require_http_methods(["GET", "POST"])
@portal_view
def report(request, scope, agreement_pk, number):
    """The report on one period: a form while it is a draft or sent back, the text as
    sent once it is submitted; every version sent, with our comments, below."""
    period = scope.period(agreement_pk, number)
    agreement = period.agreement
    current = PartnerReport.objects.filter(period=period).first()
    can_write = permissions.can_write_partner_report(period, current)
    goals = list(agreement.goals.all())
    lines = contribution_lines(agreement)
    problems = []
    form = None
    if request.method == "POST":
        require(can_write)
        form = PartnerReportForm(
            request.POST, request.FILES, goals=goals, lines=lines, report=current
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.report_save_draft(
                    period=period,
                    user=request.user,
                    opened_version=data.get("edit_version"),
                    target_group_involvement=data["target_group_involvement"],
                    lessons_learned=data["lessons_learned"],
                    goal_values=form.goal_values(),
                    resource_values=form.resource_values(),
                    attachment=form.attachment_data(),
                    remove_attachments=data.get("remove_attachments") or [],
                )
            except EditConflict as conflict:
                keep_input_after_conflict(form, conflict)
                messages.error(request, _("Nothing was saved. Please see the message below."))
            else:
                if "submit" not in request.POST:
                    messages.success(request, _("Draft saved. You can go on with it later."))
                    return redirect("portal:report", agreement.pk, period.number)
                try:
                    services.report_submit(report=saved, user=request.user)
                except services.ReportRefused as refused:
                    messages.warning(request, refused.message)
                    problems = refused.problems
                    current = saved
                    form = PartnerReportForm(goals=goals, lines=lines, report=saved)
                else:
                    messages.success(
                        request,
                        _("Your report is sent. We will read it and answer you by email."),
                    )
                    return redirect("portal:report", agreement.pk, period.number)
        else:
            messages.error(request, _("Nothing was saved. Please correct the errors below."))
    elif can_write:
        form = PartnerReportForm(goals=goals, lines=lines, report=current)
    versions = (
        list(current.versions.select_related("submitted_by").order_by("-number")) if current else []
    )
    return render(
        request,
        "portal/report.html",
        {
            "agreement": agreement,
            "period": period,
            "report": current,
            "form": form,
            "resource_rows": list(form.resource_rows(agreement)) if form else [],
            "can_write": can_write,
            "problems": problems,
            "versions": versions,
            "sent_back": next((v for v in versions if v.outcome == "sent_back"), None)
            if current and current.status == "sent_back"
            else None,
            "due_date": report_due_date(period),
        },
    )


@require_safe
@portal_view
def report_attachment(request, scope, pk, attachment_pk):
    attachment = get_object_or_404(scope.report_attachments(), pk=attachment_pk, report_id=pk)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.filename
    )
