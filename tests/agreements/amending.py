"""Drafting amendments in tests as a browser would: the form's own values, with changes."""

import datetime
from decimal import Decimal

from agreements import amendments
from agreements.amendment_forms import AmendmentForm, amendment_formsets
from agreements.models import Amendment


def _instance(agreement, amendment):
    if amendment is not None:
        return amendment, amendment.based_on
    base = agreement.terms
    return Amendment(agreement=agreement, **base.contract_terms()), base


def _value(bound):
    value = bound.value()
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (datetime.date, Decimal, int)):
        return str(value)
    return "" if value is None else value


def form_data(agreement, amendment=None, **changes) -> dict:
    """What the amendment form posts when nothing is touched, then `changes` (field
    names as posted: "economic_amount", "goals-0-target_value", ...; None removes)."""
    instance, base = _instance(agreement, amendment)
    form = AmendmentForm(instance=instance, agreement=agreement)
    goals, obligations = amendment_formsets(None, base=base, amendment=instance)
    data = {}
    bound_fields = list(form)
    for formset in (goals, obligations):
        bound_fields.extend(formset.management_form)
        for subform in formset.forms:
            bound_fields.extend(subform)
    for bound in bound_fields:
        value = _value(bound)
        if value is not None:
            data[bound.html_name] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def bound_forms(agreement, data, amendment=None):
    instance, base = _instance(agreement, amendment)
    form = AmendmentForm(data, instance=instance, agreement=agreement)
    goals, obligations = amendment_formsets(data, base=base, amendment=instance)
    return form, goals, obligations


def save(agreement, user, amendment=None, **changes) -> Amendment:
    """Draft (or edit) an amendment through its forms and the service, as the page does."""
    data = form_data(agreement, amendment, **changes)
    form, goals, obligations = bound_forms(agreement, data, amendment)
    assert form.is_valid(), form.errors
    assert goals.is_valid(), goals.errors
    assert obligations.is_valid(), obligations.errors
    return amendments.amendment_save(
        agreement=agreement,
        form=form,
        goal_formset=goals,
        obligation_formset=obligations,
        user=user,
    )
