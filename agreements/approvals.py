"""The rules of approving a workflow record: what the approving manager states on the
approval page (no personal or financial interest in the partner, and each serious
incident acknowledged) and the record of each answer (ApprovalDecision) for the version
submitted. The workflow service (agreements.services.agreement_transition) and the
permission rule (agreements.permissions.can_approve_agreement) call these; they take
the record and the user, so any record that goes through the workflow table can use
them.
"""

from dataclasses import dataclass

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


def workflow_agreement(record):
    """The agreement a workflow record belongs to (an agreement is its own)."""
    return record


def decisions_for(record):
    """Every answer given on the record's approval page, over all its submissions."""
    return ApprovalDecision.objects.filter(agreement=workflow_agreement(record))


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


def record_approval(*, record, user, now) -> ApprovalDecision:
    """Write the manager's approval of the version submitted (no interest declared)."""
    decision = ApprovalDecision(
        agreement=workflow_agreement(record),
        manager=user,
        decided_at=now,
        submitted_at=record.submitted_at,
        outcome=ApprovalOutcome.APPROVED,
    )
    decision.full_clean()
    decision.save()
    return decision


def record_interest(*, record, user, interest: str, now) -> ApprovalDecision:
    """Write that the manager declared an interest and stands aside."""
    interest = interest.strip()
    if not interest:
        raise Refused(_("Describe the interest you declare."), field="interest")
    decision = ApprovalDecision(
        agreement=workflow_agreement(record),
        manager=user,
        decided_at=now,
        submitted_at=record.submitted_at,
        outcome=ApprovalOutcome.STOOD_ASIDE,
        interest=interest,
    )
    decision.full_clean()
    decision.save()
    return decision


def approvals_given(record) -> list[ApprovalDecision]:
    """The approvals the record's approval rests on: those of the submission that was
    approved (for the PDF and the page). Empty before any approval. Reads the decisions
    agreements.selectors.agreement_detail prefetched; mirrors current_decisions()."""
    return [
        decision
        for decision in workflow_agreement(record).approval_decisions.all()
        if decision.is_approval and decision.submitted_at == record.submitted_at
    ]
