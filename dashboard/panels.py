"""What each role sees first. Every count is the count of the list it links to, made
by that list's own FilterSet with the same parameters, so the two always agree; above
COUNT_LIMIT a panel says "1000+" and the list gives the exact number."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import lockouts, roles
from accounts import permissions as account_permissions
from accounts.two_factor import SIGNED_IN_WITH_SSO
from agreements import permissions as agreement_permissions
from agreements.filters import AgreementFilter
from agreements.models import Agreement, not_ended_condition
from agreements.selectors import agreement_list_queryset
from core.queue import queue_available
from dashboard.timeline import build_timeline
from evaluations import permissions as evaluation_permissions
from evaluations.filters import EvaluationsDueFilter
from evaluations.models import EvaluationPeriod
from evaluations.selectors import evaluations_due_queryset
from governance import permissions as governance_permissions
from governance import selectors as governance_selectors
from governance.filters import IncidentFilter
from partnerships import permissions as partner_permissions
from partnerships.filters import PartnerFilter
from partnerships.selectors import (
    overdue_follow_ups,
    partner_list_queryset,
    recently_changed_partners,
)
from portal import permissions as portal_permissions
from portal.filters import PartnerReportFilter
from portal.selectors import report_list_queryset

PANEL_ITEMS = 5
TIMELINE_ROWS = 30
# Counting stops here: a panel's count then costs the same at any size of the register
# (counting every match grew with it: 130 ms for 19,000 agreements with overdue
# obligations at ten times the data).
COUNT_LIMIT = 1000


@dataclass
class Panel:
    title: str
    count: int
    url: str
    items: list
    # "agreement", "approval", "obligation", "evaluation", "follow_up", "incident",
    # "partner" or "partner_report": how the template shows it
    kind: str
    empty: str

    @property
    def more_than_counted(self) -> bool:
        return self.count > COUNT_LIMIT

    @property
    def count_label(self) -> str:
        return f"{COUNT_LIMIT}+" if self.more_than_counted else str(self.count)


def counted(rows) -> int:
    """The number of rows, or COUNT_LIMIT + 1 when there are more than COUNT_LIMIT."""
    return rows.order_by()[: COUNT_LIMIT + 1].count()


def _panel(request, title, empty, url_name, filterset_class, queryset, params, kind, today):
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data[key] = str(value)
    filterset = filterset_class(data, queryset=queryset, request=request, today=today)
    rows = filterset.qs
    return Panel(
        title=title,
        count=counted(rows),
        url=f"{reverse(url_name)}?{data.urlencode()}",
        items=list(rows[:PANEL_ITEMS]),
        kind=kind,
        empty=empty,
    )


def _agreement_panel(request, today, title, empty, params, kind="agreement"):
    if not agreement_permissions.can_view_agreements(request.user):
        return None
    return _panel(
        request,
        title,
        empty,
        "agreements:agreement_list",
        AgreementFilter,
        agreement_list_queryset(),
        {**params, "ordering": "end"},
        kind,
        today,
    )


def _evaluation_panel(request, today, title, empty, params):
    if not evaluation_permissions.can_view_evaluations(request.user):
        return None
    return _panel(
        request,
        title,
        empty,
        "evaluations:evaluation_list",
        EvaluationsDueFilter,
        evaluations_due_queryset(today),
        params,
        "evaluation",
        today,
    )


def _awaiting_signature_panel(request, today):
    """The responsible person files the signed copy once the agreement is approved."""
    return _agreement_panel(
        request,
        today,
        _("My approved agreements not yet signed"),
        _("All your approved agreements have their signed copy filed."),
        {"responsible": request.user.pk, "awaiting_signature": "on"},
    )


def _partner_report_panel(request, today, params):
    """Partner reports sent in and not yet accepted or sent back."""
    if not portal_permissions.can_view_partner_reports(request.user):
        return None
    return _panel(
        request,
        _("Partner reports awaiting review"),
        _("No partner report awaits review."),
        "portal_staff:report_list",
        PartnerReportFilter,
        report_list_queryset(),
        {**params, "status": "submitted"},
        "partner_report",
        today,
    )


def _incident_panel(request, today, title, empty, params):
    if not governance_permissions.can_view_incidents(request.user):
        return None
    return _panel(
        request,
        title,
        empty,
        "governance:incident_list",
        IncidentFilter,
        governance_selectors.incidents_for(request.user),
        params,
        "incident",
        today,
    )


def _review_panel(request, today, title, empty, params):
    if not partner_permissions.can_view_partners(request.user):
        return None
    return _panel(
        request,
        title,
        empty,
        "partnerships:partner_list",
        PartnerFilter,
        partner_list_queryset(),
        params,
        "partner",
        today,
    )


def has_dashboard(user) -> bool:
    """A signed-in user without a role sees a page that says so, and nothing else."""
    return bool(
        agreement_permissions.can_view_agreements(user)
        or evaluation_permissions.can_view_evaluations(user)
        or partner_permissions.can_view_partners(user)
    )


def dashboard_context(request, *, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    user = request.user
    if not has_dashboard(user):
        return {
            "no_role": True,
            "signed_in_with_sso": request.session.get(SIGNED_IN_WITH_SSO, False),
            "sso_provider": settings.OIDC_PROVIDER_NAME,
        }
    days = settings.ENDING_SOON_DAYS
    is_manager = roles.is_manager(user)
    if is_manager:
        panels = [
            _agreement_panel(
                request,
                today,
                _("Awaiting my approval"),
                _("Nothing awaits your approval."),
                # Pending agreements and approved ones with a pending amendment.
                {"awaiting_my_approval": "on"},
                kind="approval",
            ),
            _incident_panel(
                request,
                today,
                _("Serious incidents not closed"),
                _("No serious incident is open."),
                {"severity": "serious", "status": "unresolved"},
            ),
            _evaluation_panel(
                request,
                today,
                _("Overdue evaluations"),
                _("No evaluation is overdue."),
                {"due": "overdue"},
            ),
            _partner_report_panel(request, today, {}),
            _agreement_panel(
                request,
                today,
                ngettext("Ending within %(days)d day", "Ending within %(days)d days", days)
                % {"days": days},
                ngettext(
                    "No agreement ends within %(days)d day.",
                    "No agreement ends within %(days)d days.",
                    days,
                )
                % {"days": days},
                {"ends_within": days},
            ),
            _agreement_panel(
                request,
                today,
                _("Agreements with overdue obligations"),
                _("No obligation is overdue."),
                {"overdue_obligations": "on"},
                kind="obligation",
            ),
            _review_panel(
                request,
                today,
                _("Due-diligence reviews overdue"),
                _("No due-diligence review is overdue."),
                {"review": "overdue"},
            ),
            _agreement_panel(
                request,
                today,
                _("Terminated this year"),
                _("No agreement was terminated this year."),
                {
                    "state": "terminated",
                    "terminated_on_after": today.replace(month=1, day=1).isoformat(),
                },
            ),
        ]
        panels.append(_awaiting_signature_panel(request, today))
        timeline_agreements = Agreement.objects.all()
        locked_out = (
            len(lockouts.current_lockouts()) if account_permissions.can_unlock_logins(user) else 0
        )
    else:
        locked_out = 0
        mine = {"responsible": user.pk}
        panels = [
            _agreement_panel(
                request,
                today,
                ngettext(
                    "My agreements ending within %(days)d day",
                    "My agreements ending within %(days)d days",
                    days,
                )
                % {"days": days},
                ngettext(
                    "None of your agreements ends within %(days)d day.",
                    "None of your agreements ends within %(days)d days.",
                    days,
                )
                % {"days": days},
                {**mine, "ends_within": days},
            ),
            _evaluation_panel(
                request,
                today,
                _("My evaluations due or overdue"),
                _("None of your evaluations is due."),
                {**mine, "due_within": 0},
            ),
            _partner_report_panel(request, today, mine),
            _agreement_panel(
                request,
                today,
                _("My agreements with overdue obligations"),
                _("None of your agreements has an overdue obligation."),
                {**mine, "overdue_obligations": "on"},
                kind="obligation",
            ),
            _review_panel(
                request,
                today,
                _("My partners' reviews due or overdue"),
                _("None of your partners' due-diligence reviews is due."),
                {**mine, "review": "due_or_overdue"},
            ),
            _agreement_panel(
                request, today, _("My drafts"), _("You have no drafts."), {**mine, "state": "draft"}
            ),
            _agreement_panel(
                request,
                today,
                _("Returned to me"),
                _("Nothing has been returned to you."),
                {**mine, "state": "returned"},
            ),
        ]
        panels.append(_awaiting_signature_panel(request, today))
        timeline_agreements = Agreement.objects.filter(responsible=user)
    return {
        "panels": [panel for panel in panels if panel is not None],
        "is_manager": is_manager,
        "locked_out_logins": locked_out,
        "queue_available": queue_available(),
        "recent_partners": (
            recently_changed_partners(limit=6)
            if partner_permissions.can_view_partners(user)
            else None
        ),
        "timeline": (
            _timeline(timeline_agreements, today)
            if agreement_permissions.can_view_agreements(user)
            else None
        ),
        "overdue_follow_ups": _overdue_follow_ups(user, today),
    }


def _overdue_follow_ups(user, today) -> Panel | None:
    """Dialogue follow-ups the user owns whose due date has passed; at most two queries."""
    if not partner_permissions.can_view_follow_ups(user):
        return None
    rows = overdue_follow_ups(owner=user, today=today)
    items = list(rows[:PANEL_ITEMS])
    return Panel(
        title=_("My overdue follow-ups"),
        count=counted(rows) if len(items) == PANEL_ITEMS else len(items),
        url=f"{reverse('partnerships:follow_up_list')}?due=overdue",
        items=items,
        kind="follow_up",
        empty=_("None of your follow-ups is overdue."),
    )


def _timeline(agreements, today):
    horizon = today + datetime.timedelta(days=2 * 366)
    rows = list(
        agreements.filter(not_ended_condition(today))
        .filter(start_date__lte=horizon)
        .select_related("partner")
        .order_by("end_date", "reference")[:TIMELINE_ROWS]
    )
    due_dates = {}
    periods = EvaluationPeriod.objects.filter(
        agreement__in=[row.pk for row in rows], end_date__gte=today, end_date__lte=horizon
    ).values_list("agreement_id", "end_date")
    for agreement_id, end_date in periods:
        due_dates.setdefault(agreement_id, []).append(end_date)
    return build_timeline(rows, due_dates, today=today)
