import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from core.filters import DaysFilter, FilterSet, YearFilter
from evaluations import selectors
from evaluations.models import Evaluation, EvaluationPeriod, EvaluationStatus, Recommendation
from partnerships.filters import partner_filter
from partnerships.selectors import staff_users


class EvaluationsDueFilter(FilterSet):
    """Agreements with an evaluation awaiting, from selectors.evaluations_due_queryset()."""

    DUE_CHOICES = [("overdue", _("Overdue")), ("all", _("Everything awaiting evaluation"))]

    due = django_filters.ChoiceFilter(
        label=_("Show"), choices=DUE_CHOICES, method="filter_due", empty_label=None
    )
    due_within = DaysFilter(label=_("Due within (days)"), method="filter_due_within")
    partner = partner_filter()
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible"), queryset=staff_users(), empty_label=_("Anyone")
    )

    class Meta:
        model = Agreement
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            data.setdefault("due", "all")
        super().__init__(data, *args, **kwargs)

    def filter_due(self, queryset, name, value):
        # Filter with EXISTS (a semi-join the database plans once), not on the
        # annotation, which would run its subquery for every agreement to count them.
        if value == "overdue":
            return selectors.agreements_evaluation_overdue(queryset, self.today)
        return selectors.agreements_awaiting_evaluation(queryset, self.today)

    def filter_due_within(self, queryset, name, value):
        return selectors.agreements_evaluation_due_within(queryset, value, self.today)


class EvaluationFilter(FilterSet):
    year = YearFilter(label=_("Period ending in year"), field_name="period__end_date")
    partner = partner_filter(field_name="period__agreement__partner")
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible"),
        field_name="period__agreement__responsible",
        queryset=staff_users(),
        empty_label=_("Anyone"),
    )
    recommendation = django_filters.ChoiceFilter(
        label=_("Recommendation"), choices=Recommendation.choices, empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=EvaluationStatus.choices, empty_label=_("Any")
    )

    class Meta:
        model = Evaluation
        fields = []


class EvaluationPeriodFilter(FilterSet):
    """Evaluation periods by where their evaluation stands (the API's period list); the
    rules are the period queryset's (awaiting_evaluation, overdue, due_within)."""

    STATE_CHOICES = [
        ("awaiting", _("Awaiting evaluation")),
        ("overdue", _("Overdue")),
        ("evaluated", _("Evaluated")),
    ]

    agreement = django_filters.ModelChoiceFilter(
        label=_("Agreement"), queryset=Agreement.objects.all(), widget=forms.HiddenInput
    )
    state = django_filters.ChoiceFilter(
        label=_("Show"), choices=STATE_CHOICES, method="filter_state", empty_label=_("Any")
    )
    due_within = DaysFilter(label=_("Due within (days)"), method="filter_due_within")

    class Meta:
        model = EvaluationPeriod
        fields = []

    def filter_state(self, queryset, name, value: str):
        if value == "awaiting":
            return queryset.awaiting_evaluation(self.today)
        if value == "overdue":
            return queryset.overdue(self.today)
        return queryset.evaluated()

    def filter_due_within(self, queryset, name, value):
        return queryset.due_within(int(value), self.today)
