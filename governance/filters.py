import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from governance import selectors
from governance.models import (
    UNRESOLVED_STATUSES,
    Incident,
    IncidentCategory,
    IncidentStatus,
    Severity,
)
from partnerships.filters import partner_filter


class IncidentFilter(FilterSet):
    """The incident list. Give it a queryset from selectors.incidents_for(user): the
    category filter then looks only at rows whose details the user may see."""

    STATUS_CHOICES = [
        ("unresolved", _("Not closed (open or under review)")),
        *IncidentStatus.choices,
    ]

    partner = partner_filter()
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("Any")
    )
    severity = django_filters.ChoiceFilter(
        label=_("Severity"), choices=Severity.choices, empty_label=_("Any severity")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=IncidentCategory.choices,
        method="filter_category",
        empty_label=_("Any category"),
    )

    class Meta:
        model = Incident
        fields = []

    def filter_status(self, queryset, name, value):
        if value == "unresolved":
            return queryset.filter(status__in=UNRESOLVED_STATUSES)
        return queryset.filter(status=value)

    def filter_category(self, queryset, name, value):
        return selectors.with_details_visible(queryset, category=value)
