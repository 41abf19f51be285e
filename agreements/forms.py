from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.approvals import ApprovalStatement, workflow_agreement
from agreements.models import (
    Agreement,
    Fulfilment,
    Goal,
    GoalKind,
    Obligation,
    ProgrammePeriod,
    Side,
    TerminationCause,
)
from core.forms import (
    DateInput,
    DecimalInput,
    PeriodFormMixin,
    StoredFileInput,
    YearField,
    refuse_negative,
)
from core.validators import refuse_implausible_day
from core.versioning import VersionField
from governance import selectors as governance_selectors
from partnerships.models import Partner
from partnerships.selectors import staff_users


class AgreementForm(PeriodFormMixin, forms.ModelForm):
    edit_version = VersionField()

    class Meta:
        model = Agreement
        fields = [
            "partner",
            "title",
            "agreement_type",
            "programme_period",
            "description",
            "responsible",
            "start_date",
            "end_date",
            "economic_amount",
            "currency",
            "payment_terms",
            "marketing_contributions",
            "conduct",
            "exchange",
            "termination_terms",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "payment_terms": forms.Textarea(attrs={"rows": 2}),
            "marketing_contributions": forms.Textarea(attrs={"rows": 3}),
            "conduct": forms.Textarea(attrs={"rows": 3}),
            "exchange": forms.Textarea(attrs={"rows": 3}),
            "termination_terms": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "partner": {"required": _("Choose the partner.")},
            "title": {"required": _("Give the agreement a title.")},
            "agreement_type": {"required": _("Choose the partnership type.")},
            "responsible": {"required": _("Choose who is responsible.")},
            "start_date": {"required": _("Give the start date.")},
            "end_date": {"required": _("Give the end date. Every agreement has a fixed end date.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partners = Partner.objects.active()
        if self.instance.partner_id:
            partners = Partner.objects.filter(pk=self.instance.partner_id) | partners
        self.fields["partner"].queryset = partners.order_by("name")
        self.fields["responsible"].queryset = staff_users()
        self.fields["edit_version"].initial = self.instance.version
        refuse_negative(self, "economic_amount", _("The economic contribution cannot be negative."))


GOAL_WIDGETS = {
    "description": forms.Textarea(attrs={"rows": 2}),
    "baseline": DecimalInput,
    "target_value": DecimalInput,
    "expected_outcome": forms.Textarea(attrs={"rows": 2}),
    "assessment_method": forms.Textarea(attrs={"rows": 2}),
}
GOAL_ERROR_MESSAGES = {
    "description": {"required": _("Describe the goal.")},
    "kind": {"required": _("Choose whether the goal is quantitative or qualitative.")},
}


class GoalTermsMixin:
    """What a goal needs by kind, next to each missing field (a goal's form and the form
    of a goal an amendment proposes)."""

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == GoalKind.QUANTITATIVE:
            required = {
                "indicator": _("A quantitative goal needs an indicator."),
                "baseline": _("Give the baseline (the value today)."),
                "target_value": _("Give the target value."),
                "unit": _("Give the unit, for example “participants”."),
            }
        elif kind == GoalKind.QUALITATIVE:
            required = {
                "expected_outcome": _("Describe the expected outcome."),
                "assessment_method": _("Say how the outcome will be judged."),
            }
        else:
            required = {}
        for field, message in required.items():
            if cleaned.get(field) in (None, "") and field not in self.errors:
                self.add_error(field, message)
        return cleaned


class GoalForm(GoalTermsMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = list(Goal.TERM_FIELDS)
        widgets = GOAL_WIDGETS
        error_messages = GOAL_ERROR_MESSAGES


OBLIGATION_WIDGETS = {"due_date": DateInput, "description": forms.Textarea(attrs={"rows": 2})}
OBLIGATION_ERROR_MESSAGES = {
    "description": {"required": _("Describe the obligation.")},
    "category": {"required": _("Choose a category.")},
}


class ObligationForm(forms.ModelForm):
    class Meta:
        model = Obligation
        fields = list(Obligation.TERM_FIELDS)
        widgets = OBLIGATION_WIDGETS
        error_messages = OBLIGATION_ERROR_MESSAGES


GoalFormSet = inlineformset_factory(Agreement, Goal, form=GoalForm, extra=2, can_delete=True)
ObligationFormSet = inlineformset_factory(
    Agreement, Obligation, form=ObligationForm, extra=4, can_delete=True
)

# Empty obligation rows start with a side chosen, two for each side.
NEW_OBLIGATION_ROWS = [
    {"side": Side.OURS},
    {"side": Side.OURS},
    {"side": Side.PARTNER},
    {"side": Side.PARTNER},
]


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What must change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a comment that tells the author what to change.")},
    )


class TerminateForm(forms.Form):
    terminated_on = forms.DateField(
        label=_("Takes effect on"),
        widget=DateInput,
        validators=[refuse_implausible_day],
        help_text=_("Immediate by default. The date cannot be in the future."),
    )
    termination_cause = forms.ChoiceField(
        label=_("Cause"),
        choices=[("", "–"), *TerminationCause.choices],
        error_messages={"required": _("Choose the cause of the termination.")},
    )
    comment = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for the termination.")},
    )
    cited_incidents = forms.ModelMultipleChoiceField(
        label=_("Incidents that are the cause"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the partner's incidents this termination is based on, if any."),
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terminated_on"].initial = timezone.localdate()
        incidents = governance_selectors.citable_incidents(agreement.partner)
        self.fields["cited_incidents"].queryset = incidents
        self.fields["cited_incidents"].label_from_instance = _incident_label
        if not incidents.exists():
            del self.fields["cited_incidents"]


def _incident_label(incident) -> str:
    return "%(incident)s: %(category)s, %(severity)s (%(status)s)" % {
        "incident": incident,
        "category": incident.get_category_display(),
        "severity": incident.get_severity_display().lower(),
        "status": incident.get_status_display().lower(),
    }


class ApproveForm(forms.Form):
    """What the approving manager states: no personal or financial interest in the
    partner (or the interest, and so no approval), and each serious incident on the
    partner that is not closed acknowledged, one by one."""

    NO_INTEREST = "none"
    INTEREST = "interest"

    conflict = forms.ChoiceField(
        label=_("Conflict of interest"),
        choices=[
            (NO_INTEREST, _("I have no personal or financial interest in this partner.")),
            (
                INTEREST,
                _("I have an interest in this partner (I stand aside; another manager approves)."),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Declare whether you have a personal or financial interest in this partner."
            )
        },
    )
    interest = forms.CharField(
        label=_("The interest"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a relative works for the partner; I sit on its board."),
    )
    acknowledged_incidents = forms.ModelMultipleChoiceField(
        label=_("Serious incidents not closed"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("I have read each of these and approve the agreement knowing of them."),
    )

    def __init__(self, *args, record, **kwargs):
        """`record`: the agreement or the amendment to approve."""
        super().__init__(*args, **kwargs)
        partner = workflow_agreement(record).partner
        self.incidents = governance_selectors.serious_unresolved_incidents(partner)
        field = self.fields["acknowledged_incidents"]
        if self.incidents:
            field.queryset = partner.incidents.filter(
                pk__in=[incident.pk for incident in self.incidents]
            )
            field.label_from_instance = _incident_label
        else:
            del self.fields["acknowledged_incidents"]

    @property
    def declares_interest(self) -> bool:
        return self.cleaned_data.get("conflict") == self.INTEREST

    def clean(self):
        cleaned = super().clean()
        if self.declares_interest:
            if not cleaned.get("interest", "").strip():
                self.add_error("interest", _("Describe the interest you declare."))
        elif "acknowledged_incidents" in self.fields and "acknowledged_incidents" in cleaned:
            if len(cleaned["acknowledged_incidents"]) != len(self.incidents):
                self.add_error(
                    "acknowledged_incidents",
                    _("Tick each serious incident to acknowledge that you have read it."),
                )
        return cleaned

    def statement(self) -> ApprovalStatement:
        return ApprovalStatement(
            no_conflict_of_interest=self.cleaned_data.get("conflict") == self.NO_INTEREST,
            acknowledged_incidents=tuple(
                incident.pk for incident in self.cleaned_data.get("acknowledged_incidents", [])
            ),
        )


class ObligationOutcomeForm(forms.ModelForm):
    """Whether an obligation was fulfilled: the date, a note and optional evidence."""

    edit_version = VersionField()

    fulfilment = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Fulfilment.FULFILLED, Fulfilment.FULFILLED.label),
            (Fulfilment.NOT_FULFILLED, Fulfilment.NOT_FULFILLED.label),
            (Fulfilment.OPEN, _("Open (not yet followed up)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the obligation was fulfilled.")},
    )

    class Meta:
        model = Obligation
        fields = ["fulfilment", "fulfilled_on", "fulfilment_note", "fulfilment_evidence"]
        widgets = {
            "fulfilled_on": DateInput,
            "fulfilment_note": forms.Textarea(attrs={"rows": 3}),
            "fulfilment_evidence": StoredFileInput,
        }
        labels = {"fulfilled_on": _("Fulfilled on")}
        help_texts = {
            "fulfilled_on": _("When the obligation was met."),
            "fulfilment_note": _("What was done, or why it was not."),
            "fulfilment_evidence": _(
                "Optional: a receipt, report or photo (PDF, Office, PNG or JPEG)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.version
        if self.instance.fulfilment == Fulfilment.ENDED_BY_TERMINATION:
            self.initial["fulfilment"] = Fulfilment.NOT_FULFILLED
        if not self.initial.get("fulfilled_on"):
            self.initial["fulfilled_on"] = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("fulfilment")
        day = cleaned.get("fulfilled_on")
        if outcome == Fulfilment.FULFILLED:
            if day is None and "fulfilled_on" not in self.errors:
                self.add_error("fulfilled_on", _("Give the date the obligation was fulfilled."))
            elif day and day > timezone.localdate():
                self.add_error("fulfilled_on", _("The date cannot be in the future."))
        if outcome == Fulfilment.NOT_FULFILLED and not cleaned.get("fulfilment_note", "").strip():
            self.add_error(
                "fulfilment_note", _("Say briefly why the obligation was not fulfilled.")
            )
        if outcome != Fulfilment.FULFILLED:
            cleaned["fulfilled_on"] = None
        return cleaned


class SignedAgreementForm(forms.ModelForm):
    """The signed copy of an approved agreement and the day it was signed. Nothing of
    the terms is on this form: they stay locked."""

    edit_version = VersionField()

    class Meta:
        model = Agreement
        fields = ["signed_document", "signed_on"]
        widgets = {"signed_document": StoredFileInput, "signed_on": DateInput}
        labels = {"signed_document": _("Signed agreement (PDF)")}
        help_texts = {"signed_document": _("The scanned or digitally signed PDF.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.version
        self.fields["signed_on"].required = True
        self.fields["signed_on"].error_messages["required"] = _("Give the day it was signed.")
        document = self.fields["signed_document"]
        # A first filing needs the file; a replacement may only correct the date.
        document.required = not self.instance.signed_document
        document.widget.is_required = True  # a filed copy is replaced, never removed
        document.error_messages["required"] = _("Choose the signed PDF.")
        if self.instance.signed_document:
            document.help_text = _("Choose a file only to replace the current one.")

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def new_document(self):
        """The uploaded file, or None when the current copy is kept."""
        document = self.cleaned_data.get("signed_document")
        return document if isinstance(document, UploadedFile) else None


class ProgrammePeriodForm(PeriodFormMixin, forms.ModelForm):
    edit_version = VersionField()

    class Meta:
        model = ProgrammePeriod
        fields = ["name", "start_date", "end_date", "annual_budget"]
        widgets = {"start_date": DateInput, "end_date": DateInput}
        error_messages = {
            "name": {"required": _("Give the programme period a name.")},
            "start_date": {"required": _("Give the start date.")},
            "end_date": {"required": _("Give the end date.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.version
        refuse_negative(self, "annual_budget", _("The budget cannot be negative."))


class BudgetYearForm(forms.Form):
    """The year whose largest shares the budget page shows."""

    year = YearField(label=_("Year"))
