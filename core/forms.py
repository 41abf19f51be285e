from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's own date picker, shown in the user's locale; the value is ISO."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
