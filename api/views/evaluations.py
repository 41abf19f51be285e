"""Evaluation periods and evaluations with their goal results."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView

from api.serializers import EvaluationPeriodSerializer, EvaluationSerializer
from api.views import LIST_ERRORS, NOT_FOUND, ApiView
from evaluations import permissions, selectors
from evaluations.filters import EvaluationFilter, EvaluationPeriodFilter
from evaluations.models import EvaluationPeriod, GoalResult


class _EvaluationView(ApiView):
    rules = {"GET": permissions.can_view_evaluations}
    serializer_class = EvaluationSerializer

    def get_queryset(self):
        return (
            selectors.evaluation_list_queryset()
            .select_related("completed_by")
            .prefetch_related(
                Prefetch("results", queryset=GoalResult.objects.select_related("goal"))
            )
            .order_by("pk")
        )


@extend_schema(
    tags=["evaluations"], responses={200: EvaluationSerializer(many=True), **LIST_ERRORS}
)
class EvaluationList(_EvaluationView, ListAPIView):
    """Recorded evaluations, drafts and completed, with the filters of the page
    "Recorded evaluations"; oldest first."""

    filterset_class = EvaluationFilter


@extend_schema(tags=["evaluations"], responses={200: EvaluationSerializer, **NOT_FOUND})
class EvaluationDetail(_EvaluationView, RetrieveAPIView):
    pass


@extend_schema(
    tags=["evaluations"], responses={200: EvaluationPeriodSerializer(many=True), **LIST_ERRORS}
)
class EvaluationPeriodList(ApiView, ListAPIView):
    """The yearly evaluation periods of approved agreements and where each stands today."""

    rules = {"GET": permissions.can_view_evaluations}
    serializer_class = EvaluationPeriodSerializer
    filterset_class = EvaluationPeriodFilter

    def get_queryset(self):
        return (
            EvaluationPeriod.objects.select_related("agreement")
            .with_completion()
            .prefetch_related("evaluations")
            .order_by("pk")
        )
