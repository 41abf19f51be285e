"""Agreements with their terms, goals and obligations; obligations and their follow-up;
the budget. Drafts are made and obligations followed up through the pages' services."""

from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response

from agreements import budget, permissions, selectors, services
from agreements.filters import AgreementFilter, ObligationFilter
from agreements.forms import (
    AgreementForm,
    GoalForm,
    GoalFormSet,
    ObligationForm,
    ObligationFormSet,
    ObligationOutcomeForm,
)
from agreements.models import (
    Agreement,
    AgreementEvent,
    Amendment,
    AmendmentStatus,
    Goal,
    Obligation,
)
from api import forms as api_forms
from api.serializers import (
    AgreementDetailSerializer,
    AgreementSerializer,
    BudgetSerializer,
    ObligationSerializer,
)
from api.views import LIST_ERRORS, NOT_FOUND, WRITE_ERRORS, ApiView
from core.permissions import require
from evaluations.models import EvaluationPeriod


def _agreements():
    return (
        selectors.agreement_list_queryset()
        .select_related("programme_period", "follows", "approved_by", "terms")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.current(), to_attr="current_goals"),
            Prefetch(
                "obligations",
                queryset=Obligation.objects.current().select_related("fulfilment_recorded_by"),
                to_attr="current_obligations",
            ),
            Prefetch(
                "amendments",
                queryset=Amendment.objects.filter(status=AmendmentStatus.APPROVED)
                .select_related("approved_by")
                .order_by("number"),
                to_attr="approved_amendments",
            ),
        )
    )


def _agreement_detail(pk):
    return (
        _agreements()
        .prefetch_related(
            Prefetch(
                "evaluation_periods",
                queryset=EvaluationPeriod.objects.prefetch_related("evaluations").with_completion(),
            ),
            Prefetch("events", queryset=AgreementEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


AgreementRequest = api_forms.request_serializer(
    "AgreementDraft",
    AgreementForm,
    exclude=("edit_version",),
    optional=("responsible", "economic_amount", "currency"),
    extra={
        "goals": api_forms.request_serializer("GoalDraft", GoalForm)(many=True, required=False),
        "obligations": api_forms.request_serializer("ObligationDraft", ObligationForm)(
            many=True, required=False
        ),
    },
)


class AgreementList(ApiView, ListAPIView):
    """Agreements, with the filters of the agreement list page (`state` is the status
    or, for approved agreements, the phase today). POST makes a draft as the page "New
    agreement" does; a missing `responsible` is you, as there."""

    rules = {"GET": permissions.can_view_agreements, "POST": permissions.can_create_agreement}
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter

    def get_queryset(self):
        return _agreements()

    @extend_schema(
        tags=["agreements"], responses={200: AgreementSerializer(many=True), **LIST_ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["agreements"],
        request=AgreementRequest,
        responses={201: AgreementDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        payload = self.body()
        agreement = Agreement(responsible=request.user)
        shown = AgreementForm(instance=agreement)
        data = QueryDict(mutable=True)
        try:
            errors = api_forms.fill(data, shown, payload)
            goal_rows = api_forms.formset_data(
                data, GoalFormSet(instance=agreement, prefix="goals"), payload.get("goals")
            )
            obligation_rows = api_forms.formset_data(
                data,
                ObligationFormSet(instance=agreement, prefix="obligations"),
                payload.get("obligations"),
            )
        except api_forms.BodyRefused as refused:
            raise exceptions.ValidationError(refused.errors) from None
        if errors or goal_rows or obligation_rows:
            errors.update({"goals": goal_rows} if goal_rows else {})
            errors.update({"obligations": obligation_rows} if obligation_rows else {})
            raise exceptions.ValidationError(errors)
        form = AgreementForm(data, {}, instance=agreement)
        goals = GoalFormSet(data, instance=agreement, prefix="goals")
        obligations = ObligationFormSet(data, instance=agreement, prefix="obligations")
        valid = [form.is_valid(), goals.is_valid(), obligations.is_valid()]
        if not all(valid):
            errors = api_forms.errors_of(form)
            for name, formset in (("goals", goals), ("obligations", obligations)):
                if row_errors := api_forms.formset_errors(formset):
                    errors[name] = row_errors
            raise exceptions.ValidationError(errors)
        saved = services.agreement_create(
            form=form, goal_formset=goals, obligation_formset=obligations, user=request.user
        )
        return Response(
            AgreementDetailSerializer(
                _agreement_detail(saved.pk), context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["agreements"], responses={200: AgreementDetailSerializer, **NOT_FOUND})
class AgreementDetail(ApiView, RetrieveAPIView):
    """One agreement with its evaluation periods and the events of its workflow."""

    rules = {"GET": permissions.can_view_agreements}
    serializer_class = AgreementDetailSerializer

    def get_object(self):
        try:
            return _agreement_detail(self.kwargs["pk"])
        except Agreement.DoesNotExist:
            raise exceptions.NotFound from None


class _ObligationView(ApiView):
    rules = {"GET": permissions.can_view_agreements}
    serializer_class = ObligationSerializer

    def get_queryset(self):
        return Obligation.objects.select_related("agreement", "fulfilment_recorded_by").order_by(
            "pk"
        )


@extend_schema(
    tags=["obligations"], responses={200: ObligationSerializer(many=True), **LIST_ERRORS}
)
class ObligationList(_ObligationView, ListAPIView):
    """Obligations of every agreement with their follow-up, oldest first."""

    filterset_class = ObligationFilter


@extend_schema(tags=["obligations"], responses={200: ObligationSerializer, **NOT_FOUND})
class ObligationDetail(_ObligationView, RetrieveAPIView):
    pass


ObligationOutcomeRequest = api_forms.request_serializer(
    "ObligationOutcome", ObligationOutcomeForm, optional=("fulfilment", "fulfilled_on")
)


class ObligationOutcome(ApiView):
    """Record whether an obligation of an approved agreement was fulfilled, as the page
    "Follow up" does. A field left out keeps its current value (`fulfilled_on` starts as
    today); evidence files are added on the page."""

    @extend_schema(
        tags=["obligations"],
        request=ObligationOutcomeRequest,
        responses={200: ObligationSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        obligation = get_object_or_404(
            Obligation.objects.select_related("agreement__partner"), pk=pk
        )
        require(permissions.can_follow_up_obligation(request.user, obligation.agreement))
        payload = self.body()
        data = QueryDict(mutable=True)
        errors = api_forms.fill(data, ObligationOutcomeForm(instance=obligation), payload)
        if errors:
            raise exceptions.ValidationError(errors)
        form = ObligationOutcomeForm(data, {}, instance=obligation)
        if not form.is_valid():
            raise exceptions.ValidationError(api_forms.errors_of(form))
        services.obligation_record_outcome(obligation=obligation, form=form, user=request.user)
        saved = self.get_queryset().get(pk=pk)
        return Response(ObligationSerializer(saved, context=self.get_serializer_context()).data)

    def get_queryset(self):
        return _ObligationView.get_queryset(self)


# The budget page shows this many years around the current one; the API the same by default.
YEARS_BEFORE = 3
YEARS_AFTER = 5
LONGEST_RANGE = 30


class BudgetRangeForm(forms.Form):
    first_year = forms.IntegerField(required=False, min_value=1900, max_value=2999)
    last_year = forms.IntegerField(required=False, min_value=1900, max_value=2999)

    def clean(self):
        cleaned = super().clean()
        this_year = timezone.localdate().year
        first = cleaned.get("first_year") or this_year - YEARS_BEFORE
        last = cleaned.get("last_year") or max(first, this_year + YEARS_AFTER)
        if not self.errors:
            if last < first:
                self.add_error("last_year", _("The last year cannot be before the first."))
            elif last - first >= LONGEST_RANGE:
                self.add_error(
                    "last_year", _("Ask for at most %(count)s years.") % {"count": LONGEST_RANGE}
                )
        cleaned.update(first_year=first, last_year=last)
        return cleaned


class Budget(ApiView):
    """What approved agreements commit of the budget per calendar year and per programme
    period, as the budget page counts it."""

    rules = {"GET": permissions.can_view_agreements}

    @extend_schema(
        tags=["budget"],
        parameters=[
            OpenApiParameter(
                "first_year", OpenApiTypes.INT, description="Default: three years ago."
            ),
            OpenApiParameter(
                "last_year", OpenApiTypes.INT, description="Default: five years ahead."
            ),
        ],
        responses={200: BudgetSerializer, **LIST_ERRORS},
    )
    def get(self, request):
        years = BudgetRangeForm(request.query_params)
        if not years.is_valid():
            raise exceptions.ValidationError(api_forms.errors_of(years))
        first, last = years.cleaned_data["first_year"], years.cleaned_data["last_year"]
        return Response(
            BudgetSerializer(
                {
                    "currency": settings.ORGANISATION_CURRENCY,
                    "years": budget.years_overview(first, last),
                    "programme_periods": budget.programme_period_overview(),
                }
            ).data
        )
