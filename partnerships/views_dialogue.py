"""The dialogue log: conversations with a partner and the follow-ups agreed in them."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.history import change_log
from core.pagination import paginate
from core.permissions import require, rule_required
from core.versioning import EditConflict, EditRefused, keep_input_after_conflict
from partnerships import permissions, selectors, services
from partnerships.forms import DialogueEntryForm, DialogueFollowUpFormSet, FollowUpDoneForm
from partnerships.models import (
    DialogueEntry,
    DialogueFollowUp,
    DialoguePartnerParticipant,
    Partner,
)

# New follow-up rows on the form: two for a new entry, one more when editing.
NEW_FOLLOW_UP_ROWS = 2


def with_follow_up_actions(entries, user):
    """Tell each shown follow-up whether this user may mark it done (no queries: the
    permission and group checks are cached on the user)."""
    for entry in entries:
        for follow_up in entry.shown_follow_ups:
            follow_up.can_complete = bool(permissions.can_complete_follow_up(user, follow_up))
    return entries


@rule_required(permissions.can_view_dialogue)
def dialogue_list(request, pk):
    partner = get_object_or_404(Partner, pk=pk)
    page = paginate(request, selectors.partner_dialogue(partner))
    with_follow_up_actions(page.object_list, request.user)
    return render(
        request,
        "partnerships/dialogue_list.html",
        {
            "partner": partner,
            "page": page,
            "can_log_dialogue": permissions.can_log_dialogue(request.user, partner),
        },
    )


@rule_required(permissions.can_view_dialogue)
def dialogue_detail(request, pk, entry_pk):
    entry = get_object_or_404(
        selectors.dialogue_entries().select_related("partner"), pk=entry_pk, partner_id=pk
    )
    with_follow_up_actions([entry], request.user)
    return render(
        request,
        "partnerships/dialogue_detail.html",
        {
            "entry": entry,
            "partner": entry.partner,
            "can_edit": permissions.can_edit_dialogue_entry(request.user, entry),
            "history_entries": change_log(
                (_("Dialogue entry"), DialogueEntry.history.filter(id=entry.pk)),
                (_("Follow-up"), DialogueFollowUp.history.filter(entry_id=entry.pk)),
                (
                    _("Partner participant"),
                    DialoguePartnerParticipant.history.filter(entry_id=entry.pk),
                ),
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def dialogue_create(request, pk):
    partner = get_object_or_404(Partner, pk=pk)
    if request.method == "POST":
        # A form opened before the partner was archived comes back with its input and
        # the reason (the service checks the lock).
        require(permissions.can_log_dialogues(request.user))
    else:
        require(permissions.can_log_dialogue(request.user, partner))
    return _dialogue_form(request, DialogueEntry(partner=partner), created=True)


@require_http_methods(["GET", "POST"])
def dialogue_edit(request, pk, entry_pk):
    entry = get_object_or_404(
        DialogueEntry.objects.select_related("partner"), pk=entry_pk, partner_id=pk
    )
    if request.method == "POST":
        require(permissions.can_edit_dialogue(request.user))
    else:
        require(permissions.can_edit_dialogue_entry(request.user, entry))
    return _dialogue_form(request, entry, created=False)


def _dialogue_open(user, entry, *, created):
    if created:
        return permissions.can_log_dialogue(user, entry.partner)
    return permissions.can_edit_dialogue_entry(user, entry)


def _dialogue_form(request, entry, *, created):
    data = request.POST if request.method == "POST" else None
    # Whoever logs a new conversation most likely took part in it.
    initial = {"our_participants": [request.user.pk]} if created else None
    form = DialogueEntryForm(data, instance=entry, initial=initial)
    follow_ups = DialogueFollowUpFormSet(data, instance=entry, prefix="follow_ups", entry_form=form)
    follow_ups.extra = NEW_FOLLOW_UP_ROWS if created else 1
    if request.method == "POST":
        # Both are validated, so every error shows at once.
        form_valid = form.is_valid()
        open_to_edit = _dialogue_open(request.user, entry, created=created)
        if not open_to_edit:
            form.add_error(None, open_to_edit.reason)
        elif form_valid and follow_ups.is_valid():
            try:
                entry = services.dialogue_entry_save(
                    form=form, follow_up_formset=follow_ups, user=request.user
                )
            except EditConflict as conflict:
                keep_input_after_conflict(form, conflict)
            except EditRefused as refused:
                form.add_error(None, refused.message)
            else:
                if created:
                    messages.success(request, _("The conversation is logged."))
                else:
                    messages.success(request, _("Changes to the dialogue entry saved."))
                return redirect(entry)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    done_follow_ups = list(entry.follow_ups.exclude(done_at=None)) if entry.pk else []
    return render(
        request,
        "partnerships/dialogue_form.html",
        {
            "form": form,
            "follow_up_formset": follow_ups,
            "done_follow_ups": done_follow_ups,
            "entry": entry,
            "partner": entry.partner,
            "created": created,
        },
    )


@rule_required(permissions.can_view_dialogue)
def follow_up_list(request):
    """The logged-in person's open follow-ups, the earliest due first; `?due=overdue`
    keeps only those past their due date (the dashboard links here with it)."""
    overdue_only = request.GET.get("due") == "overdue"
    if overdue_only:
        rows = selectors.overdue_follow_ups(owner=request.user, today=timezone.localdate())
    else:
        rows = selectors.open_follow_ups(owner=request.user)
    page = paginate(request, rows)
    return render(
        request,
        "partnerships/follow_up_list.html",
        {"page": page, "overdue_only": overdue_only},
    )


@require_http_methods(["GET", "POST"])
def follow_up_done(request, pk):
    """Confirmation with an optional note (GET), and marking the follow-up done (POST)."""
    follow_up = get_object_or_404(
        DialogueFollowUp.objects.select_related("entry__partner", "owner"), pk=pk
    )
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if follow_up.is_done:
        # Marked done in another tab, or by someone else, since this page was opened.
        require(permissions.can_view_follow_ups(request.user))
        messages.info(
            request,
            _("%(name)s already marked this follow-up done on %(date)s.")
            % {
                "name": follow_up.done_by,
                "date": date_format(timezone.localtime(follow_up.done_at), "SHORT_DATE_FORMAT"),
            },
        )
        return redirect(next_url or follow_up.entry.get_absolute_url())
    require(permissions.can_complete_follow_up(request.user, follow_up))
    form = FollowUpDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_complete(
                follow_up=follow_up, user=request.user, note=form.cleaned_data["note"]
            )
        except services.FollowUpAlreadyDone:
            messages.info(request, _("Someone marked this follow-up done a moment ago."))
        else:
            messages.success(request, _("Follow-up marked done."))
        return redirect(next_url or follow_up.entry.get_absolute_url())
    return render(
        request,
        "partnerships/follow_up_done.html",
        {"follow_up": follow_up, "form": form, "next": next_url},
    )
