import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.filters import FilterSet, SearchFilter, StableOrderingFilter
from partnerships import selectors
from partnerships.models import FocusArea, Partner, PartnerKind, RiskLevel


def partner_filter(**kwargs) -> django_filters.ModelChoiceFilter:
    """Filter a list by one partner, chosen by a link (a partner's page, a count).

    A hidden field, not a drop-down: a register of 10,000 partners would render 10,000
    options on every page view; free-text search covers choosing by name.
    """
    return django_filters.ModelChoiceFilter(
        label=_("Partner"), queryset=Partner.objects.all(), widget=forms.HiddenInput, **kwargs
    )


class PartnerFilter(FilterSet):
    ARCHIVE_CHOICES = [
        ("active", _("Current partners")),
        ("archived", _("Archived")),
        ("all", _("All")),
    ]
    DUE_DILIGENCE_CHOICES = [("incomplete", _("Incomplete")), ("complete", _("Complete"))]
    REVIEW_CHOICES = [
        ("overdue", _("Overdue")),
        ("due", _("Due soon")),
        ("due_or_overdue", _("Due soon or overdue")),
    ]

    q = SearchFilter(
        placeholder=_("Name, organisation number, contact name or email"), method="filter_search"
    )
    country = django_filters.ChoiceFilter(label=_("Country"), empty_label=_("Any country"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=PartnerKind.choices, empty_label=_("Any kind")
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"),
        field_name="focus_areas",
        queryset=FocusArea.objects.all(),
        empty_label=_("Any focus area"),
    )
    risk_level = django_filters.ChoiceFilter(
        label=_("Risk level"), choices=RiskLevel.choices, empty_label=_("Any risk level")
    )
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible"), queryset=selectors.staff_users(), empty_label=_("Anyone")
    )
    due_diligence = django_filters.ChoiceFilter(
        label=_("Due diligence"),
        choices=DUE_DILIGENCE_CHOICES,
        method="filter_due_diligence",
        empty_label=_("Any"),
    )
    review = django_filters.ChoiceFilter(
        label=_("Due-diligence review"),
        choices=REVIEW_CHOICES,
        method="filter_review",
        empty_label=_("Any"),
    )
    archived = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=ARCHIVE_CHOICES,
        method="filter_archived",
        empty_label=None,
    )
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("updated_at", "updated")),
        field_labels={
            "name": _("Name"),
            "-name": _("Name, Z to A"),
            "updated_at": _("Last update"),
            "-updated_at": _("Last update, newest first"),
        },
        empty_label=None,
    )

    class Meta:
        model = Partner
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        # Without a choice, the list shows current partners sorted by name.
        data = data.copy() if data is not None else None
        if data is not None:
            data.setdefault("archived", "active")
            data.setdefault("ordering", "name")
        super().__init__(data, *args, **kwargs)
        # Read when the form shows or checks a country, not for a list that filters by
        # something else (a dashboard panel).
        self.filters["country"].extra["choices"] = _countries_in_the_register

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_due_diligence(self, queryset, name, value):
        if value == "incomplete":
            return queryset.due_diligence_incomplete()
        if value == "complete":
            return queryset.due_diligence_complete()
        return queryset

    def filter_review(self, queryset, name, value):
        """Overdue, or due within settings.REVIEW_DUE_SOON_DAYS (partnerships.reviews)."""
        overdue = queryset.review_overdue(self.today)
        if value == "overdue":
            return overdue
        due = queryset.review_due_within(settings.REVIEW_DUE_SOON_DAYS, self.today)
        if value == "due":
            return due
        return overdue | due

    def filter_archived(self, queryset, name, value):
        if value == "archived":
            return queryset.archived()
        if value == "all":
            return queryset
        return queryset.active()


def _countries_in_the_register():
    return sorted(
        (
            (code, countries.name(code))
            for code in Partner.objects.order_by().values_list("country", flat=True).distinct()
        ),
        key=lambda choice: choice[1],
    )
