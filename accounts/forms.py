from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts import sso
from core.forms import DateInput


class LoginForm(AuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if sso.staff_must_use_sso(user):
            raise forms.ValidationError(
                _(
                    "Staff sign in with their %(provider)s account: use “Sign in with %(provider)s”."
                ),
                code="use_sso",
                params={"provider": sso.provider_name()},
            )


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
            raise forms.ValidationError(gettext_now("The last day cannot be in the past."))
        return day
