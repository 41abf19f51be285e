"""JSON bodies turned into the pages' own forms, so a write through the API meets every
rule of the page with the page's own message.

A field the body leaves out takes the value the page's form would show (its initial
value: the record's current value, or the default a new record starts with), as a
browser sends every field of the form it was shown. The errors come back by field,
as the page shows them next to the fields.
"""

import datetime
import decimal

from django import forms
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers

# Rows a list in a body (goals, obligations, follow-ups) may hold; a page has a handful.
MAX_ROWS = 100


class BodyRefused(Exception):
    """The body cannot be read as the form's fields; `errors` are by field."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _is_multiple(field) -> bool:
    return isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date | decimal.Decimal | int | float | str):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    raise TypeError(value)


def _initial(form, name):
    """What the unbound form shows in the field (BoundField.value() of an unbound form)."""
    value = form[name].value()
    return value() if callable(value) else value


def fill(data: QueryDict, form, payload: dict, *, skip=()) -> dict:
    """Put the payload's values for the form's fields into `data`, under the form's
    prefix; returns the errors of values of the wrong shape."""
    errors = {}
    for name, field in form.fields.items():
        if name in skip or isinstance(field, forms.FileField):
            continue
        key = form.add_prefix(name)
        value = payload[name] if name in payload else _initial(form, name)
        if isinstance(field, forms.BooleanField):
            if value is True or (isinstance(value, str) and value.lower() in ("true", "on")):
                data[key] = "on"
            elif value not in (None, False, "") and not (
                isinstance(value, str) and value.lower() == "false"
            ):
                errors[name] = [_("Send true or false.")]
            continue
        try:
            if _is_multiple(field):
                if value is None:
                    value = []
                if not isinstance(value, list | tuple):
                    errors[name] = [_("Send a list.")]
                    continue
                data.setlist(key, [_as_text(item) for item in value])
            else:
                if isinstance(value, list | tuple | dict):
                    errors[name] = [_("Send a single value, not a list or an object.")]
                    continue
                data[key] = _as_text(value)
        except TypeError:
            errors[name] = [_("Send a single value, not a list or an object.")]
    return errors


def formset_data(data: QueryDict, formset, rows) -> list:
    """The management form and one set of fields per row; returns the errors by row."""
    if rows is None:
        rows = []
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise BodyRefused({formset.prefix: [_("Send a list of objects.")]})
    if len(rows) > MAX_ROWS:
        raise BodyRefused(
            {formset.prefix: [_("Send at most %(count)s rows.") % {"count": MAX_ROWS}]}
        )
    management = formset.management_form
    data[management.add_prefix("TOTAL_FORMS")] = str(len(rows))
    data[management.add_prefix("INITIAL_FORMS")] = "0"
    row_errors = []
    for index, row in enumerate(rows):
        form = formset._construct_form(index)
        row_errors.append(fill(data, form, row, skip=("DELETE", "id", formset.fk.name)))
    return row_errors if any(row_errors) else []


def errors_of(form) -> dict:
    return {
        ("non_field_errors" if field == "__all__" else field): [str(error) for error in errors]
        for field, errors in form.errors.items()
    }


def formset_errors(formset) -> list | None:
    rows = [errors_of(form) for form in formset.forms]
    if formset.non_form_errors():
        rows.append({"non_field_errors": [str(error) for error in formset.non_form_errors()]})
    return rows if any(rows) else None


def require_object(payload) -> dict:
    if not isinstance(payload, dict):
        raise BodyRefused({"non_field_errors": [_("Send a JSON object.")]})
    return payload


def _serializer_field(field: forms.Field, *, required: bool):
    options = {"required": required, "help_text": field.help_text or None}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **options)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not field.required, **options)
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.ListField(
            child=serializers.ChoiceField(choices=field.choices), **options
        )
    if isinstance(field, forms.TypedChoiceField) and field.coerce is int:
        values = [value for value, _label in field.choices if value != ""]
        return serializers.IntegerField(
            allow_null=not field.required, min_value=min(values), max_value=max(values), **options
        )
    if isinstance(field, forms.ChoiceField):
        choices = [(value, label) for value, label in field.choices if value != ""]
        return serializers.ChoiceField(choices=choices, allow_blank=not field.required, **options)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**options)
    if isinstance(field, forms.DateField):
        return serializers.DateField(allow_null=not field.required, **options)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            allow_null=not field.required,
            coerce_to_string=False,
            **options,
        )
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(allow_null=not field.required, **options)
    return serializers.CharField(
        allow_blank=not field.required, max_length=getattr(field, "max_length", None), **options
    )


def request_serializer(name: str, form_class, *, exclude=(), optional=(), extra=None):
    """A serializer that describes, for the schema, the body a form is built from: the
    same fields, required where the form requires them and has no value to start with.
    Only documentation: the form itself validates."""
    attributes = {
        field_name: _serializer_field(field, required=field.required and field_name not in optional)
        for field_name, field in form_class.base_fields.items()
        if field_name not in exclude and not isinstance(field, forms.FileField)
    }
    attributes.update(extra or {})
    return type(name, (serializers.Serializer,), attributes)
