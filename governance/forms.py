from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateInput
from core.versioning import VersionField
from governance.models import Incident, IncidentOutcome


class IncidentForm(forms.ModelForm):
    edit_version = VersionField()

    class Meta:
        model = Incident
        fields = ["agreement", "category", "severity", "description", "became_known_on", "source"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "became_known_on": DateInput,
        }
        error_messages = {
            "category": {"required": gettext_lazy("Choose the category.")},
            "severity": {"required": gettext_lazy("Choose how serious it is.")},
            "description": {"required": gettext_lazy("Describe what happened.")},
            "became_known_on": {"required": gettext_lazy("Give the day it became known.")},
            "source": {"required": gettext_lazy("Say who reported it.")},
        }

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partner = partner
        self.fields["agreement"].queryset = partner.agreements.order_by("-start_date", "-id")
        self.fields["agreement"].empty_label = _("None in particular")
        self.fields["edit_version"].initial = self.instance.version
        if not self.instance.pk:
            self.initial.setdefault("became_known_on", timezone.localdate())

    def clean_became_known_on(self):
        day = self.cleaned_data["became_known_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class IncidentReviewForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IncidentCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=IncidentOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the outcome.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("What was found and done"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Say what was found and what was done.")},
    )
