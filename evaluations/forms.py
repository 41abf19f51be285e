from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateInput, DecimalInput
from core.validators import DOCUMENT_EXTENSIONS, DocumentValidator, refuse_control_characters
from core.versioning import VersionField
from evaluations.models import Achievement, Evaluation
from evaluations.services import prefill_text

RATING_CHOICES = [("", "–")] + [(n, str(n)) for n in range(1, 6)]


class EvaluationForm(forms.ModelForm):
    edit_version = VersionField()
    overall_rating = forms.TypedChoiceField(
        label=gettext_lazy("Overall rating (1–5)"),
        choices=RATING_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
    )
    attachment = forms.FileField(
        label=gettext_lazy("Attach a file"),
        required=False,
        validators=[DocumentValidator((*DOCUMENT_EXTENSIONS, "png", "jpg", "jpeg"))],
        help_text=gettext_lazy(
            "The partner's report or survey results: PDF, Word, Excel, OpenDocument or an image."
        ),
    )
    # Not a model form field: the attachment row is written by the service.
    attachment_description = forms.CharField(
        label=gettext_lazy("What the file is"),
        max_length=200,
        required=False,
        validators=[refuse_control_characters],
    )

    class Meta:
        model = Evaluation
        fields = [
            "evaluator",
            "held_on",
            "participants",
            "amount_spent",
            "resources_description",
            "partner_report_received",
            "target_group_involvement",
            "values_upheld",
            "lessons_learned",
            "overall_rating",
            "recommendation",
        ]
        widgets = {
            "held_on": DateInput,
            "participants": forms.Textarea(attrs={"rows": 2}),
            "resources_description": forms.Textarea(attrs={"rows": 3}),
            "target_group_involvement": forms.Textarea(attrs={"rows": 3}),
            "lessons_learned": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        from partnerships.selectors import staff_users

        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = staff_users()
        self.fields["edit_version"].initial = self.instance.version
        self.fields["amount_spent"].widget.attrs["min"] = "0"
        mark_partner_values(self, self.instance.partner_report_values or {})

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on and held_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return held_on

    def clean_amount_spent(self):
        amount = self.cleaned_data["amount_spent"]
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return amount

    def attachment_data(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        return {"file": upload, "description": self.cleaned_data.get("attachment_description", "")}


def mark_partner_values(form, prefilled: dict, names=None) -> None:
    """Mark each field that still holds what the partner's accepted report filled in
    (evaluations.services.evaluation_prefill_from_partner); _field.html shows it."""
    for name, value in prefilled.items():
        field_name = (names or {}).get(name, name)
        field = form.fields.get(field_name)
        if field is not None and not isinstance(value, dict):
            current = form.initial.get(field_name, field.initial)
            if prefill_text(current) == value:
                field.from_partner_report = True


class GoalResultsForm(forms.Form):
    """One row a goal: measured value (quantitative) or assessment (qualitative),
    achievement level and comment. All optional in a draft; completing checks them."""

    ACHIEVEMENT_CHOICES = [("", "–"), *Achievement.choices]

    def __init__(self, *args, goals, results=None, prefilled=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        existing = {result.goal_id: result for result in (results or [])}
        self._prefilled = prefilled or {}
        for goal in self.goals:
            result = existing.get(goal.pk)
            if goal.kind == "quantitative":
                self.fields[f"measured_{goal.pk}"] = forms.DecimalField(
                    label=_("Measured value (%(unit)s)") % {"unit": goal.unit},
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                    widget=DecimalInput,
                    initial=result.measured_value if result else None,
                )
            else:
                self.fields[f"assessment_{goal.pk}"] = forms.CharField(
                    label=_("Assessment"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=result.assessment if result else "",
                )
            self.fields[f"achievement_{goal.pk}"] = forms.ChoiceField(
                label=_("Achievement"),
                choices=self.ACHIEVEMENT_CHOICES,
                required=False,
                initial=result.achievement if result else "",
            )
            self.fields[f"comment_{goal.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=result.comment if result else "",
            )
            mark_partner_values(
                self,
                self._prefilled.get(str(goal.pk), {}),
                names={
                    "measured_value": f"measured_{goal.pk}",
                    "assessment": f"assessment_{goal.pk}",
                },
            )

    def rows(self):
        """(goal, value field, achievement field, comment field) for the template."""
        rows = []
        for goal in self.goals:
            value_name = (
                f"measured_{goal.pk}" if goal.kind == "quantitative" else f"assessment_{goal.pk}"
            )
            rows.append(
                (goal, self[value_name], self[f"achievement_{goal.pk}"], self[f"comment_{goal.pk}"])
            )
        return rows

    def results(self):
        """(goal, field values for GoalResult) for every goal."""
        for goal in self.goals:
            data = self.cleaned_data
            yield (
                goal,
                {
                    "measured_value": data.get(f"measured_{goal.pk}"),
                    "assessment": data.get(f"assessment_{goal.pk}", ""),
                    "achievement": data.get(f"achievement_{goal.pk}", ""),
                    "comment": data.get(f"comment_{goal.pk}", ""),
                },
            )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is reopened"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Give the reason for reopening.")},
    )
