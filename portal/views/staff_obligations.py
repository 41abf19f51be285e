"""Staff confirm or reject what a partner reported fulfilled."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from agreements import permissions as agreement_permissions
from core.permissions import require, rule_required
from portal import permissions
from portal.forms import ProposalDecisionForm
from portal.models import ObligationProposal
from portal.services import obligations as services


def _proposal(pk):
    return get_object_or_404(
        ObligationProposal.objects.select_related(
            "obligation__agreement__partner", "proposed_by", "decided_by"
        ),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
@rule_required(agreement_permissions.can_view_agreements)
def proposal_detail(request, pk):
    proposal = _proposal(pk)
    agreement = proposal.obligation.agreement
    can_decide = permissions.can_decide_obligation_proposal(request.user, proposal)
    form = ProposalDecisionForm(request.POST or None) if can_decide else None
    if request.method == "POST":
        require(can_decide)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "confirm":
                    services.proposal_confirm(proposal=proposal, user=request.user)
                    messages.success(request, _("Confirmed: the obligation is fulfilled."))
                else:
                    services.proposal_reject(
                        proposal=proposal, user=request.user, reason=form.cleaned_data["reason"]
                    )
                    messages.success(
                        request, _("Rejected. The partner sees your reason and can report again.")
                    )
            except services.ProposalRefused as refused:
                messages.error(request, refused.message)
            return redirect(f"{agreement.get_absolute_url()}#obligations")
        messages.error(request, _("Nothing was decided. Please correct the errors below."))
    return render(
        request,
        "portal/staff/proposal_detail.html",
        {"proposal": proposal, "agreement": agreement, "form": form, "refusal": can_decide.reason},
    )


@require_safe
@rule_required(agreement_permissions.can_view_agreements)
def proposal_evidence(request, pk):
    proposal = _proposal(pk)
    if not proposal.evidence:
        raise Http404
    return FileResponse(
        proposal.evidence.open("rb"),
        as_attachment=True,
        filename=proposal.evidence.name.rsplit("/", 1)[-1],
    )
