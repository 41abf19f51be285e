from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agreements.workflow import transition_available
from core.csv_export import csv_response
from core.history import change_log
from core.pagination import paginate
from core.permissions import require, rule_required
from core.versioning import EditConflict, EditRefused, keep_input_after_conflict
from evaluations import permissions, selectors, services
from evaluations.filters import EvaluationFilter, EvaluationsDueFilter
from evaluations.forms import EvaluationForm, GoalResultsForm, ReopenForm
from evaluations.models import (
    Evaluation,
    EvaluationAttachment,
    EvaluationPeriod,
    EvaluationStatus,
    GoalResult,
    Recommendation,
)
from partnerships import permissions as partner_permissions
from partnerships import selectors as partner_selectors


@rule_required(permissions.can_view_evaluations)
def evaluation_list(request):
    """Agreements with an evaluation awaiting: overdue, due, or running."""
    due_filter = EvaluationsDueFilter(
        request.GET, queryset=selectors.evaluations_due_queryset(timezone.localdate())
    )
    page = paginate(request, due_filter.qs)
    return render(
        request,
        "evaluations/evaluation_list.html",
        {"filter": due_filter, "page": page, "today": timezone.localdate()},
    )


@rule_required(permissions.can_view_evaluations)
def evaluation_records(request):
    """Recorded evaluations, drafts and completed."""
    record_filter = EvaluationFilter(request.GET, queryset=selectors.evaluation_list_queryset())
    page = paginate(request, record_filter.qs)
    return render(
        request, "evaluations/evaluation_records.html", {"filter": record_filter, "page": page}
    )


@rule_required(permissions.can_view_evaluations)
def evaluation_export(request):
    """The filtered evaluation records as CSV, streamed."""
    record_filter = EvaluationFilter(request.GET, queryset=selectors.evaluation_list_queryset())
    if not record_filter.is_valid():
        return redirect(f"{reverse('evaluations:evaluation_records')}?{request.GET.urlencode()}")
    header = [
        _("Agreement"),
        _("Partner"),
        _("Period start"),
        _("Period end"),
        _("Status"),
        _("Held on"),
        _("Evaluator"),
        _("Overall rating (1–5)"),
        _("Recommendation"),
        _("Amount spent"),
    ]
    status_labels = {value: str(label) for value, label in EvaluationStatus.choices}
    recommendation_labels = {value: str(label) for value, label in Recommendation.choices}

    def rows():
        for evaluation in record_filter.qs.iterator(chunk_size=2000):
            agreement = evaluation.period.agreement
            yield [
                agreement.reference,
                agreement.partner.name,
                evaluation.period.start_date,
                evaluation.period.end_date,
                status_labels.get(evaluation.status, evaluation.status),
                evaluation.held_on,
                evaluation.evaluator,
                evaluation.overall_rating,
                recommendation_labels.get(evaluation.recommendation, evaluation.recommendation),
                evaluation.amount_spent,
            ]

    return csv_response(f"evaluations-{timezone.localdate().isoformat()}.csv", header, rows())


@require_http_methods(["GET", "POST"])
def evaluation_create(request, agreement_pk, number):
    """ "Evaluate period …" from an agreement page: continues a draft if there is one."""
    period = get_object_or_404(
        EvaluationPeriod.objects.select_related("agreement__partner"),
        agreement_id=agreement_pk,
        number=number,
    )
    require(permissions.can_evaluate_period(request.user, period))
    if request.method == "GET":
        completed = period.evaluations.filter(status=EvaluationStatus.COMPLETED).first()
        if completed:
            messages.info(request, _("This period is already evaluated."))
            return redirect(completed)
        draft = period.evaluations.filter(status=EvaluationStatus.DRAFT).first()
        if draft:
            return redirect("evaluations:evaluation_edit", pk=draft.pk)
    # A form sent from a tab opened before someone else's first save is kept: the
    # service tells it there is an evaluation now (EvaluationStarted).
    evaluation = Evaluation(period=period, evaluator=request.user, held_on=timezone.localdate())
    return _evaluation_form(request, evaluation, created=True)


@require_http_methods(["GET", "POST"])
def evaluation_edit(request, pk):
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("period__agreement__partner"), pk=pk
    )
    if request.method == "POST":
        # A form opened before the evaluation was completed comes back with its input
        # and the reason (the service checks the lock).
        require(permissions.can_edit_evaluations(request.user))
    else:
        require(permissions.can_edit_evaluation(request.user, evaluation))
    return _evaluation_form(request, evaluation, created=False)


def _evaluation_form(request, evaluation, *, created):
    goals = list(evaluation.period.goals())
    results = list(evaluation.results.all()) if evaluation.pk else []
    data = request.POST if request.method == "POST" else None
    form = EvaluationForm(data, request.FILES or None, instance=evaluation)
    prefilled = (evaluation.partner_report_values or {}).get("results", {})
    results_form = GoalResultsForm(
        data, goals=goals, results=results, prefilled=prefilled, prefix="results"
    )
    problems = []
    if request.method == "POST":
        editable = created or permissions.can_edit_evaluation(request.user, evaluation)
        if not editable:
            # Completed since the form was opened: say so before anything else.
            form.add_error(None, editable.reason)
            messages.error(request, _("Nothing was saved. Please correct the errors below."))
        elif form.is_valid() and results_form.is_valid():
            try:
                evaluation = services.evaluation_save_draft(
                    form=form,
                    results_form=results_form,
                    user=request.user,
                    attachment=form.attachment_data(),
                )
            except services.EvaluationStarted as started:
                # From now on the form edits the draft there is; saving again replaces it.
                evaluation = started.draft
                form = EvaluationForm(request.POST, instance=evaluation)
                keep_input_after_conflict(form, started)
                return _not_saved(request, form, results_form, evaluation, created=False)
            except EditConflict as conflict:
                keep_input_after_conflict(form, conflict)
                return _not_saved(request, form, results_form, evaluation, created=created)
            except EditRefused as refused:
                form.add_error(None, refused.message)
                return _not_saved(request, form, results_form, evaluation, created=created)
            if "complete" not in request.POST:
                messages.success(request, _("Draft evaluation saved. You can finish it later."))
                return redirect(evaluation)
            try:
                services.evaluation_complete(evaluation=evaluation, user=request.user)
            except services.EvaluationRefused as refused:
                messages.warning(request, refused.message)
                problems = refused.problems
                # Show the saved draft again, now bound to its stored values.
                form = EvaluationForm(instance=evaluation)
                results_form = GoalResultsForm(
                    goals=goals,
                    results=list(evaluation.results.all()),
                    prefilled=prefilled,
                    prefix="results",
                )
            else:
                messages.success(request, _("Evaluation completed and locked."))
                return redirect(evaluation)
        else:
            messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return _render_form(request, form, results_form, evaluation, created=created, problems=problems)


def _not_saved(request, form, results_form, evaluation, *, created):
    # Said at the top too: the form's own message may be below the period's dialogue.
    messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return _render_form(request, form, results_form, evaluation, created=created)


def _render_form(request, form, results_form, evaluation, *, created, problems=()):
    return render(
        request,
        "evaluations/evaluation_form.html",
        {
            "form": form,
            "results_form": results_form,
            "evaluation": evaluation,
            "period": evaluation.period,
            "agreement": evaluation.period.agreement,
            "created": created and evaluation.pk is None,
            "problems": problems,
            "dialogue_entries": _dialogue_of_period(request.user, evaluation.period),
        },
    )


def _dialogue_of_period(user, period) -> list | None:
    """The conversations with the partner during the period, for the evaluation to
    build on; None when the user may not read the dialogue log."""
    if not partner_permissions.can_view_dialogue(user):
        return None
    return partner_selectors.dialogue_in_period(
        partner=period.agreement.partner, start=period.start_date, end=period.end_date
    )


@rule_required(permissions.can_view_evaluations)
def evaluation_detail(request, pk):
    try:
        evaluation = selectors.evaluation_detail(pk)
    except Evaluation.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "evaluations/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "agreement": evaluation.period.agreement,
            "can_edit": permissions.can_edit_evaluation(request.user, evaluation),
            "can_reopen": permissions.can_reopen_evaluation(request.user, evaluation),
            "can_terminate": transition_available(
                request.user, evaluation.period.agreement, "terminate"
            ),
            "dialogue_entries": _dialogue_of_period(request.user, evaluation.period),
            "history_entries": change_log(
                (_("Evaluation"), Evaluation.history.filter(id=evaluation.pk)),
                (_("Result"), GoalResult.history.filter(evaluation_id=evaluation.pk)),
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def evaluation_reopen(request, pk):
    evaluation = get_object_or_404(Evaluation.objects.select_related("period__agreement"), pk=pk)
    if not evaluation.is_completed:
        # Another manager reopened it first (or another tab did).
        require(permissions.can_reopen_evaluations(request.user))
        messages.info(request, _("This evaluation is already reopened as a draft."))
        return redirect(evaluation)
    require(permissions.can_reopen_evaluation(request.user, evaluation))
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_reopen(
                evaluation=evaluation, user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.EvaluationRefused as refused:
            if refused.field not in form.fields:  # someone else reopened it a moment ago
                messages.info(request, refused.message)
                return redirect(evaluation)
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("The evaluation is reopened as a draft."))
            return redirect(evaluation)
    return render(
        request, "evaluations/evaluation_reopen.html", {"evaluation": evaluation, "form": form}
    )


@rule_required(permissions.can_view_evaluations)
def evaluation_attachment(request, pk, attachment_pk):
    attachment = get_object_or_404(EvaluationAttachment, pk=attachment_pk, evaluation_id=pk)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.filename
    )
