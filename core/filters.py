import datetime

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DaysField, YearField
from core.validators import refuse_implausible_day

# A search is one line that a person types; longer text is not a search.
MAX_SEARCH_LENGTH = 200


class FilterSet(django_filters.FilterSet):
    """The base of every list filter.

    It fails closed: a bound filter with a value it cannot apply (a user who is not a
    valid "responsible" choice, a number out of range) gives no rows, never the whole
    list without that filter, since lists and dashboard panels rely on filters to narrow
    what a user sees. The form then shows the error next to the field.

    `today` is the day the date rules are applied for; the dashboard passes its own, so
    counts and the timeline speak of the same day.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, today=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.today: datetime.date = today or timezone.localdate()

    # Shown outside the fold of a list's filters: the search box, and the sort order
    # (which narrows nothing).
    UNFOLDED_FILTERS = ("q", "ordering")

    @property
    def folded_filters_in_use(self) -> int:
        """How many filters inside the fold are set or wrong: the fold starts open when
        any is, so nobody wonders why a list is short."""
        if not self.is_bound:
            return 0
        errors = self.form.errors if self.form.is_bound else {}
        used = 0
        for name, form_field in self.form.fields.items():
            if name in self.UNFOLDED_FILTERS:
                continue
            value = form_field.widget.value_from_datadict(self.data, {}, self.form.add_prefix(name))
            values = value if isinstance(value, list | tuple) else [value]
            if name in errors or any(item not in (None, "", False) for item in values):
                used += 1
        return used

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            if self.is_bound and not self.is_valid():
                self._qs = self.queryset.none()
            else:
                self._qs = super().qs
        return self._qs


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting with the primary key as the last key, in the direction of the first, so
    rows that tie on the chosen field (two agreements starting the same day) keep their
    place and no row shows on two pages or none.

    `field_labels` names both directions by field name ("end_date", "-end_date"), and
    every choice needs its label: django-filter looks the descending one up by the URL
    parameter instead ("-end") and otherwise makes "End date (descending)", in English,
    since it has no Swedish catalogue.
    """

    def build_choices(self, fields, labels):
        choices, missing = [], []
        for field, param in fields.items():
            for prefix in ("", "-"):
                label = labels.get(prefix + field)
                if label is None:
                    missing.append(prefix + field)
                choices.append((prefix + param, label))
        if missing:
            raise ImproperlyConfigured(f"StableOrderingFilter needs field_labels for {missing}")
        return choices

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        ordering = list(qs.query.order_by)
        if ordering and not any(key.lstrip("-") in ("pk", "id") for key in ordering):
            qs = qs.order_by(*ordering, "-pk" if ordering[0].startswith("-") else "pk")
        return qs


class SearchFilter(django_filters.CharFilter):
    """The free-text search of a list, by the list's own method."""

    def __init__(self, *, placeholder, **kwargs):
        super().__init__(
            label=_("Search"),
            max_length=MAX_SEARCH_LENGTH,
            widget=forms.TextInput(attrs={"placeholder": placeholder, "type": "search"}),
            **kwargs,
        )


class DaysFilter(django_filters.NumberFilter):
    """A whole number of days from 0 to MAX_FILTER_DAYS ("ends within 90 days")."""

    field_class = DaysField

    def get_max_validator(self):
        return None  # the field has its own bounds


class YearFilter(django_filters.NumberFilter):
    """A calendar year within the dates the app accepts."""

    field_class = YearField

    def __init__(self, **kwargs):
        super().__init__(lookup_expr="year", **kwargs)

    def get_max_validator(self):
        return None


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


class _DayRangeField(django_filters.fields.DateRangeField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields:
            field.validators.append(refuse_implausible_day)


class DateRangeFilter(django_filters.DateFromToRangeFilter):
    """From one date to another, either end open, each within the dates the app accepts."""

    field_class = _DayRangeField

    def __init__(self, *, label, from_label, to_label, **kwargs):
        super().__init__(label=label, widget=DateRangeWidget(from_label, to_label), **kwargs)
