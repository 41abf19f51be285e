from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's own date picker, shown in the user's locale; the value is ISO."""

    input_type = "date"

    def __init__(self, attrs=None):
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
