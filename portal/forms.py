"""Forms of the partner portal (the partner's side) and of its staff pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class InvitationForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the invitation and of later emails"),
        choices=settings.LANGUAGES,
        error_messages={"required": _("Choose the language the contact reads.")},
    )

    def __init__(self, *args, partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partner is not None and "language" not in self.initial:
            self.initial["language"] = "sv" if partner.country == "SE" else "en"


class RevokeForm(forms.Form):
    """Nothing to fill in: the confirmation page's button posts it."""
