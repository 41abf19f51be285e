from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateInput


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What will use it, for example “finance system”."),
        error_messages={"required": gettext_lazy("Give the token a name.")},
    )
    last_day = forms.DateField(
        label=gettext_lazy("Works until"),
        required=False,
        widget=DateInput,
        help_text=gettext_lazy(
            "Optional: the last day the token works. Leave empty for a token that works "
            "until you revoke it."
        ),
    )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_last_day(self):
        day = self.cleaned_data["last_day"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("The last day cannot be in the past."))
        return day
