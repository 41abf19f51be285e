"""The amendment form: what it changes and why, from when, and the proposed terms,
goals and obligations, each starting from the terms it amends. The rules that look at
the whole proposal are agreements.amendments.proposal_problems(); the forms check
each field."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.amendments import effective_date_problem
from agreements.forms import (
    GOAL_ERROR_MESSAGES,
    GOAL_WIDGETS,
    OBLIGATION_ERROR_MESSAGES,
    OBLIGATION_WIDGETS,
    GoalTermsMixin,
)
from agreements.models import (
    AMENDABLE_TERMS,
    Amendment,
    AmendmentChange,
    AmendmentGoal,
    AmendmentObligation,
    AmendmentType,
    Fulfilment,
    Goal,
    Obligation,
)
from core.forms import DateInput, refuse_negative
from core.versioning import VersionField


def period_is_fixed_message(agreement) -> str:
    return _(
        "The period cannot be amended: it stays %(start)s – %(end)s. To end the agreement "
        "earlier, terminate it; to continue after its end date, renew it (a new agreement)."
    ) % {
        "start": date_format(agreement.start_date, "SHORT_DATE_FORMAT"),
        "end": date_format(agreement.end_date, "SHORT_DATE_FORMAT"),
    }


class AmendmentForm(forms.ModelForm):
    types = forms.MultipleChoiceField(
        label=gettext_lazy("What it changes"),
        choices=AmendmentType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose what the amendment changes.")},
    )
    # Shown so that the form says the period is fixed; a changed date is refused.
    start_date = forms.DateField(
        label=gettext_lazy("Start date"),
        required=False,
        widget=DateInput(attrs={"readonly": True}),
    )
    end_date = forms.DateField(
        label=gettext_lazy("End date"),
        required=False,
        widget=DateInput(attrs={"readonly": True}),
        help_text=gettext_lazy("Fixed: the period is never amended."),
    )
    edit_version = VersionField()

    class Meta:
        model = Amendment
        fields = ["effective_date", "reason", *AMENDABLE_TERMS]
        widgets = {
            "effective_date": DateInput,
            "reason": forms.Textarea(attrs={"rows": 3}),
            "payment_terms": forms.Textarea(attrs={"rows": 2}),
            "marketing_contributions": forms.Textarea(attrs={"rows": 3}),
            "conduct": forms.Textarea(attrs={"rows": 3}),
            "exchange": forms.Textarea(attrs={"rows": 3}),
            "termination_terms": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "effective_date": gettext_lazy(
                "The amended terms apply from this day: not before the approval, not after "
                "the end date. Until then the current terms apply."
            ),
            "reason": gettext_lazy("Why the terms change, for the approver and the record."),
        }
        error_messages = {
            "effective_date": {
                "required": gettext_lazy("Give the date the amendment takes effect.")
            },
            "reason": {"required": gettext_lazy("Give the reason for the amendment.")},
        }

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.fields["types"].initial = self.instance.types
        self.fields["start_date"].initial = agreement.start_date
        self.fields["end_date"].initial = agreement.end_date
        self.fields["edit_version"].initial = self.instance.version
        self.fields["reason"].strip = True
        refuse_negative(self, "economic_amount", _("The economic contribution cannot be negative."))

    def _fixed(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and value != getattr(self.agreement, name):
            raise forms.ValidationError(period_is_fixed_message(self.agreement))
        return value

    def clean_effective_date(self):
        """Said at once, with the other fields' errors (the save asks the rule again)."""
        day = self.cleaned_data.get("effective_date")
        problem = effective_date_problem(self.agreement, day, today=timezone.localdate())
        if day is not None and problem:
            raise forms.ValidationError(problem)
        return day

    def clean_start_date(self):
        return self._fixed("start_date")

    def clean_end_date(self):
        return self._fixed("end_date")


class _ProposedRowsFormSet(forms.BaseFormSet):
    """Each current goal or obligation appears at most once."""

    row_field = ""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            row = getattr(form, "cleaned_data", {}).get(self.row_field)
            if row is None:
                continue
            if row.pk in seen:
                raise forms.ValidationError(_("The same row appears twice. Reload the form."))
            seen.add(row.pk)


class AmendedGoalForm(GoalTermsMixin, forms.ModelForm):
    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = AmendmentGoal
        fields = list(AmendmentGoal.TERM_FIELDS)
        widgets = GOAL_WIDGETS
        error_messages = GOAL_ERROR_MESSAGES

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = rows


class AmendedGoalFormSet(_ProposedRowsFormSet):
    row_field = "goal"


class AmendedObligationForm(forms.ModelForm):
    obligation = forms.ModelChoiceField(
        queryset=Obligation.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = AmendmentObligation
        fields = list(AmendmentObligation.TERM_FIELDS)
        widgets = OBLIGATION_WIDGETS
        error_messages = OBLIGATION_ERROR_MESSAGES

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].queryset = rows


class AmendedObligationFormSet(_ProposedRowsFormSet):
    row_field = "obligation"


GoalChangesFormSet = forms.formset_factory(
    AmendedGoalForm, formset=AmendedGoalFormSet, extra=1, can_delete=True
)
ObligationChangesFormSet = forms.formset_factory(
    AmendedObligationForm, formset=AmendedObligationFormSet, extra=2, can_delete=True
)


def _initial_rows(current_rows, stored_changes, row_field, model):
    """One row per current goal or obligation, as the amendment proposes it so far, then
    the rows it adds."""
    by_row = {
        getattr(c, f"{row_field}_id"): c for c in stored_changes if getattr(c, f"{row_field}_id")
    }
    initial = []
    for row in current_rows:
        change = by_row.get(row.pk)
        source = change if change and change.change == AmendmentChange.CHANGED else row
        values = {name: getattr(source, name) for name in model.TERM_FIELDS}
        values[row_field] = row.pk
        values["DELETE"] = bool(change and change.change == AmendmentChange.REMOVED)
        initial.append(values)
    for change in stored_changes:
        if change.change == AmendmentChange.ADDED:
            initial.append({name: getattr(change, name) for name in model.TERM_FIELDS})
    return initial


def amendment_formsets(data, *, base, amendment):
    """The goal and obligation formsets of an amendment of the terms version `base`.
    Obligations already followed up are not amended, so only open ones are offered."""
    goals = Goal.objects.in_version(base)
    obligations = Obligation.objects.in_version(base).filter(fulfilment=Fulfilment.OPEN)
    stored_goals = list(amendment.goal_changes.all()) if amendment.pk else []
    stored_obligations = list(amendment.obligation_changes.all()) if amendment.pk else []
    goal_formset = GoalChangesFormSet(
        data,
        prefix="goals",
        initial=_initial_rows(list(goals), stored_goals, "goal", AmendmentGoal),
        form_kwargs={"rows": goals},
    )
    obligation_formset = ObligationChangesFormSet(
        data,
        prefix="obligations",
        initial=_initial_rows(
            list(obligations.order_by("side", "id")),
            stored_obligations,
            "obligation",
            AmendmentObligation,
        ),
        form_kwargs={"rows": obligations},
    )
    return goal_formset, obligation_formset


class WithdrawForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Why it is withdrawn"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say why the amendment is withdrawn.")},
    )
