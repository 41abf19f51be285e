"""The partner reports one of its obligations fulfilled; staff confirm it (it becomes
the obligation's follow-up, marked as proposed by the partner) or reject it with a
reason the partner sees."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import services as agreement_services
from core.errors import Refused
from core.permissions import require
from portal import permissions
from portal.models import ObligationProposal, ProposalStatus


class ProposalRefused(Refused):
    """The proposal cannot be made or decided now."""


@transaction.atomic
def proposal_create(
    *, obligation, partner_user, fulfilled_on, note: str, evidence=None
) -> ObligationProposal:
    open_proposal = obligation.partner_proposals.filter(status=ProposalStatus.PROPOSED).first()
    require(permissions.can_propose_obligation_fulfilled(obligation, open_proposal))
    proposal = ObligationProposal(
        obligation=obligation,
        proposed_by=partner_user.user,
        fulfilled_on=fulfilled_on,
        note=note.strip(),
        evidence=evidence or "",
    )
    proposal.full_clean()
    proposal._history_user = partner_user.user
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        # A colleague at the partner reported the same obligation a moment ago.
        raise ProposalRefused(_("This obligation already awaits confirmation.")) from None
    return proposal


def _decide(proposal, user, status, reason=""):
    claimed = ObligationProposal.objects.filter(
        pk=proposal.pk, status=ProposalStatus.PROPOSED
    ).update(status=status, decided_by=user, decided_at=timezone.now(), rejection_reason=reason)
    if claimed != 1:
        raise ProposalRefused(_("Someone else decided on this a moment ago."))
    proposal.refresh_from_db()
    proposal._history_user = user
    proposal.save()
    return proposal


@transaction.atomic
def proposal_confirm(*, proposal, user) -> ObligationProposal:
    """The obligation is fulfilled as the partner reported it."""
    require(permissions.can_decide_obligation_proposal(user, proposal))
    proposal = _decide(proposal, user, ProposalStatus.CONFIRMED)
    agreement_services.obligation_confirm_partner_proposal(
        obligation=proposal.obligation,
        fulfilled_on=proposal.fulfilled_on,
        note=proposal.note,
        evidence=proposal.evidence or None,
        proposed_by=proposal.proposed_by,
        proposed_at=proposal.proposed_at,
        user=user,
    )
    return proposal


@transaction.atomic
def proposal_reject(*, proposal, user, reason: str) -> ObligationProposal:
    """Not confirmed; the obligation stays open and the partner sees why."""
    require(permissions.can_decide_obligation_proposal(user, proposal))
    reason = reason.strip()
    if not reason:
        raise ProposalRefused(_("Give the reason for rejecting."), field="reason")
    return _decide(proposal, user, ProposalStatus.REJECTED, reason)
