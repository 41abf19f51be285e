import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partner


def partner_filter(**kwargs) -> django_filters.ModelChoiceFilter:
    """Filter a list by one partner, chosen by a link (a partner's page, a count).

    A hidden field, not a drop-down: a register of 10,000 partners would render 10,000
    options on every page view; free-text search covers choosing by name.
    """
    return django_filters.ModelChoiceFilter(
        label=_("Partner"), queryset=Partner.objects.all(), widget=forms.HiddenInput, **kwargs
    )


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting with the primary key as the last key, in the direction of the first, so
    rows that tie on the chosen field (two agreements starting the same day) keep their
    place and no row shows on two pages or none."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        ordering = list(qs.query.order_by)
        if ordering and not any(key.lstrip("-") in ("pk", "id") for key in ordering):
            qs = qs.order_by(*ordering, "-pk" if ordering[0].startswith("-") else "pk")
        return qs
