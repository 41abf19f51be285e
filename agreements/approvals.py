"""The rules of approving a workflow record: what the approving manager states on the
approval page, and the record of each answer (ApprovalDecision) for the version
submitted. The workflow service (agreements.services.agreement_transition) calls these;
they take the record and the user, so any record that goes through the workflow table
can use them.
"""

from dataclasses import dataclass

from agreements.models import ApprovalDecision


@dataclass(frozen=True)
class ApprovalStatement:
    """What the approving manager states on the approval page."""

    # The serious unresolved incidents on the partner the manager read and acknowledged.
    acknowledged_incidents: tuple[int, ...] = ()


def workflow_agreement(record):
    """The agreement a workflow record belongs to (an agreement is its own)."""
    return record


def decisions_for(record):
    """The answers given on the approval page for the version now submitted."""
    return ApprovalDecision.objects.filter(
        agreement=workflow_agreement(record), submitted_at=record.submitted_at
    )


def record_approval(*, record, user, now) -> ApprovalDecision:
    """Write the manager's approval of the version submitted."""
    decision = ApprovalDecision(
        agreement=workflow_agreement(record),
        manager=user,
        decided_at=now,
        submitted_at=record.submitted_at,
    )
    decision.full_clean()
    decision.save()
    return decision
