"""The rules of approving a workflow record: what the approving manager states on the
approval page (no personal or financial interest in the partner, and each serious
incident acknowledged) and the record of each answer (ApprovalDecision) for the version
submitted. The workflow service (agreements.services.agreement_transition) and the
permission rule (agreements.permissions.can_approve_agreement) call these; they take
the record and the user, so any record that goes through the workflow table can use
them.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from agreements.models import ApprovalDecision, ApprovalOutcome
from core.errors import Refused


@dataclass(frozen=True)
class ApprovalStatement:
    """What the approving manager states on the approval page."""

    # "I have no personal or financial interest in this partner."
    no_conflict_of_interest: bool = False
    # The serious unresolved incidents on the partner the manager read and acknowledged.
    acknowledged_incidents: tuple[int, ...] = ()


def two_approvals_threshold(currency: str) -> Decimal | None:
    """The amount above which a contribution in `currency` needs two approvals; None
    when no threshold is set for the currency (it cannot be compared: two approvals)."""
    if currency == settings.ORGANISATION_CURRENCY:
        return Decimal(settings.TWO_APPROVALS_ABOVE)
    amount = settings.TWO_APPROVALS_ABOVE_OTHER_CURRENCIES.get(currency)
    return None if amount is None else Decimal(amount)


def approvals_needed(record) -> int:
    """How many managers must approve the record: two, neither of whom drafted, edited
    or submitted it, when its economic contribution (an amendment's: the contribution it
    proposes) is above the threshold of the agreement's currency
    (settings.TWO_APPROVALS_ABOVE); otherwise one. The workflow table's
    "approve" step consults this (agreements.workflow)."""
    threshold = two_approvals_threshold(workflow_agreement(record).currency)
    if threshold is None:
        return 2 if record.economic_amount > 0 else 1
    return 2 if record.economic_amount > threshold else 1


def _is_amendment(record) -> bool:
    return record.workflow_kind == "amendment"


def workflow_agreement(record):
    """The agreement a workflow record belongs to: an amendment's, or an agreement's own."""
    return record.agreement if _is_amendment(record) else record


def decisions_for(record):
    """Every answer given on the record's approval page, over all its submissions."""
    if _is_amendment(record):
        return ApprovalDecision.objects.filter(amendment=record)
    return ApprovalDecision.objects.filter(agreement=record, amendment=None)


def _decision(record, **fields) -> ApprovalDecision:
    return ApprovalDecision(
        agreement=workflow_agreement(record),
        amendment=record if _is_amendment(record) else None,
        submitted_at=record.submitted_at,
        **fields,
    )


def current_decisions(record):
    """The answers given for the version now submitted."""
    return decisions_for(record).filter(submitted_at=record.submitted_at)


def declared_interest(record, user) -> bool:
    """Did this manager declare an interest in the record's partner here? It stands for
    every later submission: the interest is in the partner, not in a version."""
    return decisions_for(record).filter(manager=user, outcome=ApprovalOutcome.STOOD_ASIDE).exists()


def decided_on_this_version(record, user) -> bool:
    return current_decisions(record).filter(manager=user).exists()


def check_statement(statement: ApprovalStatement) -> None:
    if not statement.no_conflict_of_interest:
        raise Refused(
            _(
                "Declare that you have no personal or financial interest in this partner, "
                "or declare the interest and stand aside."
            ),
            field="conflict",
        )


def approvals_so_far(record) -> int:
    """Approvals given for the version now submitted."""
    return current_decisions(record).filter(outcome=ApprovalOutcome.APPROVED).count()


def record_approval(*, record, user, now, needed: int) -> ApprovalDecision:
    """Write the manager's approval of the version submitted (no interest declared),
    numbered after those given before. Call with the record's row locked, so two
    managers' approvals are numbered one after the other (the database refuses two of
    the same number in any case)."""
    decision = _decision(
        record,
        manager=user,
        decided_at=now,
        outcome=ApprovalOutcome.APPROVED,
        approval_number=approvals_so_far(record) + 1,
        approvals_needed=needed,
    )
    decision.full_clean()
    decision.save()
    return decision


def record_interest(*, record, user, interest: str, now) -> ApprovalDecision:
    """Write that the manager declared an interest and stands aside."""
    interest = interest.strip()
    if not interest:
        raise Refused(_("Describe the interest you declare."), field="interest")
    decision = _decision(
        record,
        manager=user,
        decided_at=now,
        outcome=ApprovalOutcome.STOOD_ASIDE,
        interest=interest,
    )
    decision.full_clean()
    decision.save()
    return decision


def approvers_of_this_version(record) -> list:
    """The managers who approved the version now submitted."""
    return [
        decision.manager
        for decision in current_decisions(record)
        .filter(outcome=ApprovalOutcome.APPROVED)
        .select_related("manager")
    ]


def approvals_given(record) -> list[ApprovalDecision]:
    """The approvals the record's approval rests on: those of the submission that was
    approved (for the PDF and the page). Empty before any approval. Reads the decisions
    agreements.selectors.agreement_detail prefetched; mirrors current_decisions()."""
    return [
        decision
        for decision in record.approval_decisions.all()
        if decision.is_approval
        and decision.submitted_at == record.submitted_at
        and (decision.amendment_id is not None) == _is_amendment(record)
    ]
