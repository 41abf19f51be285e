from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template.loader import render_to_string
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.dates import EARLIEST_DAY, LATEST_DAY


class DateInput(forms.DateInput):
    """The browser's own date picker, shown in the user's locale; the value is ISO.
    It offers only the dates the app accepts (core.validators.refuse_implausible_day)."""

    input_type = "date"

    def __init__(self, attrs=None):
        attrs = {"min": EARLIEST_DAY.isoformat(), "max": LATEST_DAY.isoformat(), **(attrs or {})}
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DecimalInput(forms.NumberInput):
    """A number field that shows 40 rather than 40.00 (the browser shows it in the
    user's locale; the value itself keeps the dot a number input needs)."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        return super().format_value(value)


class StoredFileInput(forms.ClearableFileInput):
    """A file input that names the stored file by the name it was uploaded with, never
    by its storage path (a long path also widened phone pages), and links nowhere:
    stored files are downloaded through their record's page."""

    template_name = "_stored_file_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        stored = context["widget"]["value"]
        if context["widget"]["is_initial"]:
            context["widget"]["file_name"] = str(stored.name).rsplit("/", 1)[-1]
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # Our project template, not the form renderer's (which sees only Django's own).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class PeriodFormMixin:
    """For model forms with start_date and end_date: the end comes after the start."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The end date must be after the start date."))
        return cleaned


def refuse_negative(form, field: str, message) -> None:
    """An amount field that cannot be negative: the browser is told, the server checks."""
    form.fields[field].widget.attrs["min"] = "0"
    form.fields[field].validators.append(MinValueValidator(0, message=message))


class _BoundedIntegerField(forms.IntegerField):
    """A whole number between two bounds, with one message for every wrong value (text,
    a fraction, out of range), and the bounds given to the browser too."""

    def __init__(self, *, low: int, high: int, message, **kwargs):
        super().__init__(
            validators=[
                MinValueValidator(low, message=message),
                MaxValueValidator(high, message=message),
            ],
            error_messages={"invalid": message},
            **kwargs,
        )
        self.widget.attrs.update({"min": low, "max": high})


# The longest "within N days" a list asks for: ten years.
MAX_FILTER_DAYS = 3660


def _days_message():
    return _("Give a whole number of days from 0 to %(max)s.") % {"max": MAX_FILTER_DAYS}


def _year_message():
    # Years unformatted (2026, not 2 026) in every language.
    return _("Give a year from %(first)s to %(last)s.") % {
        "first": str(EARLIEST_DAY.year),
        "last": str(LATEST_DAY.year),
    }


# Translated when shown, in the language of that request.
DAYS_MESSAGE = lazy(_days_message, str)()
YEAR_MESSAGE = lazy(_year_message, str)()


class DaysField(_BoundedIntegerField):
    """A number of days from today ("ends within 90 days"); bounded, since the date
    that many days ahead must still be a date."""

    def __init__(self, **kwargs):
        super().__init__(low=0, high=MAX_FILTER_DAYS, message=DAYS_MESSAGE, **kwargs)


class YearField(_BoundedIntegerField):
    """A calendar year within the dates the app accepts (core.dates)."""

    def __init__(self, **kwargs):
        super().__init__(
            low=EARLIEST_DAY.year, high=LATEST_DAY.year, message=YEAR_MESSAGE, **kwargs
        )


def show_refusal(form, error: ValidationError, *, fields: dict | None = None) -> None:
    """Put a service's refusal on the form it answers: each message next to the field
    it is about, the rest above the form. `fields` names the form field for a model
    field the form does not show (a uniqueness key is about the name typed); a message
    is shown once per field."""
    fields = fields or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        name = fields.get(name, name)
        name = name if name in form.fields and name != NON_FIELD_ERRORS else None
        shown = form.errors.get(name or NON_FIELD_ERRORS, [])
        for message in ValidationError(errors).messages:
            if message not in shown:  # a key and its field may both say it
                form.add_error(name, message)
