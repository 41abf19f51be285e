"""The partner's yearly report: drafts saved under a version check (two tabs cannot
overwrite each other), submitted (locked for the partner, kept as a version), accepted
or sent back by staff. An accepted report pre-fills the staff evaluation of its period,
and the partner's users hear of each decision by email through the reminder claims."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from core.history import record_history
from core.permissions import require
from core.versioning import EditConflict, next_version
from evaluations import permissions as evaluation_permissions
from evaluations import services as evaluation_services
from portal import permissions
from portal.models import (
    PARTNER_EDITABLE_STATUSES,
    PartnerReport,
    PartnerReportAttachment,
    PartnerReportGoal,
    PartnerReportResource,
    PartnerReportVersion,
    ReportStatus,
    ReviewOutcome,
    contribution_label,
    contribution_lines,
)
from portal.reminders import notify_partner


class ReportRefused(Refused):
    """The report cannot be saved, submitted or reviewed now."""


def _amount_text(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


@transaction.atomic
def report_save_draft(
    *,
    period,
    user,
    opened_version: int | None,
    target_group_involvement: str,
    lessons_learned: str,
    goal_values: dict,
    resource_values: dict,
    attachment: dict | None = None,
    remove_attachments=(),
) -> PartnerReport:
    """Save the partner's working copy of a period's report.

    `goal_values` maps a goal id to {"achieved_value", "description"}; `resource_values`
    maps an obligation id (None: the contribution as a whole) to {"amount_spent",
    "comment"}. Raises EditConflict when the report was saved (in another tab, or by a
    colleague) after this form was opened, and ReportRefused when it is locked.
    """
    report = PartnerReport.objects.select_for_update().order_by().filter(period=period).first()
    require(permissions.can_write_partner_report(period, report))
    if report is None:
        report = PartnerReport(period=period, created_by=user)
        version = 1
    else:
        if opened_version in (None, 0):
            # Opened before the report existed; someone created it meanwhile.
            raise EditConflict(report.version)
        version = next_version(PartnerReport, report.pk, opened_version)
    report.target_group_involvement = target_group_involvement
    report.lessons_learned = lessons_learned
    report.version = version
    report.full_clean()
    report._history_user = user
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Two tabs started the same report at once: the other one won.
        current = PartnerReport.objects.get(period=period)
        raise EditConflict(current.version) from None
    goals = {goal.pk: goal for goal in period.agreement.goals.all()}
    for goal_id, values in goal_values.items():
        entry = PartnerReportGoal.objects.filter(report=report, goal_id=goal_id).first()
        entry = entry or PartnerReportGoal(report=report, goal=goals[goal_id])
        entry.achieved_value = values.get("achieved_value")
        entry.description = values.get("description", "")
        entry.full_clean()
        entry._history_user = user
        entry.save()
    for obligation_id, values in resource_values.items():
        line = PartnerReportResource.objects.filter(
            report=report, obligation_id=obligation_id
        ).first() or PartnerReportResource(report=report, obligation_id=obligation_id)
        line.amount_spent = values.get("amount_spent")
        line.comment = values.get("comment", "")
        line.full_clean()
        line._history_user = user
        line.save()
    if remove_attachments:
        # Only what was never part of a submitted version may go.
        report.attachments.filter(
            pk__in=remove_attachments, first_submitted_in__isnull=True
        ).delete()
    if attachment is not None:
        added = PartnerReportAttachment(
            report=report,
            file=attachment["file"],
            description=attachment.get("description", ""),
            uploaded_by=user,
        )
        added.full_clean()
        added._history_user = user
        added.save()
    return report


def snapshot(report) -> dict:
    """The report's content as it stands, with the goals' and contributions' wording,
    so a version reads the same however the records around it change later."""
    agreement = report.period.agreement
    entries = {entry.goal_id: entry for entry in report.goal_entries.all()}
    goals = []
    for goal in agreement.goals.all():
        entry = entries.get(goal.pk)
        goals.append(
            {
                "goal": goal.pk,
                "description": goal.description,
                "kind": goal.kind,
                "indicator": goal.indicator,
                "unit": goal.unit,
                "target": _amount_text(goal.target_value),
                "achieved_value": _amount_text(entry.achieved_value) if entry else None,
                "text": entry.description if entry else "",
            }
        )
    resources = [
        {
            "obligation": line.obligation_id,
            "label": contribution_label(line.obligation, agreement),
            "amount_spent": _amount_text(line.amount_spent),
            "comment": line.comment,
        }
        for line in report.resource_lines.select_related("obligation")
    ]
    return {
        "goals": goals,
        "resources": resources,
        "currency": agreement.currency,
        "target_group_involvement": report.target_group_involvement,
        "lessons_learned": report.lessons_learned,
        "attachments": [
            {
                "id": attachment.pk,
                "name": attachment.filename,
                "description": attachment.description,
            }
            for attachment in report.attachments.all()
        ],
    }


def ensure_resource_lines(report) -> None:
    """A line for each economic contribution of the agreement, so none is forgotten."""
    existing = set(report.resource_lines.values_list("obligation_id", flat=True))
    for obligation in contribution_lines(report.period.agreement):
        obligation_id = obligation.pk if obligation else None
        if obligation_id not in existing:
            PartnerReportResource.objects.create(report=report, obligation=obligation)


@transaction.atomic
def report_submit(*, report, user) -> PartnerReportVersion:
    """Send the report to our organisation: it is locked for the partner and kept as the
    next version. Refused, listing what is missing, while the report is incomplete."""
    current = PartnerReport.objects.select_for_update().get(pk=report.pk)
    require(permissions.can_write_partner_report(current.period, current))
    ensure_resource_lines(current)
    problems = current.completeness_problems()
    if problems:
        raise ReportRefused(_("The report is saved as a draft but cannot be sent yet."), problems)
    claimed = PartnerReport.objects.filter(
        pk=current.pk, status__in=PARTNER_EDITABLE_STATUSES
    ).update(status=ReportStatus.SUBMITTED, updated_at=timezone.now())
    if claimed != 1:
        raise ReportRefused(_("The report was sent a moment ago."))
    number = current.versions.count() + 1
    current.refresh_from_db()
    version = PartnerReportVersion(
        report=current, number=number, submitted_by=user, content=snapshot(current)
    )
    version.full_clean()
    version._history_user = user
    version.save()
    current.attachments.filter(first_submitted_in__isnull=True).update(first_submitted_in=number)
    record_history(current, user)
    return version


def _open_version(report) -> PartnerReportVersion:
    """The latest version, still undecided, locked. No ordering: PostgreSQL refuses FOR
    UPDATE over the outer joins a related ordering would add."""
    return (
        PartnerReportVersion.objects.select_for_update()
        .order_by()
        .get(report_id=report.pk, outcome="", number=report.versions.count())
    )


@transaction.atomic
def report_send_back(*, report, user, comment: str) -> PartnerReportVersion:
    """Return the report to the partner with what to change; they revise and resubmit."""
    require(permissions.can_review_partner_report(user, report))
    comment = comment.strip()
    if not comment:
        raise ReportRefused(_("Write what the partner should change."), field="comment")
    version = _decide(report, user, ReviewOutcome.SENT_BACK, ReportStatus.SENT_BACK, comment)
    notify_partner(kind="partner_report_sent_back", report=report, version=version)
    return version


@transaction.atomic
def report_accept(*, report, user, comment: str = "") -> PartnerReportVersion:
    """Accept the report. Its content pre-fills the period's staff evaluation (a draft,
    each filled field marked as the partner's), which staff then complete."""
    require(permissions.can_review_partner_report(user, report))
    version = _decide(report, user, ReviewOutcome.ACCEPTED, ReportStatus.ACCEPTED, comment.strip())
    _prefill_evaluation(report, version, user)
    notify_partner(kind="partner_report_accepted", report=report, version=version)
    return version


def _decide(report, user, outcome, status, comment) -> PartnerReportVersion:
    claimed = PartnerReport.objects.filter(pk=report.pk, status=ReportStatus.SUBMITTED).update(
        status=status, updated_at=timezone.now()
    )
    if claimed != 1:
        raise ReportRefused(_("Someone else reviewed this report a moment ago."))
    version = _open_version(report)
    version.outcome = outcome
    version.reviewed_by = user
    version.reviewed_at = timezone.now()
    version.review_comment = comment
    version.full_clean()
    version._history_user = user
    version.save()
    report.refresh_from_db()
    record_history(report, user)
    return version


def evaluation_values(version) -> tuple[dict, dict]:
    """What an accepted version gives the staff evaluation: its fields, and per goal."""
    content = version.content
    amounts = [
        Decimal(line["amount_spent"])
        for line in content.get("resources", [])
        if line.get("amount_spent") is not None
    ]
    resource_text = "\n".join(
        f"{line['label']}: {line['amount_spent']} {content.get('currency', '')}"
        + (f" – {line['comment']}" if line.get("comment") else "")
        for line in content.get("resources", [])
    )
    values = {
        "amount_spent": sum(amounts, Decimal("0")) if amounts else None,
        "resources_description": resource_text,
        "target_group_involvement": content.get("target_group_involvement", ""),
        "lessons_learned": content.get("lessons_learned", ""),
    }
    results = {}
    for goal in content.get("goals", []):
        if goal["kind"] == "quantitative":
            if goal.get("achieved_value") is not None:
                results[goal["goal"]] = {"measured_value": Decimal(goal["achieved_value"])}
        elif goal.get("text"):
            results[goal["goal"]] = {"assessment": goal["text"]}
    return values, results


def _prefill_evaluation(report, version, user):
    period = report.period
    if not evaluation_permissions.can_evaluate_period(user, period):
        return None
    values, results = evaluation_values(version)
    return evaluation_services.evaluation_prefill_from_partner(
        period=period, values=values, goal_values=results, user=user
    )
