import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from agreements import permissions
from agreements.models import (
    Agreement,
    AgreementType,
    Fulfilment,
    Obligation,
    Phase,
    ProgrammePeriod,
    Side,
    Status,
    phase_condition,
)
from core.filters import DateRangeFilter, DaysFilter, FilterSet, SearchFilter, StableOrderingFilter
from partnerships.filters import partner_filter
from partnerships.selectors import staff_users

# One choice list for status and phase: phases refine "approved" by today's date.
STATE_CHOICES = [
    (Status.DRAFT, Status.DRAFT.label),
    (Status.PENDING, Status.PENDING.label),
    (Status.RETURNED, Status.RETURNED.label),
    (Status.APPROVED, _("Approved (any phase)")),
    (Phase.UPCOMING, Phase.UPCOMING.label),
    (Phase.ACTIVE, Phase.ACTIVE.label),
    (Phase.EXPIRED, Phase.EXPIRED.label),
    (Status.TERMINATED, Status.TERMINATED.label),
]


class _HiddenCheckbox(forms.CheckboxInput):
    input_type = "hidden"


class AgreementFilter(FilterSet):
    q = SearchFilter(placeholder=_("Reference, title or partner"), method="filter_search")
    state = django_filters.ChoiceFilter(
        label=_("Status / phase"),
        choices=STATE_CHOICES,
        method="filter_state",
        empty_label=_("Any"),
    )
    agreement_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=AgreementType.choices, empty_label=_("Any type")
    )
    programme_period = django_filters.ModelChoiceFilter(
        label=_("Programme period"),
        queryset=ProgrammePeriod.objects.all(),
        empty_label=_("Any period"),
    )
    partner = partner_filter()
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible"), queryset=staff_users(), empty_label=_("Anyone")
    )
    ends_within = DaysFilter(label=_("Ends within (days)"), method="filter_ends_within")
    start_date = DateRangeFilter(
        label=_("Starts between"),
        from_label=_("Starts on or after"),
        to_label=_("Starts on or before"),
    )
    end_date = DateRangeFilter(
        label=_("Ends between"),
        from_label=_("Ends on or after"),
        to_label=_("Ends on or before"),
    )
    terminated_on = DateRangeFilter(
        label=_("Terminated between"),
        from_label=_("Terminated on or after"),
        to_label=_("Terminated on or before"),
    )
    overdue_obligations = django_filters.BooleanFilter(
        label=_("Has overdue obligations"),
        method="filter_overdue_obligations",
        widget=forms.CheckboxInput,
    )
    awaiting_my_approval = django_filters.BooleanFilter(
        label=_("Awaiting my approval"),
        method="filter_awaiting_my_approval",
        widget=forms.CheckboxInput,
    )
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("end_date", "end"),
            ("start_date", "start"),
            ("reference", "reference"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "end_date": _("End date"),
            "-end_date": _("End date, latest first"),
            "start_date": _("Start date"),
            "-start_date": _("Start date, latest first"),
            "reference": _("Reference"),
            "-reference": _("Reference, last first"),
            "updated_at": _("Last update"),
            "-updated_at": _("Last update, newest first"),
        },
        empty_label=None,
    )

    class Meta:
        model = Agreement
        fields = []

    def __init__(self, data=None, *args, request=None, **kwargs):
        if data is not None:
            data = data.copy()
            data.setdefault("ordering", "-start")
        super().__init__(data, *args, request=request, **kwargs)
        self.user = request.user if request else None
        if not (self.user and permissions.can_approve_agreements(self.user)):
            # Not offered, but still applied (to nothing): a filter never widens a list.
            self.filters["awaiting_my_approval"].extra["widget"] = _HiddenCheckbox

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_state(self, queryset, name, value: str):
        if value in Phase.values:
            return queryset.filter(phase_condition(value, self.today))
        return queryset.filter(status=value)

    def filter_ends_within(self, queryset, name, value):
        return queryset.ending_within(value, self.today)

    def filter_overdue_obligations(self, queryset, name, value):
        return queryset.with_overdue_obligations(self.today) if value else queryset

    def filter_awaiting_my_approval(self, queryset, name, value):
        if not value:
            return queryset
        if not (self.user and permissions.can_approve_agreements(self.user)):
            return queryset.none()
        return queryset.awaiting_decision_by(self.user)


class ObligationFilter(FilterSet):
    """Obligations and their follow-up, across agreements (the API's obligation list)."""

    agreement = django_filters.ModelChoiceFilter(
        label=_("Agreement"), queryset=Agreement.objects.all(), widget=forms.HiddenInput
    )
    side = django_filters.ChoiceFilter(label=_("Side"), choices=Side.choices, empty_label=_("Any"))
    fulfilment = django_filters.ChoiceFilter(
        label=_("Fulfilment"), choices=Fulfilment.choices, empty_label=_("Any")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=forms.CheckboxInput
    )
    due_date = DateRangeFilter(
        label=_("Due between"), from_label=_("Due on or after"), to_label=_("Due on or before")
    )

    class Meta:
        model = Obligation
        fields = []

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(self.today) if value else queryset
