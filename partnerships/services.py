"""Every change to partners goes through these functions."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.permissions import require
from core.versioning import EditRefused, next_version
from partnerships import permissions
from partnerships.models import (
    CriterionScore,
    DialogueEntry,
    DialogueFollowUp,
    DialoguePartnerParticipant,
    Partner,
    PartnerContact,
    SelectionAssessment,
    SelectionCriterion,
)

# Rows per INSERT when importing; within SQLite's and PostgreSQL's parameter limits.
IMPORT_BATCH_SIZE = 500


@transaction.atomic
def partner_save(*, form, contact_formset, user) -> Partner:
    """Save a partner with its contacts, all or nothing.

    Records who confirmed the shared values when the confirmation is new or re-dated.
    Raises core.versioning.EditConflict if someone saved the partner after the form
    was opened, and EditRefused if it was archived since.
    """
    partner = form.save(commit=False)
    if partner.pk is not None:
        current = Partner.objects.select_for_update().get(pk=partner.pk)
        decision = permissions.can_edit_partner(user, current)
        if not decision:
            raise EditRefused(decision.reason)  # archived since the form was opened
        partner.version = next_version(Partner, partner.pk, form.cleaned_data.get("edit_version"))
    if not partner.shares_values:
        partner.values_confirmed_on = None
        partner.values_confirmed_by = None
    elif {"shares_values", "values_confirmed_on"} & set(form.changed_data):
        partner.values_confirmed_by = user
    if partner.pk is None:
        partner.created_by = user
    partner.full_clean()
    partner.save()
    form.save_m2m()
    contact_formset.instance = partner
    contact_formset.save()
    return partner


@transaction.atomic
def partners_import(*, rows, user, source: str) -> list[Partner]:
    """Register the partners of an import file, with their contacts: all or nothing.

    `rows` are (PartnerImportForm, ContactForm or None) pairs that passed validation, so
    each partner met the partner form's rules. Inserts go in batches, with a "created"
    history record for every partner and contact by `user`. The database's unique
    constraints still guard names and numbers: a partner registered by someone else
    since the check raises IntegrityError and nothing of the file is written.
    """
    reason = f"Import: {source}"[:100]
    partners = []
    for form, _contact_form in rows:
        partner = form.save(commit=False)
        partner.derive_keys()  # save() is not called
        partner.created_by = user
        partners.append(partner)
    bulk_create_with_history(
        partners,
        Partner,
        batch_size=IMPORT_BATCH_SIZE,
        default_user=user,
        default_change_reason=reason,
    )
    contacts = []
    for partner, (_form, contact_form) in zip(partners, rows, strict=True):
        if contact_form is not None:
            contact = contact_form.save(commit=False)
            contact.partner = partner
            contacts.append(contact)
    if contacts:
        bulk_create_with_history(
            contacts,
            PartnerContact,
            batch_size=IMPORT_BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
        )
    through = Partner.focus_areas.through
    through.objects.bulk_create(
        [
            through(partner_id=partner.pk, focusarea_id=area.pk)
            for partner, (form, _contact_form) in zip(partners, rows, strict=True)
            for area in form.cleaned_data["focus_areas"]
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )
    return partners


@transaction.atomic
def partner_record_declaration(
    *, partner: Partner, confirmed_by, confirmed_on: datetime.date, routines_document
) -> Partner:
    """The partner itself confirmed its shared values, our code of conduct and that its
    financial and administrative routines are documented (the partner portal's
    declaration): the due-diligence fields say so, with the person and the day, and the
    routines document becomes the partner's. Risk and the review date stay staff's.

    The record's version goes up, so a staff form opened before is told of the change
    instead of overwriting it (core.versioning)."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    partner.shares_values = True
    partner.values_confirmed_on = confirmed_on
    partner.values_confirmed_by = confirmed_by
    partner.code_of_conduct_accepted_on = confirmed_on
    partner.financial_routines_documented = True
    routines_document.open("rb")
    try:
        partner.financial_routines_document.save(
            routines_document.name.rsplit("/", 1)[-1],
            ContentFile(routines_document.read()),
            save=False,
        )
    finally:
        routines_document.close()
    partner.version += 1
    partner.full_clean()
    partner._history_user = confirmed_by
    partner.save()
    return partner


def partner_archive(*, partner: Partner) -> None:
    """Archive rather than delete: the partner leaves the lists, its history stays."""
    if partner.archived_at is None:
        partner.archived_at = timezone.now()
        partner.save(update_fields=["archived_at", "updated_at"])


def partner_restore(*, partner: Partner) -> None:
    if partner.archived_at is not None:
        partner.archived_at = None
        partner.save(update_fields=["archived_at", "updated_at"])


@transaction.atomic
def selection_assessment_create(
    *,
    partner: Partner,
    assessed_by,
    assessed_on: datetime.date,
    recommendation: str,
    summary: str,
    scores: list[tuple[SelectionCriterion, int, str]],
) -> SelectionAssessment:
    """Record an assessment of the partner against the selection criteria."""
    assessment = SelectionAssessment(
        partner=partner,
        assessed_by=assessed_by,
        assessed_on=assessed_on,
        recommendation=recommendation,
        summary=summary,
    )
    assessment.full_clean()
    assessment.save()
    for criterion, score, justification in scores:
        row = CriterionScore(
            assessment=assessment, criterion=criterion, score=score, justification=justification
        )
        row.full_clean()
        row.save()
    # The assessment is news on the partner: it moves up in "recently changed".
    partner.save(update_fields=["updated_at"])
    return assessment


@transaction.atomic
def dialogue_entry_save(*, form, follow_up_formset, user) -> DialogueEntry:
    """Save a dialogue entry with its participants and follow-ups, all or nothing.

    Raises core.versioning.EditConflict if someone saved the entry after the form was
    opened, and EditRefused if the partner was archived since.
    """
    entry = form.save(commit=False)
    # The partner's row is locked, so an archiving in the meantime is seen.
    entry.partner = Partner.objects.select_for_update().get(pk=entry.partner_id)
    if entry.pk is None:
        decision = permissions.can_log_dialogue(user, entry.partner)
        entry.created_by = user
    else:
        decision = permissions.can_edit_dialogue_entry(user, entry)
    if not decision:
        raise EditRefused(decision.reason)
    if entry.pk is not None:
        entry.version = next_version(DialogueEntry, entry.pk, form.cleaned_data.get("edit_version"))
    entry.full_clean()
    entry.save()
    form.save_m2m()
    _set_partner_participants(entry, form.cleaned_data["partner_contacts"])
    follow_up_formset.instance = entry
    for follow_up in follow_up_formset.save(commit=False):
        follow_up.entry = entry
        follow_up.full_clean()
        follow_up.save()
    return entry


def _set_partner_participants(entry: DialogueEntry, contacts) -> None:
    """Rows for the ticked contact people; rows whose contact was removed from the
    partner since are kept, with the name they had."""
    rows = {row.contact_id: row for row in entry.partner_participant_rows.exclude(contact=None)}
    chosen = {contact.pk: contact for contact in contacts}
    for contact_id, row in rows.items():
        if contact_id not in chosen:
            row.delete()
    for contact_id, contact in chosen.items():
        if contact_id not in rows:
            row = DialoguePartnerParticipant(entry=entry, contact=contact, name=contact.name)
            row.full_clean()
            row.save()


class FollowUpAlreadyDone(Exception):
    """Someone marked the follow-up done a moment before."""


@transaction.atomic
def follow_up_complete(*, follow_up: DialogueFollowUp, user, note: str = "") -> None:
    """Mark a follow-up done, by its owner or a manager, once.

    The conditional update lets exactly one of two simultaneous requests through.
    """
    require(permissions.can_complete_follow_up(user, follow_up))
    claimed = DialogueFollowUp.objects.filter(pk=follow_up.pk, done_at=None).update(
        done_at=timezone.now(), done_by=user, done_note=note
    )
    if claimed != 1:
        raise FollowUpAlreadyDone
    # The update bypassed save(); save once more so the history keeps who and when.
    follow_up.refresh_from_db()
    follow_up._history_user = user
    follow_up.save()
