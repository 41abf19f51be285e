"""Queries over partners used in more than one place."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q

from accounts.roles import MANAGERS_GROUP, STAFF_GROUP
from partnerships.models import CriterionScore, Partner, SelectionAssessment


def partner_list_queryset():
    """Everything the partner list shows, in a fixed number of queries."""
    return Partner.objects.select_related("responsible").prefetch_related("focus_areas")


def partner_detail(pk: int) -> Partner:
    return (
        Partner.objects.select_related("responsible", "values_confirmed_by", "created_by")
        .prefetch_related(
            "focus_areas",
            "contacts",
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
