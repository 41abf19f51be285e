from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts import sso


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
