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
