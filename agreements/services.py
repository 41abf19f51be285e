"""Every change to an agreement goes through these functions."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from agreements import approvals, permissions
from agreements.approvals import ApprovalStatement
from agreements.models import (
    Agreement,
    AgreementContributor,
    AgreementEvent,
    Fulfilment,
    Goal,
    Obligation,
    ProgrammePeriod,
    ReferenceCounter,
    Status,
)
from agreements.workflow import TRANSITIONS
from core.dates import add_months, whole_months_between
from core.errors import Refused
from core.history import record_history
from core.permissions import require
from core.versioning import next_version
from evaluations import services as evaluation_services
from governance import services as governance_services


class TransitionRefused(Refused):
    """A workflow action on an agreement is not possible now."""


class TransitionConflict(TransitionRefused):
    """Someone else changed the agreement first (for example two managers approving)."""


def _record_event(*, agreement, actor, from_status, to_status, comment=""):
    AgreementEvent.objects.create(
        agreement=agreement,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )


def record_terms_shaped_by(agreement, user):
    """The user drafted, edited or submitted the terms: they may not approve them."""
    AgreementContributor.objects.update_or_create(
        agreement=agreement, user=user, defaults={"shaped_terms": True}
    )


def _record_approval(agreement, user):
    """Raises TransitionRefused if the database finds the approver shaped the terms."""
    try:
        with transaction.atomic():
            AgreementContributor.objects.update_or_create(
                agreement=agreement, user=user, defaults={"approved": True}
            )
    except IntegrityError:
        raise TransitionRefused(
            _(
                "You edited the terms of this agreement. Another manager must approve it (four-eyes)."
            )
        ) from None


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
    """Save changes to a draft or returned agreement. Approved terms are locked; a
    save over changes made after the form was opened raises EditConflict."""
    agreement = form.instance
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    agreement.status = current.status
    decision = permissions.can_edit_agreement(user, current)
    if not decision:
        raise TransitionRefused(decision.reason)
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
def agreement_transition(
    *,
    agreement: Agreement,
    action: str,
    user,
    comment: str = "",
    terminated_on: datetime.date | None = None,
    termination_cause: str = "",
    cited_incidents=(),
    statement: ApprovalStatement | None = None,
) -> Agreement:
    """Perform one workflow action (see agreements.workflow), or raise saying why not.

    Approving records the manager's answer on the approval page (`statement`: no
    personal or financial interest in the partner, and the serious incidents on the
    partner they acknowledged); terminating may cite the partner's incidents as its
    cause (`cited_incidents`, their ids).

    An agreement above the two-approval threshold (the workflow table's takers_needed)
    stays pending after its first approval, which is recorded; the second approval, by
    another manager, approves it.

    Approving locks the agreement's row first, so approvals are numbered one after the
    other. The status changes with a conditional UPDATE ... WHERE status = <the status
    we checked>, so of two managers approving at once where one approval is needed,
    exactly one succeeds and the other gets TransitionConflict; one event row is
    written per change.
    """
    transition = TRANSITIONS[action]
    if agreement.status not in transition.sources:
        raise TransitionRefused(
            _("This agreement is %(status)s: “%(action)s” is not possible now.")
            % {"status": agreement.get_status_display().lower(), "action": transition.label}
        )
    require(transition.permission(user, agreement))
    now = timezone.now()
    today = timezone.localdate()
    blocked = transition.blocked(agreement, today)
    if blocked:
        raise TransitionRefused(blocked)
    comment = comment.strip()
    if transition.comment_required and not comment:
        raise TransitionRefused(_("Write a comment that says why."))

    changes = {"status": transition.target, "updated_at": now}
    if action == "submit":
        problems = agreement.completeness_problems(today)
        if problems:
            raise TransitionRefused(
                _("The agreement is not complete and cannot be submitted yet."), problems
            )
        changes.update(submitted_by=user, submitted_at=now)
        record_terms_shaped_by(agreement, user)
    elif action == "approve":
        _lock_unchanged(agreement)
        statement = statement or ApprovalStatement()
        _governance(approvals.check_statement, statement=statement)
        incidents = _governance(
            governance_services.check_acknowledged,
            partner=agreement.partner,
            acknowledged_ids=statement.acknowledged_incidents,
        )
        needed = transition.takers_needed(agreement)
        decision = approvals.record_approval(record=agreement, user=user, now=now, needed=needed)
        governance_services.record_acknowledgements(decision=decision, incidents=incidents)
        if decision.approval_number < needed:
            # The first of two approvals: recorded; the agreement waits for the second.
            return agreement
        changes.update(approved_by=user, approved_at=now)
        for approver in approvals.approvers_of_this_version(agreement):
            _record_approval(agreement, approver)
    elif action == "terminate":
        _check_termination(agreement, terminated_on, termination_cause, today)
        _governance(
            governance_services.cite_in_termination,
            agreement=agreement,
            incident_ids=cited_incidents,
            user=user,
        )
        changes.update(
            terminated_by=user,
            terminated_on=terminated_on,
            termination_cause=termination_cause,
            termination_reason=comment,
        )

    claimed = Agreement.objects.filter(pk=agreement.pk, status=agreement.status).update(**changes)
    if claimed != 1:
        current = Agreement.objects.get(pk=agreement.pk)
        raise TransitionConflict(
            _(
                "Someone else changed this agreement a moment ago: it is now %(status)s. Nothing was done."
            )
            % {"status": current.get_status_display().lower()}
        )
    _record_event(
        agreement=agreement,
        actor=user,
        from_status=agreement.status,
        to_status=transition.target,
        comment=comment,
    )
    agreement.refresh_from_db()
    record_history(agreement, user)
    if action == "approve":
        evaluation_services.schedule_evaluation_periods(agreement=agreement)
    elif action == "terminate":
        evaluation_services.cut_evaluation_periods(agreement=agreement)
        _close_open_obligations(agreement, user, now)
    return agreement


@transaction.atomic
def agreement_declare_interest(*, agreement: Agreement, user, interest: str):
    """A manager who would approve declares a personal or financial interest in the
    partner instead: it is recorded, and they may not approve this agreement (another
    manager must). Returns the decision row."""
    if agreement.status != Status.PENDING:
        raise TransitionRefused(
            _(
                "Only an agreement waiting for approval needs your declaration; this one is %(status)s."
            )
            % {"status": agreement.get_status_display().lower()}
        )
    require(permissions.can_approve_agreement(user, agreement))
    _lock_unchanged(agreement)
    return _governance(
        approvals.record_interest,
        record=agreement,
        user=user,
        interest=interest,
        now=timezone.now(),
    )


def _lock_unchanged(agreement):
    """Lock the agreement's row until the transaction ends, so two managers' answers on
    the approval page are taken one after the other; the second finds what the first
    did. TransitionConflict if the status changed since the page was read."""
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if current.status != agreement.status:
        raise TransitionConflict(
            _(
                "Someone else changed this agreement a moment ago: it is now %(status)s. Nothing was done."
            )
            % {"status": current.get_status_display().lower()}
        )


def _governance(rule, **kwargs):
    """A governance rule's refusal, as the workflow's own."""
    try:
        return rule(**kwargs)
    except Refused as refused:
        raise TransitionRefused(refused.message, refused.problems, field=refused.field) from None


def _close_open_obligations(agreement, user, now):
    """Termination ends what was still owed: open obligations become "ended by
    termination" (one history row each, so the change shows who and when)."""
    for obligation in agreement.obligations.filter(fulfilment=Fulfilment.OPEN):
        obligation.fulfilment = Fulfilment.ENDED_BY_TERMINATION
        obligation.fulfilment_recorded_by = user
        obligation.fulfilment_recorded_at = now
        obligation._history_user = user
        obligation.save()


@transaction.atomic
def obligation_record_outcome(*, obligation: Obligation, form, user) -> Obligation:
    """Record that an obligation of an approved agreement was fulfilled or not."""
    agreement = Agreement.objects.select_for_update().get(pk=obligation.agreement_id)
    require(permissions.can_follow_up_obligation(user, agreement))
    obligation = form.save(commit=False)
    if obligation.fulfilment == Fulfilment.OPEN:
        obligation.fulfilled_on = None
    obligation.fulfilment_recorded_by = user
    obligation.fulfilment_recorded_at = timezone.now()
    obligation.full_clean()
    obligation._history_user = user
    obligation.save()
    return obligation


@transaction.atomic
def programme_period_save(*, form, user) -> ProgrammePeriod:
    """Create or change a programme period (ProgrammePeriod.clean refuses overlaps)."""
    require(permissions.can_manage_programme_periods(user))
    period = form.save(commit=False)
    period.full_clean()
    period._history_user = user
    period.save()
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
        raise TransitionRefused(_("Choose the cause of the termination."))
    if terminated_on is None:
        raise TransitionRefused(_("Give the date the termination takes effect."))
    if terminated_on > today:
        raise TransitionRefused(
            _("Termination takes effect immediately: the date cannot be in the future.")
        )
    earliest = min(agreement.start_date, today)
    if terminated_on < earliest:
        raise TransitionRefused(_("The termination date cannot be before the agreement started."))


@transaction.atomic
def agreement_renew(*, agreement: Agreement, user) -> Agreement:
    """Start a new draft that follows the agreement. The old one is not touched.

    The new period starts the day after the old end date and proposes the same length;
    the draft goes through approval like any other agreement.
    """
    require(permissions.can_renew_agreement(user, agreement))
    follower = agreement.followed_by.exclude(status=Status.TERMINATED).first()
    if follower:
        raise TransitionRefused(
            _("%(reference)s already follows this agreement.") % {"reference": follower.reference}
        )
    start = agreement.end_date + datetime.timedelta(days=1)
    renewal = Agreement(
        partner=agreement.partner,
        title=agreement.title,
        agreement_type=agreement.agreement_type,
        description=agreement.description,
        responsible=agreement.responsible,
        start_date=start,
        end_date=_same_length_end(agreement.start_date, agreement.end_date, start),
        economic_amount=agreement.economic_amount,
        currency=agreement.currency,
        payment_terms=agreement.payment_terms,
        marketing_contributions=agreement.marketing_contributions,
        conduct=agreement.conduct,
        exchange=agreement.exchange,
        termination_terms=agreement.termination_terms,
        programme_period=ProgrammePeriod.covering(start),
        follows=agreement,
        created_by=user,
        status=Status.DRAFT,
        reference=ReferenceCounter.next_reference(timezone.localdate().year),
    )
    renewal.full_clean()
    renewal.save()
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
            for goal in agreement.goals.all()
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
            for obligation in agreement.obligations.all()
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
