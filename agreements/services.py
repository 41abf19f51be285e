"""Every change to an agreement goes through these functions."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from agreements import amendments, permissions
from agreements.errors import TransitionConflict, TransitionRefused
from agreements.models import (
    Agreement,
    AgreementEvent,
    Amendment,
    Fulfilment,
    Goal,
    Obligation,
    ProgrammePeriod,
    ReferenceCounter,
    Status,
    latest_end_date,
)
from agreements.workflow import AMENDMENT, TRANSITIONS
from core.dates import add_months, whole_months_between
from core.history import record_history
from core.permissions import require
from core.versioning import EditRefused, next_version
from evaluations import services as evaluation_services
from webhooks.events import EventType, emit


def _record_event(*, agreement, actor, from_status, to_status, comment="", amendment=None):
    AgreementEvent.objects.create(
        agreement=agreement,
        amendment=amendment,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )


def record_terms_shaped_by(record, user):
    """The user drafted, edited or submitted the terms of the record (an agreement or an
    amendment): they may not approve them."""
    record.contributors.update_or_create(user=user, defaults={"shaped_terms": True})


def _record_approval(record, user):
    """Raises TransitionRefused if the database finds the approver shaped the terms."""
    try:
        with transaction.atomic():
            record.contributors.update_or_create(user=user, defaults={"approved": True})
    except IntegrityError:
        message = (
            _("You edited this amendment. Another manager must approve it (four-eyes).")
            if record.workflow_kind == AMENDMENT
            else _(
                "You edited the terms of this agreement. Another manager must approve it (four-eyes)."
            )
        )
        raise TransitionRefused(message) from None


@transaction.atomic
def agreement_create(*, form, goal_formset, obligation_formset, user) -> Agreement:
    """Create a draft with its goals and obligations and give it the next reference."""
    require(permissions.can_create_agreement(user))
    agreement = form.save(commit=False)
    agreement.created_by = user
    agreement.status = Status.DRAFT
    agreement.reference = ReferenceCounter.next_reference(timezone.localdate().year)
    agreement.full_clean()
    agreement.save()
    form.save_m2m()
    _save_children(agreement, goal_formset, obligation_formset)
    record_terms_shaped_by(agreement, user)
    _record_event(agreement=agreement, actor=user, from_status="", to_status=Status.DRAFT)
    return agreement


@transaction.atomic
def agreement_update(*, form, goal_formset, obligation_formset, user) -> Agreement:
    """Save changes to a draft or returned agreement. Approved terms are locked
    (EditRefused, if that happened after the form was opened); a save over changes made
    after the form was opened raises EditConflict."""
    agreement = form.instance
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    agreement.status = current.status
    require(permissions.can_edit_agreements(user))
    decision = permissions.can_edit_agreement(user, current)
    if not decision:
        raise EditRefused(decision.reason)
    version = next_version(Agreement, agreement.pk, form.cleaned_data.get("edit_version"))
    agreement = form.save(commit=False)
    agreement.version = version
    agreement.full_clean()
    # Only the fields of the form: never overwrite the status a manager just set.
    agreement.save(update_fields=[*form.Meta.fields, "version", "updated_at"])
    _save_children(agreement, goal_formset, obligation_formset)
    record_terms_shaped_by(agreement, user)
    return agreement


def _save_children(agreement, goal_formset, obligation_formset):
    for formset in (goal_formset, obligation_formset):
        formset.instance = agreement
        for child in formset.save(commit=False):
            child.agreement = agreement
            child.full_clean()
            child.save()
        for removed in formset.deleted_objects:
            removed.delete()


@transaction.atomic
def workflow_transition(
    *,
    record,
    action: str,
    user,
    comment: str = "",
    terminated_on: datetime.date | None = None,
    termination_cause: str = "",
):
    """Perform one workflow action (see agreements.workflow) on an agreement or an
    amendment, or raise saying why not.

    The status changes with a conditional UPDATE ... WHERE status = <the status we
    checked>, so of two managers approving at once exactly one succeeds and the other
    gets TransitionConflict; one event row is written per change. The approver is
    recorded as a contributor, which the database refuses for anyone who drafted,
    edited or submitted the record (four-eyes).
    """
    transition = TRANSITIONS.get(action)
    is_amendment = record.workflow_kind == AMENDMENT
    if transition is None or not transition.applies_to(record):
        raise TransitionRefused(_("This step does not exist here."))
    if record.status not in transition.sources:
        message = (
            _("This amendment is %(status)s: “%(action)s” is not possible now.")
            if is_amendment
            else _("This agreement is %(status)s: “%(action)s” is not possible now.")
        )
        raise TransitionRefused(
            message % {"status": record.get_status_display().lower(), "action": transition.label}
        )
    require(transition.permission(user, record))
    now = timezone.now()
    today = timezone.localdate()
    blocked = transition.blocked(record, today)
    if blocked:
        raise TransitionRefused(blocked)
    comment = comment.strip()
    if transition.comment_required and not comment:
        raise TransitionRefused(_("Write a comment that says why."), field="comment")

    changes = {"status": transition.target, "updated_at": now}
    if is_amendment:
        amendments.check_step(record, action, today=today)
    elif action == "submit":
        problems = record.completeness_problems(today)
        if problems:
            raise TransitionRefused(
                _("The agreement is not complete and cannot be submitted yet."), problems
            )
    elif action == "approve":
        problems = record.period_problems()
        if problems:
            raise TransitionRefused(
                _("The agreement cannot be approved as it is. Return it to the author."), problems
            )
    elif action == "terminate":
        _check_termination(record, terminated_on, termination_cause, today)
        changes.update(
            terminated_by=user,
            terminated_on=terminated_on,
            termination_cause=termination_cause,
            termination_reason=comment,
        )
    if action == "submit":
        changes.update(submitted_by=user, submitted_at=now)
    elif action == "approve":
        changes.update(approved_by=user, approved_at=now)

    model = type(record)
    claimed = model.objects.filter(pk=record.pk, status=record.status).update(**changes)
    if claimed != 1:
        current = model.objects.get(pk=record.pk)
        message = (
            _(
                "Someone else changed this amendment a moment ago: it is now %(status)s. Nothing was done."
            )
            if is_amendment
            else _(
                "Someone else changed this agreement a moment ago: it is now %(status)s. Nothing was done."
            )
        )
        raise TransitionConflict(message % {"status": current.get_status_display().lower()})
    if action == "submit":
        record_terms_shaped_by(record, user)
    elif action == "approve":
        _record_approval(record, user)
    agreement = record.agreement if is_amendment else record
    _record_event(
        agreement=agreement,
        amendment=record if is_amendment else None,
        actor=user,
        from_status=record.status,
        to_status=transition.target,
        comment=comment,
    )
    record.refresh_from_db()
    record_history(record, user)
    if is_amendment:
        if action == "approve":
            amendments.put_in_force(amendment=record, user=user)
            emit(EventType.AGREEMENT_AMENDED, record.agreement)
    elif action == "approve":
        amendments.first_terms_version(agreement=record)
        evaluation_services.schedule_evaluation_periods(agreement=record)
        emit(EventType.AGREEMENT_APPROVED, record)
    elif action == "terminate":
        evaluation_services.cut_evaluation_periods(agreement=record)
        _close_open_obligations(record, user, now)
        _withdraw_open_amendment(record, user)
        emit(EventType.AGREEMENT_TERMINATED, record)
    return record


def agreement_transition(*, agreement: Agreement, action: str, user, **details) -> Agreement:
    """workflow_transition() for an agreement (the name the views and the admin know)."""
    return workflow_transition(record=agreement, action=action, user=user, **details)


def amendment_transition(*, amendment: Amendment, action: str, user, comment: str = ""):
    """workflow_transition() for an amendment."""
    return workflow_transition(record=amendment, action=action, user=user, comment=comment)


def _withdraw_open_amendment(agreement, user):
    """A terminated agreement is not amended further: its open amendment is withdrawn."""
    for amendment in agreement.amendments.open():
        workflow_transition(
            record=amendment,
            action="withdraw",
            user=user,
            comment=_("Withdrawn: %(reference)s was terminated.")
            % {"reference": agreement.reference},
        )


def _close_open_obligations(agreement, user, now):
    """Termination ends what was still owed: open obligations of the latest terms become
    "ended by termination" (one history row each, so the change shows who and when)."""
    for obligation in agreement.obligations.current().filter(fulfilment=Fulfilment.OPEN):
        obligation.fulfilment = Fulfilment.ENDED_BY_TERMINATION
        obligation.fulfilment_recorded_by = user
        obligation.fulfilment_recorded_at = now
        obligation.version += 1
        obligation._history_user = user
        obligation.save()


@transaction.atomic
def obligation_record_outcome(*, obligation: Obligation, form, user) -> Obligation:
    """Record that an obligation of an approved agreement was fulfilled or not.

    Raises EditConflict if someone recorded an outcome after the form was opened, and
    EditRefused if the agreement was terminated since."""
    agreement = Agreement.objects.select_for_update().get(pk=obligation.agreement_id)
    require(permissions.can_follow_up_obligations(user))
    decision = permissions.can_follow_up_obligation(user, agreement)
    if not decision:
        raise EditRefused(decision.reason)
    version = next_version(Obligation, obligation.pk, form.cleaned_data.get("edit_version"))
    obligation = form.save(commit=False)
    obligation.version = version
    if obligation.fulfilment == Fulfilment.OPEN:
        obligation.fulfilled_on = None
    if obligation.fulfilment != Fulfilment.FULFILLED:
        # What the partner proposed no longer describes the outcome.
        obligation.fulfilment_proposed_by = None
        obligation.fulfilment_proposed_at = None
    obligation.fulfilment_recorded_by = user
    obligation.fulfilment_recorded_at = timezone.now()
    obligation.full_clean()
    obligation._history_user = user
    obligation.save()
    return obligation


@transaction.atomic
def obligation_confirm_partner_proposal(
    *,
    obligation: Obligation,
    fulfilled_on: datetime.date,
    note: str,
    evidence,
    proposed_by,
    proposed_at,
    user,
) -> Obligation:
    """Staff confirm what the partner reported in the partner portal: the obligation is
    fulfilled on the partner's date, with its note and evidence, recorded by `user` and
    marked as proposed by the partner (`proposed_by`, a partner user, at `proposed_at`)."""
    agreement = Agreement.objects.select_for_update().get(pk=obligation.agreement_id)
    require(permissions.can_follow_up_obligation(user, agreement))
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if obligation.fulfilment != Fulfilment.OPEN:
        raise TransitionRefused(
            _("This obligation is already followed up: %(outcome)s.")
            % {"outcome": obligation.get_fulfilment_display().lower()}
        )
    obligation.fulfilment = Fulfilment.FULFILLED
    obligation.fulfilled_on = fulfilled_on
    obligation.fulfilment_note = note
    if evidence:
        evidence.open("rb")
        try:
            obligation.fulfilment_evidence.save(
                evidence.name.rsplit("/", 1)[-1], ContentFile(evidence.read()), save=False
            )
        finally:
            evidence.close()
    obligation.fulfilment_proposed_by = proposed_by
    obligation.fulfilment_proposed_at = proposed_at
    obligation.fulfilment_recorded_by = user
    obligation.fulfilment_recorded_at = timezone.now()
    obligation.full_clean()
    obligation._history_user = user
    obligation.save()
    return obligation


SIGNED_COPY_FIELDS = [
    "signed_document",
    "signed_on",
    "signed_document_added_by",
    "signed_document_added_at",
]


@transaction.atomic
def agreement_attach_signed_document(
    *,
    agreement: Agreement,
    user,
    signed_on: datetime.date,
    document=None,
    opened_version: int | None = None,
) -> Agreement:
    """File the signed copy of an approved agreement and the day it was signed, or
    replace them. Only these fields are written: the approved terms stay as they are.
    A replaced copy stays in storage and in the change history; a save over someone
    else's newer filing raises EditConflict."""
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    require(permissions.can_attach_signed_agreement(user, current))
    current.version = next_version(Agreement, current.pk, opened_version)
    if document is not None:
        current.signed_document = document
    current.signed_on = signed_on
    current.signed_document_added_by = user
    current.signed_document_added_at = timezone.now()
    # An unchanged copy was checked when it was filed (and may be in a backup's storage).
    current.full_clean(exclude=None if document is not None else ["signed_document"])
    current._history_user = user
    current.save(update_fields=[*SIGNED_COPY_FIELDS, "version", "updated_at"])
    return current


@transaction.atomic
def programme_period_save(*, form, user) -> ProgrammePeriod:
    """Create or change a programme period (ProgrammePeriod.clean refuses overlaps).
    Raises EditConflict if someone saved the period after the form was opened."""
    require(permissions.can_manage_programme_periods(user))
    period = form.save(commit=False)
    if period.pk is not None:
        period.version = next_version(
            ProgrammePeriod, period.pk, form.cleaned_data.get("edit_version")
        )
    period.full_clean()
    period._history_user = user
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:
        # Another manager saved an overlapping period, or one of the same name, at the
        # same moment: PostgreSQL's exclusion constraint (programme_periods_do_not_overlap)
        # or the unique name waited for theirs. Checking again now sees it and gives the
        # usual message. (SQLite lets one writer in at a time, so full_clean saw it.)
        period.full_clean()
        raise
    return period


def _same_length_end(old_start, old_end, new_start):
    """An end date that gives the new period the old one's length: in whole months when
    the old period was whole months (two years stay two years across a leap day)."""
    months = whole_months_between(old_start, old_end)
    if months:
        return add_months(new_start, months) - datetime.timedelta(days=1)
    return new_start + (old_end - old_start)


def _check_termination(agreement, terminated_on, cause, today):
    if not cause:
        raise TransitionRefused(
            _("Choose the cause of the termination."), field="termination_cause"
        )
    if terminated_on is None:
        raise TransitionRefused(
            _("Give the date the termination takes effect."), field="terminated_on"
        )
    if terminated_on > today:
        raise TransitionRefused(
            _("Termination takes effect immediately: the date cannot be in the future."),
            field="terminated_on",
        )
    earliest = min(agreement.start_date, today)
    if terminated_on < earliest:
        raise TransitionRefused(
            _("The termination date cannot be before the agreement started."),
            field="terminated_on",
        )


class AlreadyRenewed(TransitionRefused):
    """Another agreement follows this one already (a second click on "Renew")."""

    def __init__(self, follower: Agreement):
        self.follower = follower
        super().__init__(
            _("%(reference)s already follows this agreement.") % {"reference": follower.reference}
        )


@transaction.atomic
def agreement_renew(*, agreement: Agreement, user) -> Agreement:
    """Start a new draft that follows the agreement, with its latest terms. The old one
    is not touched.

    The new period starts the day after the old end date and proposes the same length;
    the draft goes through approval like any other agreement. Only one agreement may
    follow another: raises AlreadyRenewed, with the follower, if one does.
    """
    require(permissions.can_renew_agreement(user, agreement))
    # Two clicks at once queue here, so the second sees the first one's draft
    # (SQLite lets one writer in at a time anyway).
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    follower = agreement.follower()
    if follower:
        raise AlreadyRenewed(follower)
    start = agreement.end_date + datetime.timedelta(days=1)
    end = min(
        _same_length_end(agreement.start_date, agreement.end_date, start), latest_end_date(start)
    )
    terms = agreement.current_terms
    renewal = Agreement(
        partner=agreement.partner,
        title=agreement.title,
        agreement_type=agreement.agreement_type,
        description=agreement.description,
        responsible=agreement.responsible,
        start_date=start,
        end_date=end,
        economic_amount=terms.economic_amount,
        currency=agreement.currency,
        payment_terms=terms.payment_terms,
        marketing_contributions=terms.marketing_contributions,
        conduct=terms.conduct,
        exchange=terms.exchange,
        termination_terms=terms.termination_terms,
        programme_period=ProgrammePeriod.covering(start),
        follows=agreement,
        created_by=user,
        status=Status.DRAFT,
        reference=ReferenceCounter.next_reference(timezone.localdate().year),
    )
    try:
        renewal.full_clean()
    except ValidationError as error:  # e.g. it would start after the last date we accept
        raise TransitionRefused(" ".join(error.messages)) from None
    try:
        with transaction.atomic():
            renewal.save()
    except IntegrityError:
        # The constraint caught what the lock above did not (a follower written
        # without this service): the same answer.
        follower = agreement.follower()
        if follower is None:
            raise
        raise AlreadyRenewed(follower) from None
    record_terms_shaped_by(renewal, user)
    bulk_create_with_history(
        [
            Goal(
                agreement=renewal,
                description=goal.description,
                kind=goal.kind,
                indicator=goal.indicator,
                baseline=goal.baseline,
                target_value=goal.target_value,
                unit=goal.unit,
                expected_outcome=goal.expected_outcome,
                assessment_method=goal.assessment_method,
            )
            for goal in agreement.goals.current()
        ],
        Goal,
        default_user=user,
    )
    # Due dates belong to the old period; the author sets new ones.
    bulk_create_with_history(
        [
            Obligation(
                agreement=renewal,
                side=obligation.side,
                category=obligation.category,
                description=obligation.description,
            )
            for obligation in agreement.obligations.current()
        ],
        Obligation,
        default_user=user,
    )
    _record_event(
        agreement=renewal,
        actor=user,
        from_status="",
        to_status=Status.DRAFT,
        comment=_("Renewal of %(reference)s.") % {"reference": agreement.reference},
    )
    return renewal
