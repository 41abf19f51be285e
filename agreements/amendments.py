"""Amendments: changing an approved agreement's terms openly, with their own approval.

An amendment proposes new terms from an effective date and goes through the agreement's
workflow (agreements.workflow; agreements.services.workflow_transition performs each
step). On approval its terms become the next TermsVersion and the agreement points at
it; the goals and obligations it changes or removes are marked replaced, never
overwritten, so past results and follow-ups keep the terms they were made under. The
period is never amended: ending earlier is a termination, continuing a renewal.

The rules of a proposal are in proposal_problems(): the form, the save and each workflow
step all ask it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import permissions
from agreements.budget import counted_through
from agreements.errors import TransitionConflict, TransitionRefused
from agreements.models import (
    AMENDABLE_TERMS,
    Agreement,
    AgreementEvent,
    Amendment,
    AmendmentChange,
    AmendmentGoal,
    AmendmentObligation,
    AmendmentStatus,
    AmendmentType,
    Fulfilment,
    Goal,
    Obligation,
    Phase,
    Side,
    Status,
    TermsVersion,
    in_terms_order,
)
from core.money import format_money
from core.permissions import require
from core.versioning import next_version

ONE_DAY = datetime.timedelta(days=1)

# What each type of amendment may change. An administrative correction may touch any
# term (the reason says what it corrects).
TYPE_COVERS = {
    AmendmentType.GOALS: {"goals"},
    AmendmentType.ECONOMIC_CONTRIBUTION: {"economic_amount", "payment_terms"},
    AmendmentType.MARKETING_CONTRIBUTIONS: {"marketing_contributions"},
    AmendmentType.OBLIGATIONS: {"obligations"},
    AmendmentType.OTHER_TERMS: {"conduct", "exchange", "payment_terms", "termination_terms"},
    AmendmentType.ADMINISTRATIVE_CORRECTION: {*AMENDABLE_TERMS, "goals", "obligations"},
}

# Terms that approved terms never leave empty (an agreement cannot be submitted without them).
REQUIRED_TERMS = ("payment_terms", "marketing_contributions", "conduct", "exchange")

# How a problem is introduced when it is listed away from its field.
PROBLEM_LABELS = {
    "effective_date": gettext_lazy("Effective date"),
    "types": gettext_lazy("What it changes"),
    "goals": gettext_lazy("Goals"),
    "obligations": gettext_lazy("Obligations"),
}


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _term_label(name: str) -> str:
    return capfirst(str(Agreement._meta.get_field(name).verbose_name))


# The rules ------------------------------------------------------------------------------


def effective_date_problem(agreement, day, *, today) -> str | None:
    """An amendment takes effect within the agreement's term, not before the day it is
    approved (so not before today), and not before the terms it amends took effect."""
    if day is None:
        return _("Give the date the amendment takes effect.")
    if day > agreement.end_date:
        return _(
            "The effective date must be within the agreement's term, which ends %(end)s. The "
            "end date itself cannot be amended."
        ) % {"end": _day(agreement.end_date)}
    if day < agreement.start_date:
        return _(
            "The effective date must be within the agreement's term, which starts %(start)s."
        ) % {"start": _day(agreement.start_date)}
    if day < today:
        return _(
            "An amendment takes effect on the day it is approved at the earliest: choose "
            "today (%(today)s) or a later day."
        ) % {"today": _day(today)}
    latest = agreement.terms
    if latest is not None and day < latest.effective_from:
        return _(
            "Terms version %(number)s is in force from %(day)s; an amendment of it takes "
            "effect that day or later."
        ) % {"number": latest.number, "day": _day(latest.effective_from)}
    return None


def committed_before(agreement, day: datetime.date):
    """What the budget counts of the contribution for the days before `day`, under the
    approved terms (agreements.budget): an amended contribution cannot be less."""
    return counted_through(agreement, day - ONE_DAY)


@dataclass
class Proposal:
    """What an amendment proposes: from its form, or as stored."""

    types: list
    effective_date: datetime.date | None
    terms: dict
    goal_rows: list = field(default_factory=list)
    obligation_rows: list = field(default_factory=list)

    def changed(self, base) -> set[str]:
        """The names of the terms it changes ("goals", "obligations" for those)."""
        changed = {name for name in AMENDABLE_TERMS if self.terms[name] != getattr(base, name)}
        if self.goal_rows:
            changed.add("goals")
        if self.obligation_rows:
            changed.add("obligations")
        return changed


def proposal_problems(agreement, base, proposal: Proposal, *, today) -> dict[str, list[str]]:
    """Everything wrong with a proposal, by the name of the field it concerns."""
    problems: dict[str, list[str]] = {}

    def add(name, message):
        problems.setdefault(name, []).append(str(message))

    date_problem = effective_date_problem(agreement, proposal.effective_date, today=today)
    if date_problem:
        add("effective_date", date_problem)

    changed = proposal.changed(base)
    covered = set().union(*(TYPE_COVERS[AmendmentType(t)] for t in proposal.types))
    for name in sorted(changed - covered):
        covering = next(t for t, names in TYPE_COVERS.items() if name in names)
        add(
            name,
            _(
                "This is not among what the amendment changes: tick “%(type)s”, or leave it as it was."
            )
            % {"type": covering.label},
        )
    if not changed:
        add("types", _("The amendment changes nothing yet: change the terms it is about."))
    else:
        for value in proposal.types:
            amendment_type = AmendmentType(value)
            if amendment_type == AmendmentType.ADMINISTRATIVE_CORRECTION:
                continue
            if not TYPE_COVERS[amendment_type] & changed:
                add(
                    "types",
                    _("“%(type)s” is ticked, but nothing of it is changed.")
                    % {"type": amendment_type.label},
                )

    for name in REQUIRED_TERMS:
        if not str(proposal.terms[name]).strip():
            add(
                name, _("Approved terms cannot leave this empty (write “none” if nothing applies).")
            )
    amount = proposal.terms["economic_amount"]
    if amount is not None and amount < 0:
        add("economic_amount", _("The economic contribution cannot be negative."))
    elif "economic_amount" in changed and not date_problem and proposal.effective_date:
        floor = committed_before(agreement, proposal.effective_date)
        if amount < floor:
            add(
                "economic_amount",
                _(
                    "The amended contribution cannot be less than %(floor)s: the current terms "
                    "already count that much for the days before %(day)s."
                )
                % {
                    "floor": format_money(floor, agreement.currency),
                    "day": _day(proposal.effective_date),
                },
            )

    _goal_problems(base, proposal, add)
    _obligation_problems(agreement, base, proposal, add)
    return problems


def _goal_problems(base, proposal, add):
    goals = Goal.objects.in_version(base).count()
    removed = sum(row.change == AmendmentChange.REMOVED for row in proposal.goal_rows)
    added = sum(row.change == AmendmentChange.ADDED for row in proposal.goal_rows)
    if goals - removed + added < 1:
        add("goals", _("The agreement keeps at least one measurable goal."))


def _obligation_problems(agreement, base, proposal, add):
    sides = {o.pk: o.side for o in Obligation.objects.in_version(base)}
    for row in proposal.obligation_rows:
        if row.obligation_id is not None:
            if row.obligation.fulfilment != Fulfilment.OPEN:
                add(
                    "obligations",
                    _(
                        "“%(obligation)s” is followed up already (%(fulfilment)s): it cannot "
                        "be changed or removed."
                    )
                    % {
                        "obligation": row.obligation.description[:60],
                        "fulfilment": row.obligation.get_fulfilment_display().lower(),
                    },
                )
            if row.change == AmendmentChange.REMOVED:
                sides.pop(row.obligation_id, None)
            else:
                sides[row.obligation_id] = row.side
        else:
            sides[f"new-{id(row)}"] = row.side
        start = proposal.effective_date
        due_date_set = row.change == AmendmentChange.ADDED or (
            row.change == AmendmentChange.CHANGED and row.due_date != row.obligation.due_date
        )
        if due_date_set and row.due_date and start:
            if not start <= row.due_date <= agreement.end_date:
                add(
                    "obligations",
                    _(
                        "“%(obligation)s” falls due %(due)s: a new or moved due date lies "
                        "between the effective date (%(start)s) and the end date (%(end)s)."
                    )
                    % {
                        "obligation": row.description[:60],
                        "due": _day(row.due_date),
                        "start": _day(start),
                        "end": _day(agreement.end_date),
                    },
                )
    if Side.OURS not in sides.values():
        add("obligations", _("The agreement keeps at least one obligation of our organisation."))
    if Side.PARTNER not in sides.values():
        add("obligations", _("The agreement keeps at least one obligation of the partner."))


def stored_proposal(amendment) -> Proposal:
    return Proposal(
        types=amendment.types,
        effective_date=amendment.effective_date,
        terms=amendment.contract_terms(),
        goal_rows=list(amendment.goal_changes.select_related("goal")),
        obligation_rows=list(amendment.obligation_changes.select_related("obligation")),
    )


def amendment_problems(amendment, *, today) -> list[str]:
    """What stands in the way of submitting or approving the amendment today."""
    problems = proposal_problems(
        amendment.agreement, amendment.based_on, stored_proposal(amendment), today=today
    )
    return [
        f"{PROBLEM_LABELS.get(name) or _term_label(name)}: {message}"
        for name, messages in problems.items()
        for message in messages
    ]


# Saving a draft -------------------------------------------------------------------------


def proposed_rows(formset, model, row_field: str) -> list:
    """The rows a goal or obligation formset proposes: each current row removed, changed
    or left alone, and new rows added. Untouched empty rows are skipped."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or (form.empty_permitted and not form.has_changed()):
            continue
        existing = data.get(row_field)
        if existing is None:
            if not data.get("DELETE"):
                terms = {name: data.get(name) for name in model.TERM_FIELDS}
                rows.append(model(change=AmendmentChange.ADDED, **terms))
        elif data.get("DELETE"):
            rows.append(
                model(change=AmendmentChange.REMOVED, **{row_field: existing}, **existing.terms())
            )
        else:
            terms = {name: data.get(name) for name in model.TERM_FIELDS}
            if terms != existing.terms():
                rows.append(model(change=AmendmentChange.CHANGED, **{row_field: existing}, **terms))
    return rows


def proposal_from_forms(form, goal_formset, obligation_formset) -> Proposal:
    data = form.cleaned_data
    return Proposal(
        types=data["types"],
        effective_date=data["effective_date"],
        terms={name: data[name] for name in AMENDABLE_TERMS},
        goal_rows=proposed_rows(goal_formset, AmendmentGoal, "goal"),
        obligation_rows=proposed_rows(obligation_formset, AmendmentObligation, "obligation"),
    )


def first_terms_version(*, agreement) -> TermsVersion:
    """Version 1: the terms as approved, in force from the start date. Written when the
    agreement is approved (agreements.services.workflow_transition)."""
    version, _created = TermsVersion.objects.get_or_create(
        agreement=agreement,
        number=1,
        defaults={"effective_from": agreement.start_date, **_terms_of(agreement)},
    )
    if agreement.terms_id is None:
        Agreement.objects.filter(pk=agreement.pk, terms__isnull=True).update(terms=version)
        agreement.terms = version
    return version


def _terms_of(record) -> dict:
    return {name: getattr(record, name) for name in AMENDABLE_TERMS}


@transaction.atomic
def amendment_save(*, agreement, form, goal_formset, obligation_formset, user) -> Amendment:
    """Create or change a draft amendment with the goals and obligations it proposes.

    A proposal that breaks a rule raises ValidationError by field, an amendment that
    cannot be saved now TransitionRefused (EditConflict for a stale form); nothing is
    saved in any of these cases.
    """
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("terms")
        .get(pk=agreement.pk)
    )
    amendment = form.instance
    creating = amendment.pk is None
    if creating:
        require(permissions.can_amend_agreement(user, agreement))
        base = agreement.terms or first_terms_version(agreement=agreement)
    else:
        current = Amendment.objects.select_for_update().get(pk=amendment.pk)
        require(permissions.can_edit_amendment(user, current))
        version = next_version(Amendment, amendment.pk, form.cleaned_data.get("edit_version"))
        base = current.based_on
    proposal = proposal_from_forms(form, goal_formset, obligation_formset)
    problems = proposal_problems(agreement, base, proposal, today=timezone.localdate())
    if problems:
        raise ValidationError(problems)

    amendment = form.save(commit=False)
    amendment.types = proposal.types
    amendment.reason = amendment.reason.strip()
    if creating:
        amendment.agreement = agreement
        amendment.based_on = base
        amendment.created_by = user
        amendment.status = AmendmentStatus.DRAFT
        numbers = agreement.amendments.aggregate(last=Max("number"))
        amendment.number = (numbers["last"] or 0) + 1
    else:
        amendment.status = current.status
        amendment.version = version
    amendment.full_clean()
    amendment._history_user = user
    try:
        with transaction.atomic():
            if creating:
                amendment.save()
            else:
                # Only what the form changes: never the status a manager just set.
                amendment.save(
                    update_fields=[
                        *form.Meta.fields,
                        *(f"type_{value}" for value in AmendmentType.values),
                        "version",
                        "updated_at",
                    ]
                )
    except IntegrityError:
        # Someone started another amendment of this agreement a moment ago.
        raise TransitionRefused(
            _("This agreement already has an amendment in progress. Nothing was saved.")
        ) from None
    _sync_rows(amendment.goal_changes.all(), proposal.goal_rows, "goal", amendment, user)
    _sync_rows(
        amendment.obligation_changes.all(), proposal.obligation_rows, "obligation", amendment, user
    )
    # Who edits shapes the terms (four-eyes), as agreements.services records for agreements.
    amendment.contributors.update_or_create(user=user, defaults={"shaped_terms": True})
    if creating:
        AgreementEvent.objects.create(
            agreement=agreement, amendment=amendment, actor=user, to_status=AmendmentStatus.DRAFT
        )
    return amendment


def _sync_rows(existing, proposed, row_field, amendment, user):
    """Store the proposed rows, changing the stored ones in place where they propose
    something for the same goal or obligation, so each row's history reads as edits."""
    stored = {
        getattr(row, f"{row_field}_id"): row for row in existing if getattr(row, f"{row_field}_id")
    }
    stored_added = [row for row in existing if getattr(row, f"{row_field}_id") is None]
    keep = set()
    for row in proposed:
        target_id = getattr(row, f"{row_field}_id")
        if target_id is not None and target_id in stored:
            target = stored[target_id]
        elif target_id is None and stored_added:
            target = stored_added.pop(0)
        else:
            target = row
        if target is not row:
            target.change = row.change
            for name in row.TERM_FIELDS:
                setattr(target, name, getattr(row, name))
        target.amendment = amendment
        target.full_clean()
        target._history_user = user
        target.save()
        keep.add(target.pk)
    for row in existing:
        if row.pk not in keep:
            row._history_user = user
            row.delete()


# The workflow steps ---------------------------------------------------------------------


def check_step(amendment, action, *, today) -> None:
    """What must hold before an amendment is submitted or approved; raises
    TransitionRefused saying what does not. Locks the agreement, so a termination and
    an approval of its amendment happen one after the other."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("terms")
        .get(pk=amendment.agreement_id)
    )
    amendment.agreement = agreement
    stored_status = Amendment.objects.values_list("status", flat=True).get(pk=amendment.pk)
    if action not in ("submit", "approve") or stored_status != amendment.status:
        return  # a stale record: the conditional update reports the conflict
    if agreement.status != Status.APPROVED or agreement.phase(today) == Phase.EXPIRED:
        raise TransitionRefused(
            _("%(reference)s is %(state)s: its terms can no longer be amended.")
            % {"reference": agreement.reference, "state": agreement.state_label().lower()}
        )
    if agreement.terms_id != amendment.based_on_id:
        raise TransitionConflict(
            _("The agreement's terms changed since this amendment was drafted. Nothing was done.")
        )
    problems = amendment_problems(amendment, today=today)
    if problems:
        message = (
            _("The amendment is not complete and cannot be submitted yet.")
            if action == "submit"
            else _("The amendment cannot be approved as it stands: return it to the author.")
        )
        raise TransitionRefused(message, problems)


def put_in_force(*, amendment, user) -> TermsVersion:
    """The approval's effect: the amendment's terms become the agreement's next terms
    version, from its effective date. Goals and obligations it changes or removes stay,
    marked replaced from that day; what it adds or changes are new rows from that day."""
    agreement = amendment.agreement
    base = agreement.terms
    version = TermsVersion(
        agreement=agreement,
        number=base.number + 1,
        effective_from=amendment.effective_date,
        amendment=amendment,
        **amendment.contract_terms(),
    )
    version.full_clean()
    version._history_user = user
    version.save()
    for change in amendment.goal_changes.select_related("goal"):
        _put_row_in_force(change, change.goal, Goal, agreement, version, user)
    for change in amendment.obligation_changes.select_related("obligation"):
        _put_row_in_force(change, change.obligation, Obligation, agreement, version, user)
    Agreement.objects.filter(pk=agreement.pk).update(terms=version)
    agreement.terms = version
    return version


def _put_row_in_force(change, old, model, agreement, version, user):
    if old is not None:
        old.superseded_in = version
        old.in_force_until = version.effective_from - ONE_DAY
        old._history_user = user
        old.save(update_fields=["superseded_in", "in_force_until"])
    if change.change == AmendmentChange.REMOVED:
        return
    row = model(
        agreement=agreement,
        origin_id=old.lineage_id if old else None,
        introduced_in=version,
        in_force_from=version.effective_from,
        **change.terms(),
    )
    row.full_clean()
    row._history_user = user
    row.save()


# Reading --------------------------------------------------------------------------------


@dataclass
class TermChange:
    name: str
    label: str
    before: object
    after: object

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class RowChange:
    """One goal or obligation in an amendment: added, changed, removed or left as it was
    ("" ); `before` is the row as it stands, `after` what the amendment makes of it."""

    change: str
    before: object
    after: object
    fields: list = field(default_factory=list)


@dataclass
class AmendmentDiff:
    terms: list
    goals: list
    obligations: list

    @property
    def sections(self) -> list:
        return [
            (_("Goals"), self.goals, "goal"),
            (_("Obligations"), self.obligations, "obligation"),
        ]


def _shown(model_field, value) -> str:
    """A goal's or obligation's field value as the pages write it."""
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return _day(value)
    if isinstance(value, Decimal):
        return number_format(value.quantize(Decimal(1)) if value == value.to_integral() else value)
    return str(value)


def _row_fields(model, before, after) -> list[TermChange]:
    fields = []
    for name in model.TERM_FIELDS:
        model_field = model._meta.get_field(name)
        fields.append(
            TermChange(
                name,
                capfirst(str(model_field.verbose_name)),
                _shown(model_field, getattr(before, name) if before else None),
                _shown(model_field, getattr(after, name) if after else None),
            )
        )
    return fields


def _row_changes(base_rows, changes, row_field, model) -> list[RowChange]:
    by_row = {getattr(c, f"{row_field}_id"): c for c in changes if getattr(c, f"{row_field}_id")}
    rows = []
    for row in base_rows:
        change = by_row.get(row.pk)
        if change is None:
            rows.append(RowChange("", row, row))
        elif change.change == AmendmentChange.REMOVED:
            rows.append(RowChange(change.change, row, None))
        else:
            rows.append(RowChange(change.change, row, change, _row_fields(model, row, change)))
    rows.extend(
        RowChange(c.change, None, c, _row_fields(model, None, c))
        for c in changes
        if c.change == AmendmentChange.ADDED
    )
    return rows


def amendment_diff(amendment, *, goals=None, obligations=None) -> AmendmentDiff:
    """The terms the amendment amends and those it proposes, side by side, field by field.

    `goals` and `obligations` are all of the agreement's rows with their versions, when
    the caller has them already (the agreement page shows every amendment's diff)."""
    base = amendment.based_on
    if goals is None:
        goals = Goal.objects.filter(agreement_id=amendment.agreement_id).select_related(
            "introduced_in", "superseded_in"
        )
    if obligations is None:
        obligations = Obligation.objects.filter(agreement_id=amendment.agreement_id).select_related(
            "introduced_in", "superseded_in"
        )
    return AmendmentDiff(
        terms=[
            TermChange(name, _term_label(name), getattr(base, name), getattr(amendment, name))
            for name in AMENDABLE_TERMS
        ],
        goals=_row_changes(
            in_terms_order(g for g in goals if _in_version(g, base.number)),
            list(amendment.goal_changes.all()),
            "goal",
            Goal,
        ),
        obligations=_row_changes(
            in_terms_order(o for o in obligations if _in_version(o, base.number)),
            list(amendment.obligation_changes.all()),
            "obligation",
            Obligation,
        ),
    )


@dataclass
class VersionView:
    version: TermsVersion
    until: datetime.date
    goals: list
    obligations: list


def _in_version(row, number: int) -> bool:
    introduced = row.introduced_in.number if row.introduced_in_id else 1
    superseded = row.superseded_in.number if row.superseded_in_id else None
    return introduced <= number and (superseded is None or superseded > number)


@dataclass
class AmendmentView:
    amendment: Amendment
    diff: AmendmentDiff


def agreement_amendments(agreement) -> tuple[list[AmendmentView], list[VersionView]]:
    """The agreement page's amendments, each with its diff, and its terms versions with
    their goals and obligations, newest first. Give it an agreement from
    agreements.selectors.agreement_detail(), which reads all of these in a few queries
    however many there are."""
    goals = list(agreement.goals.all())
    obligations = list(agreement.obligations.all())
    versions = sorted(agreement.terms_versions.all(), key=lambda v: v.number)
    views = []
    for index, version in enumerate(versions):
        following = versions[index + 1] if index + 1 < len(versions) else None
        views.append(
            VersionView(
                version=version,
                until=following.effective_from - ONE_DAY if following else agreement.end_date,
                goals=in_terms_order(g for g in goals if _in_version(g, version.number)),
                obligations=in_terms_order(
                    o for o in obligations if _in_version(o, version.number)
                ),
            )
        )
    return (
        amendment_views(
            agreement, agreement.amendments.all(), goals=goals, obligations=obligations
        ),
        list(reversed(views)),
    )


def amendment_views(agreement, amendments, *, goals, obligations) -> list[AmendmentView]:
    """`amendments` of the agreement, newest first, each with its diff read from `goals`
    and `obligations` (all of the agreement's rows, with their terms versions)."""
    ordered = sorted(amendments, key=lambda amendment: -amendment.number)
    for amendment in ordered:
        amendment.agreement = agreement
    return [
        AmendmentView(amendment, amendment_diff(amendment, goals=goals, obligations=obligations))
        for amendment in ordered
    ]


@dataclass
class GoalLine:
    """One goal through the terms versions: its row in force at the end of each
    evaluation period (None when it was not a goal then), newest row first in `rows`."""

    rows: list
    per_period: list

    @property
    def latest(self):
        return self.rows[0]

    @property
    def removed(self) -> bool:
        return self.latest.superseded_in_id is not None


def goal_lines(goals, periods) -> list[GoalLine]:
    """Group a goal's rows (one per version of its wording) and tell which applied in
    each evaluation period: the one in force on the period's last day, its due date."""
    lines = {}
    for goal in sorted(goals, key=lambda g: g.pk):
        lines.setdefault(goal.lineage_id, []).append(goal)
    result = []
    for rows in lines.values():
        rows.sort(key=lambda g: (g.in_force_from or datetime.date.min, g.pk), reverse=True)
        per_period = [
            next((g for g in rows if g.is_in_force_on(period.end_date)), None) for period in periods
        ]
        result.append(GoalLine(rows=rows, per_period=per_period))
    return result
