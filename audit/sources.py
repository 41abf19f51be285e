"""The audit trail, source by source. Each source is a small function that reads the
event or history rows one app keeps of one kind of decision and turns each into an
AuditEntry: who, when, the record, what was decided and the rule it followed. A source
never recomputes a decision: it says what the rows say, in words.

To add a kind of decision: write a function
`def things(window: Window) -> Iterable[AuditEntry]` reading its rows in the window (and
of window.partner_ids, when given), and add a Source for it to SOURCES.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import AgreementEvent, ApprovalDecision, ApprovalOutcome, Status
from evaluations.models import EvaluationEvent
from governance.models import IncidentEvent, IncidentStatus, TerminationCitation
from partnerships.models import DueDiligenceReview, RiskLevelChange
from portal.models import PartnerUser, PortalInvitation


@dataclass(frozen=True)
class Window:
    """The decisions asked for: from the start of `start` to the end of `end` (local
    days), for some partners only when partner_ids is given."""

    start: datetime.date
    end: datetime.date
    partner_ids: frozenset | None = None

    @property
    def since(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def until(self) -> datetime.datetime:
        after = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(after, datetime.time.min))

    def rows(self, queryset, when: str, partner: str):
        """`queryset` narrowed to the window by its `when` field and `partner` path."""
        queryset = queryset.filter(**{f"{when}__gte": self.since, f"{when}__lt": self.until})
        if self.partner_ids is not None:
            queryset = queryset.filter(**{f"{partner}__in": self.partner_ids})
        return queryset


@dataclass
class AuditEntry:
    when: datetime.datetime
    kind: str
    who: object
    partner: object
    record: str
    url: str
    decision: str
    rule: str
    details: list[str] = field(default_factory=list)
    # Ties at one moment keep the order the rows were written in.
    order: int = 0


@dataclass(frozen=True)
class Source:
    kind: str
    label: str
    read: Callable[[Window], Iterable[AuditEntry]]


def _agreement_events(window, to_status):
    return window.rows(
        AgreementEvent.objects.filter(to_status=to_status).select_related(
            "actor", "agreement__partner", "amendment"
        ),
        "created_at",
        "agreement__partner_id",
    ).order_by("created_at", "id")


def _record(agreement, amendment=None) -> tuple[str, str]:
    """The record a workflow decision was taken on, and its page: the agreement, or one
    of its amendments (which go through the same workflow)."""
    if amendment is not None:
        amendment.agreement = agreement
        return f"{amendment.label()} {agreement.title}", amendment.get_absolute_url()
    return f"{agreement.reference} {agreement.title}", agreement.get_absolute_url()


def _agreement_entry(event, kind, decision, rule, details=()):
    agreement = event.agreement
    record, url = _record(agreement, event.amendment)
    return AuditEntry(
        when=event.created_at,
        kind=kind,
        who=event.actor,
        partner=agreement.partner,
        record=record,
        url=url,
        decision=decision,
        rule=rule,
        details=[detail for detail in details if detail],
        order=event.pk,
    )


def submissions(window: Window):
    for event in _agreement_events(window, Status.PENDING):
        yield _agreement_entry(
            event,
            "submission",
            _("Submitted for approval"),
            _(
                "Submitted by its author or responsible person, complete: goals, obligations "
                "of both sides, contributions, conduct and exchange described."
            ),
            [event.comment],
        )


def returns(window: Window):
    for event in _agreement_events(window, Status.RETURNED):
        yield _agreement_entry(
            event,
            "return",
            _("Returned to the author"),
            _("A manager returns a pending agreement, saying what must change."),
            [event.comment],
        )


def terminations(window: Window):
    events = list(_agreement_events(window, Status.TERMINATED))
    cited = {}
    for citation in TerminationCitation.objects.filter(
        agreement__in=[event.agreement_id for event in events]
    ).select_related("incident"):
        cited.setdefault(citation.agreement_id, []).append(str(citation.incident))
    for event in events:
        agreement = event.agreement
        yield _agreement_entry(
            event,
            "termination",
            _("Terminated"),
            _(
                "A manager terminates with immediate effect (never a future date), giving "
                "the cause and the reason."
            ),
            [
                _("Cause: %(cause)s") % {"cause": agreement.get_termination_cause_display()},
                _("With effect from %(date)s")
                % {"date": agreement.terminated_on.isoformat() if agreement.terminated_on else ""},
                _("Reason: %(reason)s") % {"reason": event.comment},
                _("Incidents cited: %(incidents)s") % {"incidents": ", ".join(cited[agreement.pk])}
                if agreement.pk in cited
                else "",
            ],
        )


def _decisions(window, outcome):
    return window.rows(
        ApprovalDecision.objects.filter(outcome=outcome)
        .select_related("manager", "agreement__partner", "amendment")
        .prefetch_related("acknowledgements__incident"),
        "decided_at",
        "agreement__partner_id",
    ).order_by("decided_at", "id")


def _decision_entry(decision, kind, what, rule, details):
    agreement = decision.agreement
    record, url = _record(agreement, decision.amendment)
    return AuditEntry(
        when=decision.decided_at,
        kind=kind,
        who=decision.manager,
        partner=agreement.partner,
        record=record,
        url=url,
        decision=what,
        rule=rule,
        details=[detail for detail in details if detail],
        order=decision.pk,
    )


def approvals(window: Window):
    for decision in _decisions(window, ApprovalOutcome.APPROVED):
        acknowledged = [str(row.incident) for row in decision.acknowledgements.all()]
        rule = _("Four-eyes: the approver did not draft, edit or submit it.")
        if decision.approvals_needed and decision.approvals_needed > 1:
            rule += " " + _(
                "Two approvals by different managers: the contribution is above the "
                "two-approval threshold."
            )
        yield _decision_entry(
            decision,
            "approval",
            _("Approved (approval %(number)s of %(needed)s)")
            % {"number": decision.approval_number, "needed": decision.approvals_needed},
            rule,
            [
                _("Declared no personal or financial interest in the partner."),
                _("Serious incidents acknowledged: %(incidents)s")
                % {"incidents": ", ".join(acknowledged)}
                if acknowledged
                else "",
            ],
        )


def declared_interests(window: Window):
    for decision in _decisions(window, ApprovalOutcome.STOOD_ASIDE):
        yield _decision_entry(
            decision,
            "conflict",
            _("Declared an interest and stood aside"),
            _("A manager with an interest in the partner does not approve; another must."),
            [_("Interest: %(interest)s") % {"interest": decision.interest}],
        )


def evaluations(window: Window):
    events = window.rows(
        EvaluationEvent.objects.filter(action__in=["completed", "reopened"]).select_related(
            "actor", "evaluation__period__agreement__partner"
        ),
        "created_at",
        "evaluation__period__agreement__partner_id",
    ).order_by("created_at", "id")
    for event in events:
        evaluation = event.evaluation
        agreement = evaluation.period.agreement
        completed = event.action == "completed"
        yield AuditEntry(
            when=event.created_at,
            kind="evaluation",
            who=event.actor,
            partner=agreement.partner,
            record=_("%(reference)s evaluation, year %(number)s")
            % {"reference": agreement.reference, "number": evaluation.period.number},
            url=evaluation.get_absolute_url(),
            decision=_("Evaluation completed") if completed else _("Evaluation reopened"),
            rule=_(
                "Complete when every goal has a result and resource use and lessons are "
                "described; then locked."
            )
            if completed
            else _("Only a manager reopens a completed evaluation, giving the reason."),
            details=[event.comment] if event.comment else [],
            order=event.pk,
        )


def incident_closures(window: Window):
    events = window.rows(
        IncidentEvent.objects.filter(to_status=IncidentStatus.CLOSED).select_related(
            "actor", "incident__partner"
        ),
        "created_at",
        "incident__partner_id",
    ).order_by("created_at", "id")
    for event in events:
        incident = event.incident
        yield AuditEntry(
            when=event.created_at,
            kind="incident",
            who=event.actor,
            partner=incident.partner,
            record=f"{incident}: {incident.get_category_display()}, "
            f"{incident.get_severity_display().lower()}",
            url=incident.get_absolute_url(),
            decision=_("Incident closed: %(outcome)s") % {"outcome": event.get_outcome_display()},
            rule=_(
                "Only managers close an incident, with an outcome; “led to termination” needs "
                "a termination that cites it."
            ),
            details=[event.comment] if event.comment else [],
            order=event.pk,
        )


def due_diligence_reviews(window: Window):
    reviews = window.rows(
        DueDiligenceReview.objects.select_related("recorded_by", "partner"),
        "recorded_at",
        "partner_id",
    ).order_by("recorded_at", "id")
    for review in reviews:
        yield AuditEntry(
            when=review.recorded_at,
            kind="review",
            who=review.recorded_by,
            partner=review.partner,
            record=review.partner.name,
            url=review.partner.get_absolute_url(),
            decision=_("Due diligence reviewed on %(date)s")
            % {"date": review.reviewed_on.isoformat()},
            rule=_("Reviewed again %(months)s months later at this risk level (%(risk)s).")
            % {
                "months": review.interval_months,
                "risk": review.get_risk_level_display().lower() or _("not assessed"),
            },
            details=[
                detail
                for detail in (
                    _("Next review due %(date)s") % {"date": review.next_review_on.isoformat()},
                    review.note,
                )
                if detail
            ],
            order=review.pk,
        )


def risk_changes(window: Window):
    changes = window.rows(
        RiskLevelChange.objects.select_related("changed_by", "partner"),
        "changed_at",
        "partner_id",
    ).order_by("changed_at", "id")
    for change in changes:
        yield AuditEntry(
            when=change.changed_at,
            kind="risk",
            who=change.changed_by,
            partner=change.partner,
            record=change.partner.name,
            url=change.partner.get_absolute_url(),
            decision=_("Risk level: %(old)s → %(new)s")
            % {
                "old": change.get_from_level_display() or _("Not assessed"),
                "new": change.get_to_level_display() or _("Not assessed"),
            },
            rule=_("A change of risk level is kept with its reason; it is not a reason to refuse."),
            details=[_("Reason: %(reason)s") % {"reason": change.reason}],
            order=change.pk,
        )


def portal_access(window: Window):
    """Access granted (each invitation sent: the first, a resend, a new one after a
    revocation) and access revoked, from the invitations and the portal users' history."""
    invitations = window.rows(
        PortalInvitation.objects.select_related(
            "sent_by", "partner_user__partner", "partner_user__user"
        ),
        "created_at",
        "partner_user__partner_id",
    ).order_by("created_at", "id")
    for invitation in invitations:
        partner_user = invitation.partner_user
        yield AuditEntry(
            when=invitation.created_at,
            kind="portal",
            who=invitation.sent_by,
            partner=partner_user.partner,
            record=_("Portal user %(name)s") % {"name": partner_user.user.get_full_name()},
            url=partner_user.partner.get_absolute_url(),
            decision=_("Portal access granted: invitation sent to %(email)s")
            % {"email": partner_user.user.email},
            rule=_(
                "Staff invite a contact person of the partner; the link works once, for "
                "%(days)s days, and only its hash is kept."
            )
            % {"days": invitation.lifetime().days},
            order=invitation.pk,
        )
    # Each revocation is saved once with its time and the one who revoked; later saves
    # of the same revoked user repeat those values.
    revocations = window.rows(
        PartnerUser.history.filter(revoked_at__isnull=False).select_related(
            "revoked_by", "partner", "user"
        ),
        "revoked_at",
        "partner_id",
    ).order_by("revoked_at", "history_id")
    seen = set()
    for row in revocations:
        if (row.id, row.revoked_at) in seen:
            continue
        seen.add((row.id, row.revoked_at))
        yield AuditEntry(
            when=row.revoked_at,
            kind="portal",
            who=row.revoked_by,
            partner=row.partner,
            record=_("Portal user %(name)s") % {"name": row.user.get_full_name()},
            url=row.partner.get_absolute_url(),
            decision=_("Portal access revoked"),
            rule=_(
                "Staff revoke a partner user's access at once: no login, open sessions end, "
                "links stop working."
            ),
            order=row.history_id,
        )


SOURCES = [
    Source("submission", gettext_lazy("Submissions"), submissions),
    Source("approval", gettext_lazy("Approvals"), approvals),
    Source("conflict", gettext_lazy("Declared interests"), declared_interests),
    Source("return", gettext_lazy("Returns"), returns),
    Source("termination", gettext_lazy("Terminations"), terminations),
    Source("evaluation", gettext_lazy("Evaluations completed and reopened"), evaluations),
    Source("incident", gettext_lazy("Incident closures"), incident_closures),
    Source("risk", gettext_lazy("Risk level changes"), risk_changes),
    Source("review", gettext_lazy("Due-diligence reviews"), due_diligence_reviews),
    Source("portal", gettext_lazy("Portal access granted and revoked"), portal_access),
]


def audit_entries(window: Window, kinds: Iterable[str] | None = None) -> list[AuditEntry]:
    """Every decision in the window of the chosen kinds (all by default), oldest first."""
    kinds = set(kinds or [source.kind for source in SOURCES])
    position = {source.kind: number for number, source in enumerate(SOURCES)}
    entries = []
    for source in SOURCES:
        if source.kind in kinds:
            entries.extend(source.read(window))
    # Decisions at one moment (a form saving a risk change and a review) keep the order
    # of SOURCES, then the order their rows were written in.
    entries.sort(key=lambda entry: (entry.when, position[entry.kind], entry.order))
    return entries
