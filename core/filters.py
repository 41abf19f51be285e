import datetime

import django_filters
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


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
