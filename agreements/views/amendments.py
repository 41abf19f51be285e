"""The amendment pages: draft and edit, the side-by-side page, and the workflow steps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from agreements import amendments, permissions, services
from agreements.amendment_forms import (
    AmendmentForm,
    WithdrawForm,
    amendment_formsets,
    period_is_fixed_message,
)
from agreements.budget import amendment_budget_warnings
from agreements.forms import ApproveForm, ReturnForm
from agreements.models import (
    Agreement,
    AgreementEvent,
    Amendment,
    AmendmentGoal,
    AmendmentObligation,
    AmendmentStatus,
)
from agreements.views.agreements import approvals_overview, declare_interest
from agreements.workflow import AMENDMENT, TRANSITIONS, available_transitions
from core.history import change_log
from core.permissions import require, rule_required
from core.versioning import EditConflict, keep_input_after_conflict


def _amendment(pk, number) -> Amendment:
    return get_object_or_404(
        Amendment.objects.select_related(
            "agreement__partner",
            "agreement__terms",
            "agreement__responsible",
            "based_on",
            "created_by",
            "submitted_by",
            "approved_by",
        ),
        agreement_id=pk,
        number=number,
    )


@require_http_methods(["GET", "POST"])
def amendment_create(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("partner", "terms"), pk=pk)
    require(permissions.can_amend_agreement(request.user, agreement))
    base = agreement.terms
    amendment = Amendment(agreement=agreement, **base.contract_terms())
    return _amendment_form(request, agreement, amendment, base, created=True)


@require_http_methods(["GET", "POST"])
def amendment_edit(request, pk, number):
    amendment = _amendment(pk, number)
    require(permissions.can_edit_amendment(request.user, amendment))
    return _amendment_form(
        request, amendment.agreement, amendment, amendment.based_on, created=False
    )


def _amendment_form(request, agreement, amendment, base, *, created):
    data = request.POST if request.method == "POST" else None
    form = AmendmentForm(data, instance=amendment, agreement=agreement)
    goals, obligations = amendment_formsets(data, base=base, amendment=amendment)
    section_problems = {}
    if request.method == "POST":
        if form.is_valid() and goals.is_valid() and obligations.is_valid():
            try:
                saved = amendments.amendment_save(
                    agreement=agreement,
                    form=form,
                    goal_formset=goals,
                    obligation_formset=obligations,
                    user=request.user,
                )
            except ValidationError as problems:
                section_problems = _show_problems(form, problems)
            except services.TransitionRefused as refused:
                messages.error(request, refused.message)
                return redirect(agreement)
            except EditConflict as conflict:
                keep_input_after_conflict(form, conflict)
            else:
                messages.success(
                    request,
                    (
                        _(
                            "%(amendment)s saved as a draft. Submit it for approval when it is complete."
                        )
                        if created
                        else _("Changes to %(amendment)s saved.")
                    )
                    % {"amendment": saved.label()},
                )
                return redirect(saved)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(
        request,
        "agreements/amendment_form.html",
        {
            "form": form,
            "goal_formset": goals,
            "obligation_formset": obligations,
            "section_problems": section_problems,
            "agreement": agreement,
            "amendment": amendment,
            "base": base,
            "followed_up_obligations": base.agreement.obligations.current().exclude(
                fulfilment="open"
            ),
            "period_is_fixed": period_is_fixed_message(agreement),
            "created": created,
        },
    )


def _show_problems(form, problems: ValidationError) -> dict:
    """Put each rule's message next to its field; those about goals and obligations go
    above their sections."""
    sections = {}
    for name, messages_of_field in problems.message_dict.items():
        if name in form.fields:
            form.add_error(name, messages_of_field)
        else:
            sections[name] = messages_of_field
    return sections


@rule_required(permissions.can_view_agreements)
def amendment_detail(request, pk, number):
    amendment = _amendment(pk, number)
    agreement = amendment.agreement
    return render(
        request,
        "agreements/amendment_detail.html",
        {
            "amendment": amendment,
            "agreement": agreement,
            "diff": amendments.amendment_diff(amendment),
            "terms_version": getattr(amendment, "terms_version", None)
            if amendment.status == AmendmentStatus.APPROVED
            else None,
            "transitions": available_transitions(request.user, amendment),
            "can_edit": permissions.can_edit_amendment(request.user, amendment),
            "warnings": amendment_budget_warnings(amendment) if amendment.is_open else [],
            "events": AgreementEvent.objects.filter(amendment=amendment).select_related("actor"),
            "history_entries": change_log(
                (_("Amendment"), Amendment.history.filter(id=amendment.pk)),
                (_("Proposed goal"), AmendmentGoal.history.filter(amendment_id=amendment.pk)),
                (
                    _("Proposed obligation"),
                    AmendmentObligation.history.filter(amendment_id=amendment.pk),
                ),
            ),
        },
    )


_ACTION_DONE = {
    "submit": gettext_lazy(
        "%(amendment)s is submitted. Another manager will approve or return it."
    ),
    "approve": gettext_lazy("%(amendment)s is approved. The amended terms apply from %(day)s."),
    "return": gettext_lazy("%(amendment)s is returned to the author."),
    "withdraw": gettext_lazy("%(amendment)s is withdrawn."),
}


@require_http_methods(["GET", "POST"])
def amendment_action(request, pk, number, action):
    """Confirmation page (GET) and the step itself (POST): the agreement's workflow."""
    transition = TRANSITIONS.get(action)
    if transition is None or AMENDMENT not in transition.rules:
        raise Http404
    amendment = _amendment(pk, number)
    require(transition.permission(request.user, amendment))
    data = request.POST if request.method == "POST" else None
    if action == "approve":
        form = ApproveForm(data, record=amendment)
    else:
        form_class = {"return": ReturnForm, "withdraw": WithdrawForm}.get(action)
        form = form_class(data) if form_class else None
    deciding = action in ("submit", "approve") and amendment.status in transition.sources
    problems = (
        amendments.amendment_problems(amendment, today=timezone.localdate()) if deciding else []
    )
    warnings = (
        [*amendment_budget_warnings(amendment), *amendment.agreement.partner.review_warnings()]
        if deciding
        else []
    )
    approving = isinstance(form, ApproveForm)
    if request.method == "POST" and approving and form.is_valid() and form.declares_interest:
        return declare_interest(request, amendment, form, reference=amendment.label())
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.amendment_transition(
                amendment=amendment,
                action=action,
                user=request.user,
                comment=form.cleaned_data.get("comment", "") if form else "",
                statement=form.statement() if approving else None,
            )
        except services.TransitionConflict as conflict:
            messages.warning(request, conflict.message)
            return redirect(amendment)
        except services.TransitionRefused as refused:
            if form is not None and refused.field in form.fields:
                form.add_error(refused.field, refused.message)
            else:
                messages.error(request, refused.message)
            problems = refused.problems
        else:
            amendment.refresh_from_db(fields=["status"])
            if approving and amendment.status == AmendmentStatus.PENDING:
                messages.success(request, _FIRST_OF_TWO % {"reference": amendment.label()})
                return redirect(amendment)
            messages.success(
                request,
                _ACTION_DONE[action]
                % {
                    "amendment": amendment.label(),
                    "day": date_format(amendment.effective_date, "SHORT_DATE_FORMAT"),
                },
            )
            for warning in warnings:
                messages.warning(request, warning)
            return redirect(amendment)
    return render(
        request,
        "agreements/amendment_action.html",
        {
            "amendment": amendment,
            "agreement": amendment.agreement,
            "transition": transition,
            "form": form,
            "problems": problems,
            "warnings": warnings,
            "allowed_now": amendment.status in transition.sources,
            **(approvals_overview(amendment) if action == "approve" else {}),
        },
    )


_FIRST_OF_TWO = gettext_lazy(
    "Your approval of %(reference)s is recorded. Its contribution needs two approvals: "
    "another manager must approve it too."
)
