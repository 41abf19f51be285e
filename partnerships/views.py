from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from agreements import permissions as agreement_permissions
from agreements import selectors as agreement_selectors
from core.forms import show_refusal
from core.history import change_log
from core.pagination import paginate
from core.permissions import require, rule_required
from core.versioning import EditConflict, EditRefused, keep_input_after_conflict
from governance import permissions as governance_permissions
from governance import selectors as governance_selectors
from partnerships import importing, permissions, selectors, services
from partnerships.filters import PartnerFilter
from partnerships.forms import (
    ContactFormSet,
    PartnerForm,
    PartnerImportUploadForm,
    SelectionAssessmentForm,
)
from partnerships.models import Partner, PartnerContact, SelectionAssessment, SelectionCriterion
from partnerships.views_dialogue import with_follow_up_actions

# The latest conversations on the partner page; the rest are on the dialogue log page.
DIALOGUE_ON_PARTNER_PAGE = 5


@rule_required(permissions.can_view_partners)
def partner_list(request):
    partner_filter = PartnerFilter(request.GET, queryset=selectors.partner_list_queryset())
    page = paginate(request, partner_filter.qs)
    return render(
        request,
        "partnerships/partner_list.html",
        {
            "filter": partner_filter,
            "page": page,
            "can_add": permissions.can_add_partner(request.user),
            "can_import": permissions.can_import_partners(request.user),
        },
    )


@rule_required(permissions.can_view_partners)
def partner_detail(request, pk):
    try:
        partner = selectors.partner_detail(pk)
    except Partner.DoesNotExist:
        raise Http404 from None
    assessments = list(partner.assessments.all())
    can_view_dialogue = permissions.can_view_dialogue(request.user)
    dialogue_entries, dialogue_count = [], 0
    if can_view_dialogue:
        dialogue = selectors.partner_dialogue(partner)
        dialogue_entries = list(dialogue[:DIALOGUE_ON_PARTNER_PAGE])
        with_follow_up_actions(dialogue_entries, request.user)
        dialogue_count = (
            dialogue.count()
            if len(dialogue_entries) == DIALOGUE_ON_PARTNER_PAGE
            else len(dialogue_entries)
        )
    return render(
        request,
        "partnerships/partner_detail.html",
        {
            "partner": partner,
            "latest_assessment": assessments[0] if assessments else None,
            "review_state": partner.review_state(),
            "history_entries": change_log(
                (_("Partner"), Partner.history.filter(id=partner.pk)),
                (_("Contact"), PartnerContact.history.filter(partner_id=partner.pk)),
            ),
            "agreements": agreement_selectors.partner_agreements(partner),
            "can_create_agreement": agreement_permissions.can_create_agreement(request.user)
            and not partner.is_archived,
            "earlier_assessments": assessments[1:],
            "can_edit": permissions.can_edit_partner(request.user, partner),
            "can_archive": permissions.can_archive_partner(request.user, partner),
            "can_assess": permissions.can_assess_partner(request.user, partner),
            "can_view_dialogue": can_view_dialogue,
            "dialogue_entries": dialogue_entries,
            "dialogue_count": dialogue_count,
            "can_log_dialogue": permissions.can_log_dialogue(request.user, partner),
            **_incidents_overview(request.user, partner),
        },
    )


# The latest incidents on the partner page; the rest are in the incident list.
INCIDENTS_ON_PARTNER_PAGE = 5


def _incidents_overview(user, partner) -> dict:
    """The partner page's incident section and its banner for serious ones not closed."""
    if not governance_permissions.can_view_incidents(user):
        return {"can_view_incidents": False}
    incidents = governance_selectors.incidents_for(user).filter(partner=partner)
    return {
        "can_view_incidents": True,
        "incidents": list(incidents[:INCIDENTS_ON_PARTNER_PAGE]),
        "incident_count": incidents.count(),
        "serious_incidents": governance_selectors.serious_unresolved_incidents(partner),
        "can_record_incident": governance_permissions.can_record_incident(user, partner),
    }


@require_http_methods(["GET", "POST"])
def partner_create(request):
    require(permissions.can_add_partner(request.user))
    return _partner_form(request, Partner(responsible=request.user), created=True)


@require_http_methods(["GET", "POST"])
def partner_edit(request, pk):
    partner = get_object_or_404(Partner, pk=pk)
    if request.method == "POST":
        # A form opened before the partner was archived comes back with its input and
        # the reason (the service checks the lock).
        require(permissions.can_edit_partners(request.user))
    else:
        require(permissions.can_edit_partner(request.user, partner))
    return _partner_form(request, partner, created=False)


def _partner_form(request, partner, *, created):
    if request.method == "POST":
        form = PartnerForm(request.POST, request.FILES, instance=partner)
        contact_formset = ContactFormSet(request.POST, instance=partner, prefix="contacts")
        editable = created or permissions.can_edit_partner(request.user, partner)
        if not editable:
            form.add_error(None, editable.reason)
        elif form.is_valid() and contact_formset.is_valid():
            try:
                partner = services.partner_save(
                    form=form, contact_formset=contact_formset, user=request.user
                )
            except EditConflict as conflict:
                keep_input_after_conflict(form, conflict)
            except EditRefused as refused:
                form.add_error(None, refused.message)
            except (ValidationError, IntegrityError) as error:
                # Someone saved the same name or number after the form was checked: the
                # service's own check (full_clean) says which, next to the field; the
                # unique index, a moment later still, cannot say.
                form.add_error(
                    None,
                    _(
                        "Another partner with this name or organisation number was saved "
                        "at the same moment. Nothing was saved; check the register and "
                        "try again."
                    ),
                )
                if isinstance(error, ValidationError):
                    show_refusal(
                        form,
                        error,
                        fields={
                            "name_key": "name",
                            "organisation_number_key": "organisation_number",
                        },
                    )
            else:
                if created:
                    messages.success(request, _("Partner “%s” registered.") % partner.name)
                else:
                    messages.success(request, _("Changes to “%s” saved.") % partner.name)
                return redirect(partner)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    else:
        form = PartnerForm(instance=partner)
        contact_formset = ContactFormSet(instance=partner, prefix="contacts")
        if not created:
            # Existing contacts are shown; one empty row adds another.
            contact_formset.extra = 1
    return render(
        request,
        "partnerships/partner_form.html",
        {
            "form": form,
            "contact_formset": contact_formset,
            "partner": partner,
            "created": created,
            "review_months": settings.DUE_DILIGENCE_REVIEW_MONTHS,
        },
    )


@require_http_methods(["GET", "POST"])
def partner_archive(request, pk):
    partner = get_object_or_404(Partner, pk=pk)
    require(permissions.can_archive_partner(request.user, partner))
    restoring = partner.is_archived
    if request.method == "POST":
        if restoring:
            services.partner_restore(partner=partner)
            messages.success(request, _("“%s” is restored to the register.") % partner.name)
        else:
            services.partner_archive(partner=partner)
            messages.success(request, _("“%s” is archived.") % partner.name)
        return redirect(partner)
    return render(
        request,
        "partnerships/partner_archive.html",
        {
            "partner": partner,
            "restoring": restoring,
            "running": []
            if restoring
            else agreement_selectors.agreements_left_running_by_archiving(partner),
            "unsubmitted": [] if restoring else agreement_selectors.unsubmitted_agreements(partner),
        },
    )


@rule_required(permissions.can_view_partners)
def partner_routines_document(request, pk):
    """The uploaded routines document, only for people with access to the register."""
    partner = get_object_or_404(Partner, pk=pk)
    if not partner.financial_routines_document:
        raise Http404 from None
    document = partner.financial_routines_document
    return FileResponse(
        document.open("rb"), as_attachment=True, filename=document.name.rsplit("/", 1)[-1]
    )


@require_http_methods(["GET", "POST"])
def assessment_create(request, pk):
    partner = get_object_or_404(Partner, pk=pk)
    require(permissions.can_assess_partner(request.user, partner))
    criteria = list(SelectionCriterion.objects.filter(is_active=True))
    form = SelectionAssessmentForm(request.POST or None, criteria=criteria)
    if request.method == "POST":
        if form.is_valid():
            services.selection_assessment_create(
                partner=partner,
                assessed_by=request.user,
                assessed_on=form.cleaned_data["assessed_on"],
                recommendation=form.cleaned_data["recommendation"],
                summary=form.cleaned_data["summary"],
                scores=form.scores(),
            )
            messages.success(request, _("Selection assessment saved."))
            return redirect(partner)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(request, "partnerships/assessment_form.html", {"form": form, "partner": partner})


@rule_required(permissions.can_view_assessments)
def assessment_detail(request, pk, assessment_pk):
    assessment = get_object_or_404(
        SelectionAssessment.objects.select_related("partner", "assessed_by"),
        pk=assessment_pk,
        partner_id=pk,
    )
    return render(request, "partnerships/assessment_detail.html", {"assessment": assessment})


# Import from a file: upload, preview, confirm ------------------------------------------

# The upload waiting for confirmation: {"token": ..., "file_name": ...}. Only the session
# that uploaded a file can preview or import it.
IMPORT_SESSION_KEY = "partner_import"


@require_http_methods(["GET", "POST"])
def partner_import(request):
    """Upload a file. It is checked as a whole, kept privately, and previewed next."""
    require(permissions.can_import_partners(request.user))
    if request.method == "POST":
        form = PartnerImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            data = uploaded.read()
            try:
                table = importing.read_table(data)
                importing.match_columns(table.header)
            except importing.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                previous = request.session.get(IMPORT_SESSION_KEY)
                if previous:
                    importing.discard_staged(previous["token"])
                token = importing.stage_table(table)
                request.session[IMPORT_SESSION_KEY] = {"token": token, "file_name": uploaded.name}
                return redirect("partnerships:partner_import_preview", token=token)
    else:
        form = PartnerImportUploadForm()
    return render(
        request,
        "partnerships/partner_import.html",
        {
            "form": form,
            "columns": importing.column_guide(),
            "max_rows": importing.limits.MAX_ROWS,
            "max_size": settings.PARTNER_IMPORT_MAX_SIZE,
        },
    )


@require_http_methods(["GET", "POST"])
def partner_import_preview(request, token):
    """What the uploaded file would do, row by row. POST imports the rows to be created,
    checked again first: the register may have changed since the preview was shown."""
    require(permissions.can_import_partners(request.user))
    staged = request.session.get(IMPORT_SESSION_KEY) or {}
    table = importing.staged_table(token) if staged.get("token") == token else None
    if table is None:
        messages.error(request, _("That upload is no longer available. Upload the file again."))
        return redirect("partnerships:partner_import")
    try:
        preview = importing.preview_import(table, user=request.user)
    except importing.ImportFileError as error:  # e.g. a column renamed since the upload
        messages.error(request, str(error))
        return redirect("partnerships:partner_import")
    if request.method == "POST":
        if request.POST.get("fingerprint") != preview.fingerprint:
            messages.warning(
                request,
                _(
                    "The register changed since the preview was shown. Nothing was "
                    "imported: check the rows below again and confirm."
                ),
            )
        elif not preview.new_rows:
            messages.error(request, _("Nothing in this file can be imported."))
        else:
            rows = [(row.partner_form, row.contact_form) for row in preview.new_rows]
            try:
                partners = services.partners_import(
                    rows=rows, user=request.user, source=staged["file_name"]
                )
            except IntegrityError:
                messages.error(
                    request,
                    _(
                        "Nothing was imported: a partner with one of these names or "
                        "organisation numbers was saved at the same moment. Check the rows "
                        "below again and confirm."
                    ),
                )
                preview = importing.preview_import(table, user=request.user)
            else:
                importing.discard_staged(token)
                del request.session[IMPORT_SESSION_KEY]
                messages.success(
                    request,
                    ngettext(
                        "%(count)d partner imported from %(file)s.",
                        "%(count)d partners imported from %(file)s.",
                        len(partners),
                    )
                    % {"count": len(partners), "file": staged["file_name"]},
                )
                return redirect("partnerships:partner_list")
    return render(
        request,
        "partnerships/partner_import_preview.html",
        {"preview": preview, "file_name": staged["file_name"]},
    )


def partner_import_template(request, file_format):
    """An empty import file: the header row and one example row."""
    require(permissions.can_import_partners(request.user))
    if file_format == "csv":
        content, content_type = importing.template_csv(), "text/csv; charset=utf-8"
    elif file_format == "xlsx":
        content = importing.template_xlsx()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="partner-import.{file_format}"'
    return response
