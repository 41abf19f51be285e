from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.history import change_log
from core.pagination import paginate
from core.permissions import require, rule_required
from core.queue import enqueue
from core.versioning import EditConflict, keep_input_after_conflict
from governance import permissions, selectors, services
from governance.filters import IncidentFilter
from governance.forms import IncidentCloseForm, IncidentForm, IncidentReviewForm
from governance.models import Incident
from governance.workflow import INCIDENT_TRANSITIONS, available_incident_transitions
from partnerships.models import Partner
from reminders.tasks import send_incident_alerts


@rule_required(permissions.can_view_incidents)
def incident_list(request):
    incident_filter = IncidentFilter(
        request.GET, queryset=selectors.incidents_for(request.user), request=request
    )
    page = paginate(request, incident_filter.qs)
    return render(
        request, "governance/incident_list.html", {"filter": incident_filter, "page": page}
    )


@rule_required(permissions.can_view_incidents)
def incident_detail(request, pk):
    incident = get_object_or_404(selectors.incidents_for(request.user), pk=pk)
    if not incident.details_visible:
        return render(request, "governance/incident_restricted.html", {"incident": incident})
    return render(
        request,
        "governance/incident_detail.html",
        {
            "incident": incident,
            "events": incident.events.select_related("actor"),
            "citations": incident.termination_citations.select_related("agreement", "cited_by"),
            "acknowledgements": incident.acknowledgements.select_related(
                "decision__agreement", "decision__manager"
            ),
            "transitions": available_incident_transitions(request.user, incident),
            "can_edit": permissions.can_edit_incident(request.user, incident),
            "history_entries": change_log((_("Incident"), Incident.history.filter(id=incident.pk))),
        },
    )


@require_http_methods(["GET", "POST"])
def incident_create(request, partner_pk):
    partner = get_object_or_404(Partner, pk=partner_pk)
    require(permissions.can_record_incident(request.user, partner))
    form = IncidentForm(request.POST or None, partner=partner)
    if request.method == "POST":
        if form.is_valid():
            incident = services.incident_record(form=form, partner=partner, user=request.user)
            _alert_managers_if_serious(incident)
            messages.success(request, _("The incident is recorded."))
            return redirect(incident)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(
        request,
        "governance/incident_form.html",
        {"form": form, "partner": partner, "incident": None},
    )


@require_http_methods(["GET", "POST"])
def incident_edit(request, pk):
    incident = get_object_or_404(Incident.objects.select_related("partner"), pk=pk)
    require(permissions.can_edit_incident(request.user, incident))
    form = IncidentForm(request.POST or None, instance=incident, partner=incident.partner)
    if request.method == "POST":
        if form.is_valid():
            try:
                incident = services.incident_update(form=form, user=request.user)
            except EditConflict as conflict:
                keep_input_after_conflict(form, conflict)
            except services.IncidentRefused as refused:
                messages.error(request, refused.message)
                return redirect(incident)
            else:
                _alert_managers_if_serious(incident)
                messages.success(request, _("Changes to the incident saved."))
                return redirect(incident)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(
        request,
        "governance/incident_form.html",
        {"form": form, "partner": incident.partner, "incident": incident},
    )


def _alert_managers_if_serious(incident):
    """Managers hear of a serious incident at once, through the reminder claims (the
    daily run sends it too, if the queue is down now: the claim keeps it to one)."""
    if incident.is_serious_unresolved:
        transaction.on_commit(lambda: enqueue(send_incident_alerts))


@require_http_methods(["GET", "POST"])
def incident_action(request, pk, action):
    """Confirmation page (GET) and the step itself (POST): review or close."""
    if action not in INCIDENT_TRANSITIONS:
        raise Http404 from None
    transition = INCIDENT_TRANSITIONS[action]
    incident = get_object_or_404(Incident.objects.select_related("partner"), pk=pk)
    require(transition.permission(request.user, incident))
    form_class = IncidentCloseForm if transition.needs_outcome else IncidentReviewForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_transition(
                incident=incident,
                action=action,
                user=request.user,
                comment=form.cleaned_data["comment"],
                outcome=form.cleaned_data.get("outcome", ""),
            )
        except services.IncidentRefused as refused:
            if refused.field and refused.field in form.fields:
                form.add_error(refused.field, refused.message)
            else:
                messages.error(request, refused.message)
                return redirect(incident)
        else:
            messages.success(
                request,
                _("The incident is closed.")
                if transition.needs_outcome
                else _("The incident is under review."),
            )
            return redirect(incident)
    return render(
        request,
        "governance/incident_action.html",
        {
            "incident": incident,
            "transition": transition,
            "form": form,
            "allowed_now": incident.status in transition.sources,
        },
    )
