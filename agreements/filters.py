import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from agreements import permissions
from agreements.models import (
    Agreement,
    AgreementType,
    Phase,
    ProgrammePeriod,
    Status,
    phase_condition,
)
from core.filters import FilterSet, StableOrderingFilter
from core.forms import DateInput
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


class DateRangeWidget(django_filters.widgets.SuffixedMultiWidget):
    """From and to as the browser's date pickers (names: <field>_after, <field>_before)."""

    template_name = "django_filters/widgets/multiwidget.html"
    suffixes = ["after", "before"]

    def __init__(self, from_label, to_label, attrs=None):
        # Each of the two inputs needs its own accessible name.
        super().__init__(
            (
                DateInput(attrs={"aria-label": from_label}),
                DateInput(attrs={"aria-label": to_label}),
            ),
            attrs,
        )

    def decompress(self, value):
        return [value.start, value.stop] if value else [None, None]


class _HiddenCheckbox(forms.CheckboxInput):
    input_type = "hidden"


class AgreementFilter(FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(
            attrs={"placeholder": _("Reference, title or partner"), "type": "search"}
        ),
    )
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
    ends_within = django_filters.NumberFilter(
        label=_("Ends within (days)"),
        method="filter_ends_within",
        min_value=0,
        widget=forms.NumberInput(attrs={"min": 0}),
    )
    start_date = django_filters.DateFromToRangeFilter(
        label=_("Starts between"),
        widget=DateRangeWidget(_("Starts on or after"), _("Starts on or before")),
    )
    end_date = django_filters.DateFromToRangeFilter(
        label=_("Ends between"),
        widget=DateRangeWidget(_("Ends on or after"), _("Ends on or before")),
    )
    terminated_on = django_filters.DateFromToRangeFilter(
        label=_("Terminated between"),
        widget=DateRangeWidget(_("Terminated on or after"), _("Terminated on or before")),
    )
    overdue_obligations = django_filters.BooleanFilter(
        label=_("Has overdue obligations"),
        method="filter_overdue_obligations",
        widget=forms.CheckboxInput,
    )
    awaiting_signature = django_filters.BooleanFilter(
        label=_("Approved but not signed"),
        method="filter_awaiting_signature",
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

    def filter_state(self, queryset, name, value):
        if value in Phase.values:
            return queryset.filter(phase_condition(value, self.today))
        return queryset.filter(status=value)

    def filter_ends_within(self, queryset, name, value):
        return queryset.ending_within(int(value), self.today)

    def filter_overdue_obligations(self, queryset, name, value):
        return queryset.with_overdue_obligations(self.today) if value else queryset

    def filter_awaiting_signature(self, queryset, name, value):
        return queryset.awaiting_signature() if value else queryset

    def filter_awaiting_my_approval(self, queryset, name, value):
        if not value:
            return queryset
        if not (self.user and permissions.can_approve_agreements(self.user)):
            return queryset.none()
        return queryset.awaiting_approval_by(self.user)
