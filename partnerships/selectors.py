"""Queries over partners used in more than one place."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q

from accounts.roles import MANAGERS_GROUP, STAFF_GROUP
from partnerships.models import (
    CriterionScore,
    DialogueEntry,
    DialogueFollowUp,
    DueDiligenceReview,
    Partner,
    RiskLevelChange,
    SelectionAssessment,
)


def partner_list_queryset():
    """Everything the partner list shows, in a fixed number of queries."""
    return Partner.objects.select_related("responsible").prefetch_related("focus_areas")


def partner_detail(pk: int) -> Partner:
    return (
        Partner.objects.select_related("responsible", "values_confirmed_by", "created_by")
        .prefetch_related(
            "focus_areas",
            "contacts",
            Prefetch("risk_changes", queryset=RiskLevelChange.objects.select_related("changed_by")),
            Prefetch(
                "due_diligence_reviews",
                queryset=DueDiligenceReview.objects.select_related("recorded_by"),
            ),
            Prefetch(
                "assessments",
                queryset=SelectionAssessment.objects.select_related("assessed_by").prefetch_related(
                    Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion"))
                ),
            ),
        )
        .get(pk=pk)
    )


def recently_changed_partners(*, limit: int):
    return list(
        Partner.objects.active().select_related("responsible").order_by("-updated_at")[:limit]
    )


def staff_users():
    """People who can be responsible for a partner or an agreement."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=[STAFF_GROUP, MANAGERS_GROUP]) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def dialogue_entries(*, open_follow_ups_only: bool = False):
    """Entries with everything the log shows, in a fixed number of queries.

    Each entry gets `shown_follow_ups`: all of its follow-ups, or only the open ones.
    """
    follow_ups = DialogueFollowUp.objects.select_related("owner", "done_by")
    if open_follow_ups_only:
        follow_ups = follow_ups.open()
    return DialogueEntry.objects.select_related("agreement", "created_by").prefetch_related(
        "our_participants",
        "partner_participant_rows",
        Prefetch("follow_ups", queryset=follow_ups, to_attr="shown_follow_ups"),
    )


def partner_dialogue(partner: Partner):
    """The partner's dialogue log, newest first."""
    return dialogue_entries().filter(partner=partner).order_by("-date", "-id")


def dialogue_in_period(*, partner: Partner, start: datetime.date, end: datetime.date) -> list:
    """The conversations with a partner in an evaluation period, oldest first, with
    their open follow-ups: what the yearly evaluation builds on."""
    return list(
        dialogue_entries(open_follow_ups_only=True)
        .filter(partner=partner, date__gte=start, date__lte=end)
        .order_by("date", "id")
    )


def open_follow_ups(*, owner):
    """A person's follow-ups not yet done, the earliest due first."""
    return (
        DialogueFollowUp.objects.open()
        .filter(owner=owner)
        .select_related("entry__partner")
        .order_by("due_date", "id")
    )


def overdue_follow_ups(*, owner, today: datetime.date):
    return open_follow_ups(owner=owner).overdue(today)
