from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker, shown in the user's locale; the value is ISO."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
