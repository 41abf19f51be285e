"""The partner reports its own obligations fulfilled."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.permissions import require
from portal import permissions
from portal.forms import ProposalForm
from portal.models import ProposalStatus
from portal.services import obligations as services
from portal.views.access import portal_view


@require_http_methods(["GET", "POST"])
@portal_view
def obligation_propose(request, scope, agreement_pk, pk):
    obligation = scope.obligation(agreement_pk, pk)
    proposals = list(obligation.partner_proposals.select_related("decided_by"))
    open_proposal = next((p for p in proposals if p.status == ProposalStatus.PROPOSED), None)
    decision = permissions.can_propose_obligation_fulfilled(obligation, open_proposal)
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(decision)
        if form.is_valid():
            try:
                services.proposal_create(
                    obligation=obligation,
                    partner_user=scope.partner_user,
                    fulfilled_on=form.cleaned_data["fulfilled_on"],
                    note=form.cleaned_data["note"],
                    evidence=form.cleaned_data["evidence"],
                )
            except services.ProposalRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. We will confirm that the obligation is fulfilled, or tell you why not."
                    ),
                )
                url = reverse("portal:agreement_detail", args=[obligation.agreement_id])
                return redirect(f"{url}#obligations")
        messages.error(request, _("Nothing was sent. Please correct the errors below."))
    return render(
        request,
        "portal/obligation_propose.html",
        {
            "obligation": obligation,
            "agreement": obligation.agreement,
            "form": form if decision else None,
            "refusal": decision.reason,
            "proposals": proposals,
        },
    )


@require_safe
@portal_view
def proposal_evidence(request, scope, pk):
    proposal = scope.proposal(pk)
    if not proposal.evidence:
        raise Http404
    return FileResponse(
        proposal.evidence.open("rb"),
        as_attachment=True,
        filename=proposal.evidence.name.rsplit("/", 1)[-1],
    )
