"""How a step of the demo story is taken: as a person on a page, on the day it happened.

A step fills in the page's unbound forms with page_post() (what the browser would send),
checks them with check(), and calls the page's service inside acting(person, day): the
clock then reads that day (time-machine), so every created and updated time, workflow
event and change-history row carries it, and the change history records the person, as
the request middleware does on a page.
"""

import datetime
from contextlib import contextmanager

import time_machine
from django import forms
from django.db import models
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest
from django.utils import timezone
from simple_history.models import HistoricalRecords


class DemoDataRefused(Exception):
    """A form refused the demo data: the data breaks a rule of the application."""


@contextmanager
def on_day(day: datetime.date, *, hour: int = 10):
    """The clock reads `day` at `hour` (local time) and runs on from there."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    with time_machine.travel(moment, tick=True):
        yield


@contextmanager
def acting(user, day: datetime.date, *, hour: int = 10):
    """A step `user` takes on `day`: the clock reads that day, and the change history
    records the user as the request middleware (HistoryRequestMiddleware) does on a page."""
    request = HttpRequest()
    request.user = user
    context = HistoricalRecords.context
    outer = getattr(context, "request", None)
    context.request = request
    try:
        with on_day(day, hour=hour):
            yield
    finally:
        if outer is None:
            del context.request
        else:
            context.request = outer


def row(prefix: str, index: int, values: dict) -> dict:
    """Field names of row `index` of a formset, as the page names them."""
    return {f"{prefix}-{index}-{name}": value for name, value in values.items()}


def page_post(*shown, changes: dict) -> dict:
    """What a person sends from a page showing these unbound forms and formsets, after
    filling in `changes` (field name as on the page, with its prefix → value). Untouched
    fields send what the page showed; a name the page does not show is refused, so a
    slip in the demo data cannot be silently ignored."""
    widgets = {}
    data = {}
    for form in _each_form(shown):
        for bound in form:
            widgets[bound.html_name] = bound.field.widget
            if not isinstance(bound.field, forms.FileField):
                _post(data, bound.html_name, bound.field.widget, bound.value())
    unknown = sorted(set(changes) - set(widgets))
    if unknown:
        raise DemoDataRefused(f"The page has no field {', '.join(unknown)}.")
    for name, value in changes.items():
        data.pop(name, None)
        _post(data, name, widgets[name], value)
    return data


def _each_form(shown):
    for item in shown:
        if isinstance(item, BaseFormSet):
            yield item.management_form
            yield from item.forms
        else:
            yield item


def _post(data: dict, name: str, widget, value) -> None:
    """Put `value` into `data` the way a browser sends the field."""
    if isinstance(widget, forms.CheckboxInput):
        if value:
            data[name] = "on"  # an unticked box is not sent at all
    elif isinstance(value, (list, tuple, models.QuerySet)):
        data[name] = [_as_text(item) for item in value]
    else:
        data[name] = _as_text(value)


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def check(*bound) -> None:
    """Every form and formset accepts its data, as on the page; otherwise say why."""
    problems = []
    for item in bound:
        if not item.is_valid():
            extra = item.non_form_errors() if isinstance(item, BaseFormSet) else ""
            problems.append(f"{type(item).__name__}: {item.errors} {extra}".strip())
    if problems:
        raise DemoDataRefused("; ".join(problems))
