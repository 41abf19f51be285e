from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from agreements import amendments, approvals, permissions, selectors, services
from agreements.budget import budget_warnings
from agreements.filters import AgreementFilter
from agreements.forms import (
    NEW_OBLIGATION_ROWS,
    AgreementForm,
    ApproveForm,
    GoalFormSet,
    ObligationFormSet,
    ObligationOutcomeForm,
    ReturnForm,
    SignedAgreementForm,
    TerminateForm,
)
from agreements.models import Agreement, Goal, Obligation, Phase, Side, Status, in_terms_order
from agreements.workflow import TRANSITIONS, available_transitions
from core.csv_export import csv_response
from core.history import change_log
from core.pagination import paginate
from core.permissions import require, rule_required
from core.versioning import EditConflict, EditRefused, keep_input_after_conflict
from evaluations import permissions as evaluation_permissions
from evaluations import selectors as evaluation_selectors
from evaluations.charts import goal_chart
from governance import selectors as governance_selectors
from partnerships.models import Partner
from reminders.selectors import reminders_for_agreement


@rule_required(permissions.can_view_agreements)
def agreement_list(request):
    agreement_filter = AgreementFilter(
        request.GET, queryset=selectors.agreement_list_queryset(), request=request
    )
    page = paginate(request, agreement_filter.qs)
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "filter": agreement_filter,
            "page": page,
            "today": timezone.localdate(),
            "can_create": permissions.can_create_agreement(request.user),
        },
    )


# What the export reads: the columns below, what phase() and str(user) need, and the
# contribution of the latest terms (an amendment may have changed it).
CSV_FIELDS = [
    "reference",
    "title",
    "agreement_type",
    "status",
    "start_date",
    "end_date",
    "economic_amount",
    "currency",
    "partner__name",
    "responsible__username",
    "responsible__first_name",
    "responsible__last_name",
    "follows__reference",
    "terms__economic_amount",
    "signed_document",
    "signed_on",
]


def _choice_labels(field_name: str) -> dict:
    return {value: str(label) for value, label in Agreement._meta.get_field(field_name).flatchoices}


@rule_required(permissions.can_view_agreements)
def agreement_export(request):
    """The filtered list as CSV, streamed row by row so memory stays flat."""
    agreement_filter = AgreementFilter(
        request.GET,
        # Only the columns the file shows: reading 30,000 whole rows doubled the time.
        queryset=selectors.with_amendment_summary(
            selectors.agreement_list_queryset().select_related("follows", "terms").only(*CSV_FIELDS)
        ),
        request=request,
    )
    if not agreement_filter.is_valid():
        # The list page shows what is wrong with the filters.
        return redirect(f"{reverse('agreements:agreement_list')}?{request.GET.urlencode()}")
    today = timezone.localdate()
    header = [
        _("Reference"),
        _("Title"),
        _("Partner"),
        _("Type"),
        _("Status"),
        _("Phase"),
        _("Start date"),
        _("End date"),
        _("Economic contribution"),
        _("Currency"),
        _("Responsible"),
        _("Follows"),
        _("Amendments"),
        _("Last amendment in force from"),
        _("Signed"),
        _("Signed on"),
    ]
    # Each label translated once, not once a row (get_FOO_display() translates every
    # choice on each call: half the export's time at 30,000 rows).
    type_labels = _choice_labels("agreement_type")
    status_labels = _choice_labels("status")
    phase_labels = {value: str(label) for value, label in Phase.choices}

    def rows():
        for agreement in agreement_filter.qs.iterator(chunk_size=2000):
            phase = agreement.phase(today)
            yield [
                agreement.reference,
                agreement.title,
                agreement.partner.name,
                type_labels.get(agreement.agreement_type, agreement.agreement_type),
                status_labels.get(agreement.status, agreement.status),
                phase_labels.get(phase, phase),
                agreement.start_date,
                agreement.end_date,
                agreement.current_terms.economic_amount,
                agreement.currency,
                agreement.responsible,
                agreement.follows.reference if agreement.follows else "",
                agreement.amendment_count,
                agreement.last_amendment_on or "",
                agreement.is_signed,
                agreement.signed_on,
            ]

    return csv_response(f"agreements-{today.isoformat()}.csv", header, rows())


@rule_required(permissions.can_view_agreements)
def agreement_detail(request, pk):
    try:
        agreement = selectors.agreement_detail(pk)
    except Agreement.DoesNotExist:
        raise Http404 from None
    # The latest terms' goals and obligations; earlier ones are in the terms versions.
    obligations = in_terms_order(
        o for o in agreement.obligations.all() if o.superseded_in_id is None
    )
    today = timezone.localdate()
    for obligation in obligations:
        obligation.overdue_now = obligation.is_overdue(today)
    amendment_views, versions = amendments.agreement_amendments(agreement)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            **_evaluation_overview(request.user, agreement),
            "agreement": agreement,
            "terms": agreement.current_terms,
            "goals": in_terms_order(g for g in agreement.goals.all() if g.superseded_in_id is None),
            "amendments": amendment_views,
            "open_amendment": next(
                (a.amendment for a in amendment_views if a.amendment.is_open), None
            ),
            "terms_versions": versions,
            "can_amend": permissions.can_amend_agreement(request.user, agreement)
            if agreement.status == Status.APPROVED
            else None,
            "reminders": list(reminders_for_agreement(agreement)),
            "history_entries": change_log(
                (_("Agreement"), Agreement.history.filter(id=agreement.pk)),
                (_("Goal"), Goal.history.filter(agreement_id=agreement.pk)),
                (_("Obligation"), Obligation.history.filter(agreement_id=agreement.pk)),
            ),
            "our_obligations": [o for o in obligations if o.side == Side.OURS],
            "partner_obligations": [o for o in obligations if o.side == Side.PARTNER],
            "overdue_obligations": sum(o.overdue_now for o in obligations),
            "can_follow_up": permissions.can_follow_up_obligation(request.user, agreement),
            "warnings": _approval_warnings(agreement) if not agreement.was_approved else [],
            "serious_incidents": governance_selectors.serious_unresolved_incidents(
                agreement.partner
            ),
            "incident_citations": governance_selectors.termination_citations(agreement)
            if agreement.status == Status.TERMINATED
            else [],
            "transitions": available_transitions(request.user, agreement),
            **(approvals_overview(agreement) if agreement.status == Status.PENDING else {}),
            "can_edit": permissions.can_edit_agreement(request.user, agreement),
            "can_renew": permissions.can_renew_agreement(request.user, agreement),
            "can_attach_signed": permissions.can_attach_signed_agreement(request.user, agreement),
        },
    )


def _evaluation_overview(user, agreement):
    """The agreement page's evaluation section: periods and each goal's results by year,
    with the target that applied in each period (an amendment may have changed it)."""
    today = timezone.localdate()
    periods, results_by_goal = evaluation_selectors.agreement_evaluation_overview(agreement)
    years = [period.number for period in periods]
    goal_results = []
    for line in amendments.goal_lines(agreement.goals.all(), periods):
        results = {}
        for row in line.rows:
            for year, result in results_by_goal.get(row.pk, {}).items():
                results.setdefault(year, result)
        cells = []
        previous = None
        for year, applied in zip(years, line.per_period, strict=True):
            cells.append(
                {
                    "result": results.get(year),
                    "goal": applied,
                    "amended": applied is not None and previous is not None and applied != previous,
                }
            )
            previous = applied or previous
        targets = {
            year: applied.target_value if applied else None
            for year, applied in zip(years, line.per_period, strict=True)
        }
        goal_results.append(
            {
                "goal": line.latest,
                "line": line,
                "cells": cells,
                "chart": goal_chart(line.latest, results, years, targets_by_year=targets),
            }
        )
    return {
        "evaluation_periods": [
            {
                "period": period,
                "state": period.state(today),
                "evaluations": list(period.evaluations.all()),
                "can_evaluate": evaluation_permissions.can_evaluate_period(user, period),
            }
            for period in periods
        ],
        "goal_results": goal_results,
    }


@require_http_methods(["GET", "POST"])
def agreement_create(request):
    require(permissions.can_create_agreement(request.user))
    agreement = Agreement(responsible=request.user)
    partner_id = request.GET.get("partner")
    if partner_id and partner_id.isdigit():
        agreement.partner = Partner.objects.active().filter(pk=partner_id).first()
    return _agreement_form(request, agreement, created=True)


@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk):
    agreement = get_object_or_404(Agreement, pk=pk)
    if request.method == "POST":
        # A form opened before the agreement was submitted comes back with its input
        # and the reason (the service checks the lock).
        require(permissions.can_edit_agreements(request.user))
    else:
        require(permissions.can_edit_agreement(request.user, agreement))
    return _agreement_form(request, agreement, created=False)


def _formsets(request, agreement, *, created):
    """Goal and obligation formsets. Empty rows start with a side chosen; the same
    initial values are given when the form comes back, so an untouched row is skipped."""
    data = request.POST if request.method == "POST" else None
    obligation_rows = NEW_OBLIGATION_ROWS if created else NEW_OBLIGATION_ROWS[1:3]
    goals = GoalFormSet(data, instance=agreement, prefix="goals")
    obligations = ObligationFormSet(
        data, instance=agreement, prefix="obligations", initial=obligation_rows
    )
    if not created and agreement.goals.exists():
        goals.extra = 1  # one empty row to add another goal
    obligations.extra = len(obligation_rows)
    return goals, obligations


def _agreement_form(request, agreement, *, created):
    goals, obligations = _formsets(request, agreement, created=created)
    if request.method == "POST":
        form = AgreementForm(request.POST, request.FILES, instance=agreement)
        editable = created or permissions.can_edit_agreement(request.user, agreement)
        if not editable:
            # Submitted or approved since the form was opened: say so before anything else.
            form.add_error(None, editable.reason)
        elif form.is_valid() and goals.is_valid() and obligations.is_valid():
            save = services.agreement_create if created else services.agreement_update
            try:
                saved = save(
                    form=form, goal_formset=goals, obligation_formset=obligations, user=request.user
                )
            except EditRefused as refused:
                form.add_error(None, refused.message)
            except EditConflict as conflict:
                keep_input_after_conflict(form, conflict)
            else:
                if created:
                    messages.success(
                        request,
                        _("Draft %(reference)s saved. Submit it for approval when it is complete.")
                        % {"reference": saved.reference},
                    )
                else:
                    messages.success(
                        request,
                        _("Changes to %(reference)s saved.") % {"reference": saved.reference},
                    )
                return redirect(saved)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    else:
        form = AgreementForm(instance=agreement)
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "form": form,
            "goal_formset": goals,
            "obligation_formset": obligations,
            "agreement": agreement,
            "created": created,
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_action(request, pk, action):
    """Confirmation page (GET) and the action itself (POST) for a workflow step."""
    if action not in TRANSITIONS:
        raise Http404 from None
    transition = TRANSITIONS[action]
    agreement = get_object_or_404(Agreement.objects.select_related("partner"), pk=pk)
    require(transition.permission(request.user, agreement))
    form = _action_form(action, agreement, request.POST if request.method == "POST" else None)
    problems = []
    if action == "submit":
        problems = agreement.completeness_problems()
    elif action == "approve":
        problems = agreement.period_problems()
    warnings = _approval_warnings(agreement) if action in ("submit", "approve") else []
    if request.method == "POST" and isinstance(form, ApproveForm) and form.is_valid():
        if form.declares_interest:
            return _declare_interest(request, agreement, form)
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form else {}
        try:
            services.agreement_transition(
                agreement=agreement,
                action=action,
                user=request.user,
                comment=data.get("comment", ""),
                terminated_on=data.get("terminated_on"),
                termination_cause=data.get("termination_cause", ""),
                cited_incidents=[incident.pk for incident in data.get("cited_incidents", [])],
                statement=form.statement() if isinstance(form, ApproveForm) else None,
            )
        except services.TransitionConflict as conflict:
            messages.warning(request, conflict.message)
            return redirect(agreement)
        except services.TransitionRefused as refused:
            if form is not None and refused.field in form.fields:
                form.add_error(refused.field, refused.message)
                messages.error(request, _("Nothing was done. Please correct the errors below."))
            else:
                messages.error(request, refused.message)
            problems = refused.problems if action in ("submit", "approve") else []
        else:
            agreement.refresh_from_db(fields=["status"])
            if action == "approve" and agreement.status == Status.PENDING:
                messages.success(request, _FIRST_OF_TWO % {"reference": agreement.reference})
            else:
                messages.success(request, _ACTION_DONE[action] % {"reference": agreement.reference})
            if action in ("submit", "approve"):
                # Worded for the status the agreement has now, not the one it had.
                for warning in _approval_warnings(agreement):
                    messages.warning(request, warning)
            return redirect(agreement)
    return render(
        request,
        "agreements/agreement_action.html",
        {
            "agreement": agreement,
            "transition": transition,
            "form": form,
            "problems": problems,
            "warnings": warnings,
            "allowed_now": agreement.status in transition.sources,
            **(approvals_overview(agreement) if action == "approve" else {}),
        },
    )


def approvals_overview(record) -> dict:
    """How many approvals the record needs and has for the version submitted."""
    return {
        "approvals_needed": approvals.approvals_needed(record),
        "approvals_so_far": approvals.approvals_so_far(record),
    }


def declare_interest(request, record, form, *, reference: str):
    """The manager declared an interest instead of approving: recorded, and they stand
    aside; the record waits for another manager."""
    try:
        services.workflow_declare_interest(
            record=record, user=request.user, interest=form.cleaned_data["interest"]
        )
    except services.TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _(
                "Your interest in %(partner)s is recorded. You stand aside: another manager "
                "must approve %(reference)s."
            )
            % {
                "partner": approvals.workflow_agreement(record).partner.name,
                "reference": reference,
            },
        )
    return redirect(record)


def _declare_interest(request, agreement, form):
    return declare_interest(request, agreement, form, reference=agreement.reference)


def _action_form(action, agreement, data):
    """The form a workflow step asks for, if any."""
    if action == "return":
        return ReturnForm(data)
    if action == "terminate":
        return TerminateForm(data, agreement=agreement)
    if action == "approve":
        return ApproveForm(data, record=agreement)
    return None


def _approval_warnings(agreement) -> list[str]:
    """What the author and the approving manager should know, without blocking them."""
    return [
        *agreement.programme_period_warnings(),
        *budget_warnings(agreement),
        *agreement.partner.review_warnings(),
    ]


_FIRST_OF_TWO = gettext_lazy(
    "Your approval of %(reference)s is recorded. Its contribution needs two approvals: "
    "another manager must approve it too."
)


# Lazy: translated when shown, in the language of that request, not at import.
_ACTION_DONE = {
    "submit": gettext_lazy("%(reference)s is submitted. A manager will approve or return it."),
    "approve": gettext_lazy("%(reference)s is approved."),
    "return": gettext_lazy("%(reference)s is returned to the author."),
    "terminate": gettext_lazy("%(reference)s is terminated."),
}


@require_http_methods(["GET", "POST"])
def agreement_renew(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("partner"), pk=pk)
    require(permissions.can_renew_agreement(request.user, agreement))
    follower = agreement.follower()
    if follower is not None:
        # A second click, another tab, or a colleague first: show the draft there is.
        return _show_follower(request, follower)
    if request.method == "POST":
        try:
            renewal = services.agreement_renew(agreement=agreement, user=request.user)
        except services.AlreadyRenewed as renewed:
            return _show_follower(request, renewed.follower)
        except services.TransitionRefused as refused:
            messages.error(request, refused.message)
            return redirect(agreement)
        messages.success(
            request,
            _(
                "Draft %(new)s follows %(old)s. Check the period and terms, then submit it for approval."
            )
            % {"new": renewal.reference, "old": agreement.reference},
        )
        return redirect("agreements:agreement_edit", pk=renewal.pk)
    return render(request, "agreements/agreement_renew.html", {"agreement": agreement})


def _show_follower(request, follower):
    messages.info(
        request,
        _("%(reference)s already follows this agreement. Here it is.")
        % {"reference": follower.reference},
    )
    if permissions.can_edit_agreement(request.user, follower):
        return redirect("agreements:agreement_edit", pk=follower.pk)
    return redirect(follower)


@require_http_methods(["GET", "POST"])
def agreement_signed_copy(request, pk):
    """File the signed copy of an approved agreement, or replace it; the terms stay locked."""
    agreement = get_object_or_404(Agreement.objects.select_related("partner"), pk=pk)
    require(permissions.can_attach_signed_agreement(request.user, agreement))
    replacing = agreement.is_signed
    form = SignedAgreementForm(request.POST or None, request.FILES or None, instance=agreement)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.agreement_attach_signed_document(
                    agreement=agreement,
                    user=request.user,
                    signed_on=form.cleaned_data["signed_on"],
                    document=form.new_document(),
                    opened_version=form.cleaned_data.get("edit_version"),
                )
            except EditConflict as conflict:
                keep_input_after_conflict(form, conflict)
            else:
                messages.success(
                    request,
                    (
                        _("The signed copy of %(reference)s is replaced.")
                        if replacing
                        else _("The signed copy of %(reference)s is filed.")
                    )
                    % {"reference": agreement.reference},
                )
                return redirect(agreement)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    # The form changed the instance while validating; show what is stored.
    agreement.refresh_from_db()
    return render(
        request,
        "agreements/agreement_signed.html",
        {
            "agreement": agreement,
            "form": form,
            "copies": selectors.signed_copies(agreement),
        },
    )


@rule_required(permissions.can_view_agreements)
def agreement_signed_document(request, pk):
    """The signed copy as a download; ?copy=<history id> gives one it replaced."""
    agreement = get_object_or_404(Agreement, pk=pk)
    document = agreement.signed_document
    filename = f"{agreement.reference}-signed.pdf"
    copy = request.GET.get("copy", "")
    if copy:
        record = (
            agreement.history.filter(history_id=copy).exclude(signed_document="").first()
            if copy.isdigit() and int(copy) < 2**31
            else None
        )
        if record is None:
            raise Http404 from None
        if str(record.signed_document) != document.name:
            document = Agreement._meta.get_field("signed_document").attr_class(
                agreement, Agreement._meta.get_field("signed_document"), record.signed_document
            )
            filed = record.signed_document_added_at or record.history_date
            filename = f"{agreement.reference}-signed-{timezone.localtime(filed):%Y-%m-%d}.pdf"
    if not document:
        raise Http404 from None
    try:
        opened = document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(opened, as_attachment=True, filename=filename)


@require_http_methods(["GET", "POST"])
def obligation_outcome(request, pk, obligation_pk):
    """Record whether an obligation of an approved agreement was fulfilled."""
    obligation = get_object_or_404(
        Obligation.objects.select_related("agreement__partner"), pk=obligation_pk, agreement_id=pk
    )
    agreement = obligation.agreement
    if request.method == "POST" and agreement.status == Status.TERMINATED:
        # A form opened before the agreement was terminated comes back with its input
        # and the reason (the service checks the lock).
        require(permissions.can_follow_up_obligations(request.user))
    else:
        require(permissions.can_follow_up_obligation(request.user, agreement))
    if request.method != "POST":
        form = ObligationOutcomeForm(instance=obligation)
        return _obligation_outcome_page(request, form, obligation)
    form = ObligationOutcomeForm(request.POST, request.FILES, instance=obligation)
    open_to_follow_up = permissions.can_follow_up_obligation(request.user, agreement)
    if not open_to_follow_up:
        # Terminated since the form was opened: say so before anything else.
        form.add_error(None, open_to_follow_up.reason)
    elif form.is_valid():
        try:
            saved = services.obligation_record_outcome(
                obligation=obligation, form=form, user=request.user
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except EditRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Recorded: “%(obligation)s” is %(outcome)s.")
                % {
                    "obligation": saved.description[:60],
                    "outcome": saved.get_fulfilment_display().lower(),
                },
            )
            return redirect(f"{agreement.get_absolute_url()}#obligations")
    messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return _obligation_outcome_page(request, form, obligation)


def _obligation_outcome_page(request, form, obligation):
    return render(
        request,
        "agreements/obligation_outcome.html",
        {"form": form, "obligation": obligation, "agreement": obligation.agreement},
    )


@rule_required(permissions.can_view_agreements)
def obligation_evidence(request, pk, obligation_pk):
    obligation = get_object_or_404(Obligation, pk=obligation_pk, agreement_id=pk)
    if not obligation.fulfilment_evidence:
        raise Http404 from None
    name = obligation.fulfilment_evidence.name.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    return FileResponse(
        obligation.fulfilment_evidence.open("rb"),
        as_attachment=True,
        filename=f"{obligation.agreement.reference}-obligation-{obligation.pk}.{extension}",
    )
