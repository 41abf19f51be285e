import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from core.filters import partner_filter
from evaluations.models import Evaluation, EvaluationStatus, Recommendation
from partnerships.selectors import staff_users


class EvaluationsDueFilter(django_filters.FilterSet):
    """Agreements with an evaluation awaiting, from Agreement.objects.with_evaluation_status()."""

    DUE_CHOICES = [("overdue", _("Overdue")), ("all", _("Everything awaiting evaluation"))]

    due = django_filters.ChoiceFilter(
        label=_("Show"), choices=DUE_CHOICES, method="filter_due", empty_label=None
    )
    due_within = django_filters.NumberFilter(
        label=_("Due within (days)"),
        method="filter_due_within",
        min_value=0,
        widget=forms.NumberInput(attrs={"min": 0}),
    )
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
            return queryset.evaluation_overdue()
        return queryset.awaiting_evaluation()

    def filter_due_within(self, queryset, name, value):
        return queryset.evaluation_due_within(int(value))


class EvaluationFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=_("Period ending in year"), field_name="period__end_date", lookup_expr="year"
    )
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
