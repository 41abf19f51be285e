import functools

from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from core.forms import DateInput, StoredFileInput
from core.text import tidy_code
from core.validators import refuse_control_characters, refuse_implausible_day
from core.versioning import VersionField
from partnerships import selectors
from partnerships.models import (
    DialogueEntry,
    DialogueFollowUp,
    FocusArea,
    Partner,
    PartnerContact,
    Recommendation,
    SelectionCriterion,
    organisation_number_key,
    partner_name_key,
)


def _already_used_by(partner: Partner, what: str):
    return format_html(
        _('The partner <a href="{}">{}</a> already has this {}.'),
        partner.get_absolute_url(),
        partner.name,
        what,
    )


class PartnerForm(forms.ModelForm):
    edit_version = VersionField()
    risk_change_reason = forms.CharField(
        label=gettext_lazy("Why the risk level changes"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Needed when you change the risk level; kept in the partner's due-diligence record."
        ),
    )
    # An import file gives its own reason for every row (services.partners_import).
    asks_risk_reason = True

    class Meta:
        model = Partner
        fields = [
            "name",
            "organisation_number",
            "kind",
            "country",
            "website",
            "email",
            "phone",
            "street_address",
            "postal_code",
            "city",
            "description",
            "focus_areas",
            "responsible",
            "shares_values",
            "values_confirmed_on",
            "code_of_conduct_accepted_on",
            "financial_routines_documented",
            "financial_routines_document",
            "risk_level",
            "risk_note",
            "last_due_diligence_review_on",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "risk_note": forms.Textarea(attrs={"rows": 3}),
            "focus_areas": forms.CheckboxSelectMultiple,
            "values_confirmed_on": DateInput,
            "code_of_conduct_accepted_on": DateInput,
            "last_due_diligence_review_on": DateInput,
            "financial_routines_document": StoredFileInput,
        }
        error_messages = {
            "name": {"required": gettext_lazy("Give the partner's name.")},
            "kind": {"required": gettext_lazy("Choose the kind of organisation.")},
            "responsible": {"required": gettext_lazy("Choose who is responsible for the partner.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read before the form is checked: checking copies the new values onto it.
        self.stored_risk_level = self.instance.risk_level
        self.limit_choices()
        self.fields["edit_version"].initial = self.instance.version
        self.fields["risk_level"].choices = [("", _("Not assessed"))] + list(
            self.fields["risk_level"].choices
        )[1:]

    def limit_choices(self):
        """Who may be responsible for a partner, and the focus areas to choose from."""
        self.fields["responsible"].queryset = selectors.staff_users()
        self.fields["focus_areas"].queryset = FocusArea.objects.all()

    def clean_name(self):
        # Refused before the spaces are tidied, which would turn a line break into one.
        refuse_control_characters(self.cleaned_data["name"])
        name = " ".join(self.cleaned_data["name"].split())
        self.refuse_if_taken("name_key", partner_name_key(name), _("name"))
        return name

    def clean_organisation_number(self):
        number = tidy_code(self.cleaned_data["organisation_number"])
        if number:
            self.refuse_if_taken(
                "organisation_number_key",
                organisation_number_key(number),
                _("organisation number"),
            )
        return number

    def refuse_if_taken(self, field: str, value: str, what: str) -> None:
        """A name or an organisation number (judged by their keys) belongs to one
        partner only. The import form checks the same rule against the register read
        once for the whole file."""
        existing = Partner.objects.filter(**{field: value}).exclude(pk=self.instance.pk).first()
        if existing:
            raise forms.ValidationError(_already_used_by(existing, what), code="unique")

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for field in (
            "values_confirmed_on",
            "code_of_conduct_accepted_on",
            "last_due_diligence_review_on",
        ):
            value = cleaned.get(field)
            if value and value > today:
                self.add_error(field, _("The date cannot be in the future."))
        if cleaned.get("shares_values") and not cleaned.get("values_confirmed_on"):
            self.add_error(
                "values_confirmed_on", _("Give the date the partner confirmed our values.")
            )
        if not cleaned.get("shares_values"):
            cleaned["values_confirmed_on"] = None
        if (
            self.asks_risk_reason
            and "risk_level" in cleaned
            and cleaned["risk_level"] != self.stored_risk_level
            and not cleaned.get("risk_change_reason", "").strip()
        ):
            self.add_error(
                "risk_change_reason",
                _("Say why the risk level changes from %(old)s to %(new)s.")
                % {
                    "old": self._risk_label(self.stored_risk_level),
                    "new": self._risk_label(cleaned["risk_level"]),
                },
            )
        if cleaned.get("financial_routines_documented") and not cleaned.get(
            "financial_routines_document"
        ):
            self.add_error(
                "financial_routines_document",
                _("Upload the document that describes the partner's routines."),
            )
        return cleaned

    def _risk_label(self, level: str) -> str:
        return str(dict(self.fields["risk_level"].choices).get(level, level)).lower()


class _ReadOnceChoiceField(forms.ModelChoiceField):
    """The choices of the partner form's field, read once for all rows of an import."""

    def __init__(self, *, replaces: forms.ModelChoiceField, objects: dict):
        super().__init__(
            queryset=replaces.queryset,
            required=replaces.required,
            label=replaces.label,
            error_messages=replaces.error_messages,
        )
        self.objects = objects

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.objects[int(value)]
        except (KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class _ReadOnceMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The choices of the partner form's field, read once for all rows of an import."""

    def __init__(self, *, replaces: forms.ModelMultipleChoiceField, objects: dict):
        super().__init__(
            queryset=replaces.queryset,
            required=replaces.required,
            label=replaces.label,
            error_messages=replaces.error_messages,
        )
        self.objects = objects

    def _check_values(self, value):
        chosen = []
        for pk in dict.fromkeys(value):
            try:
                chosen.append(self.objects[int(pk)])
            except (KeyError, TypeError, ValueError):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                ) from None
        return chosen


class _CountryCodeField(forms.CharField):
    """A country by its code, the same codes as the partner form's country field. That
    field copies and scans 250 translated names for every form; this is a set look-up."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages.setdefault(
            "invalid_choice", forms.ChoiceField.default_error_messages["invalid_choice"]
        )

    def validate(self, value):
        super().validate(value)
        if value and value not in _country_codes():
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


@functools.cache
def _country_codes() -> frozenset:
    return frozenset(countries.countries)


def _constraints_checked_when_written(exclude=None):
    return None


class _SharedFields(dict):
    """The fields of all row forms of one import, made once.

    A form copies its fields so that changing one form's field cannot change another
    form. Row forms only validate, and PartnerForm.__init__ sets the same values on
    every row, so they can share; copying 22 fields for every one of thousands of rows
    took half the time of checking them.
    """

    def __deepcopy__(self, memo):
        return dict(self)


class PartnerImportForm(PartnerForm):
    """One row of an import file, checked by the partner form's own rules.

    What differs is only where the answers come from, so that a file of thousands of
    rows costs no query a row: `register` holds the names and organisation numbers of
    the partners (read once) and of the file's earlier rows (see importing.checking._Register);
    `choices` holds the staff and focus areas the choice fields accept, read once.
    """

    country = _CountryCodeField(label=Partner._meta.get_field("country").verbose_name)
    asks_risk_reason = False

    def __init__(self, *args, register, choices: dict, shared_fields=None, **kwargs):
        self.register = register
        self.choices = choices
        if shared_fields is not None:
            self.base_fields = shared_fields  # copied by the form's __init__
        super().__init__(*args, **kwargs)
        # Each of the model's constraints is also a rule of this form (a choice, a clean
        # method, refuse_if_taken), and the database enforces them all when the rows are
        # written (services.partners_import). Asking the database for each one as well
        # would cost five queries a row.
        self.instance.validate_constraints = _constraints_checked_when_written

    @classmethod
    def fields_for_import(cls, *, choices: dict) -> _SharedFields:
        """Fields for all row forms of one import (pass them as `shared_fields`)."""
        return _SharedFields(cls(register=None, choices=choices).fields)

    def limit_choices(self):
        if isinstance(self.fields["responsible"], _ReadOnceChoiceField):
            return  # shared fields, limited once
        self.fields["responsible"] = _ReadOnceChoiceField(
            replaces=self.fields["responsible"], objects=self.choices["responsible"]
        )
        self.fields["focus_areas"] = _ReadOnceMultipleChoiceField(
            replaces=self.fields["focus_areas"], objects=self.choices["focus_areas"]
        )

    def _get_validation_exclusions(self):
        # The model would check these fields again after the form did: the responsible
        # person with a query a row, the country against 250 translated names.
        return super()._get_validation_exclusions() | {"responsible", "country"}

    def refuse_if_taken(self, field: str, value: str, what: str) -> None:
        holder = self.register.holder(field, value)
        if isinstance(holder, Partner):
            raise forms.ValidationError(_already_used_by(holder, what), code="unique")
        if holder is not None:
            raise forms.ValidationError(
                _("Row %(row)s of this file has the same %(what)s.")
                % {"row": holder, "what": what},
                code="unique_in_file",
            )


class PartnerImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        error_messages={"required": gettext_lazy("Choose the file to import.")},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        max_size = settings.PARTNER_IMPORT_MAX_SIZE
        if uploaded.size > max_size:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s; the largest allowed is %(max)s. Split it into smaller files."
                )
                % {"size": filesizeformat(uploaded.size), "max": filesizeformat(max_size)},
                code="file_too_large",
            )
        return uploaded


class ContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "role", "email", "phone"]
        error_messages = {"name": {"required": gettext_lazy("Give the contact person's name.")}}


ContactFormSet = inlineformset_factory(
    Partner, PartnerContact, form=ContactForm, extra=2, can_delete=True
)


class SelectionAssessmentForm(forms.Form):
    """Scores every criterion in use from 1 to 5, each with a justification."""

    SCORE_CHOICES = [("", "–")] + [(n, str(n)) for n in range(1, 6)]

    assessed_on = forms.DateField(
        label=gettext_lazy("Assessed on"), widget=DateInput, validators=[refuse_implausible_day]
    )
    recommendation = forms.ChoiceField(
        label=gettext_lazy("Overall recommendation"),
        choices=[("", "–"), *Recommendation.choices],
        error_messages={"required": gettext_lazy("Choose an overall recommendation.")},
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, criteria: list[SelectionCriterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.fields["assessed_on"].initial = timezone.localdate()
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("Score"),
                choices=self.SCORE_CHOICES,
                coerce=int,
                error_messages={"required": _("Give a score from 1 to 5.")},
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=_("Justification"),
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": _("Say briefly why you gave this score.")},
            )

    def criterion_rows(self):
        """(criterion, score field, justification field) for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"justification_{c.pk}"]) for c in self.criteria]

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def scores(self) -> list[tuple[SelectionCriterion, int, str]]:
        return [
            (
                c,
                self.cleaned_data[f"score_{c.pk}"],
                self.cleaned_data[f"justification_{c.pk}"],
            )
            for c in self.criteria
        ]


class DialogueEntryForm(forms.ModelForm):
    edit_version = VersionField()
    partner_contacts = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Partner's contact people"),
        queryset=PartnerContact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DialogueEntry
        fields = [
            "date",
            "kind",
            "agreement",
            "our_participants",
            "our_other_participants",
            "partner_participants",
            "topics",
            "learned",
        ]
        widgets = {
            "date": DateInput,
            "our_participants": forms.CheckboxSelectMultiple,
            "topics": forms.Textarea(attrs={"rows": 3}),
            "learned": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "date": {"required": gettext_lazy("Give the date of the conversation.")},
            "kind": {"required": gettext_lazy("Choose the kind of conversation.")},
            "topics": {"required": gettext_lazy("Say what the conversation was about.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partner = self.instance.partner
        self.fields["edit_version"].initial = self.instance.version
        self.fields["our_participants"].queryset = selectors.staff_users()
        self.fields["partner_contacts"].queryset = partner.contacts.all()
        self.fields["agreement"].queryset = partner.agreements.order_by("-start_date")
        self.fields["agreement"].empty_label = _("None in particular")
        if self.instance.pk:
            self.fields["partner_contacts"].initial = [
                row.contact_id for row in self.instance.partner_participant_rows.all()
            ]
        else:
            # The new entry's empty date would win over the field's initial value.
            self.initial["date"] = self.initial.get("date") or timezone.localdate()

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("The date cannot be in the future. Log a conversation once it has taken place.")
            )
        return value

    def removed_contact_names(self) -> list[str]:
        """Participants whose contact person was removed from the partner since."""
        if not self.instance.pk:
            return []
        return [
            row.name for row in self.instance.partner_participant_rows.all() if not row.contact_id
        ]


class DialogueFollowUpForm(forms.ModelForm):
    class Meta:
        model = DialogueFollowUp
        fields = ["description", "owner", "due_date"]
        widgets = {"due_date": DateInput}
        error_messages = {
            "description": {"required": gettext_lazy("Say what is to be done.")},
            "owner": {"required": gettext_lazy("Choose who sees to it.")},
            "due_date": {"required": gettext_lazy("Give a due date.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.staff_users()


class BaseDialogueFollowUpFormSet(forms.BaseInlineFormSet):
    """Follow-ups of an entry. Done ones are not offered for editing, and none is
    deleted: a follow-up that is no longer needed is marked done with a note."""

    def __init__(self, *args, entry_form=None, **kwargs):
        self.entry_form = entry_form
        kwargs.setdefault("queryset", DialogueFollowUp.objects.open())
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        entry_date = getattr(self.entry_form, "cleaned_data", {}).get("date")
        if entry_date is None:
            return
        for form in self.forms:
            due_date = form.cleaned_data.get("due_date")
            if due_date is not None and due_date < entry_date:
                form.add_error(
                    "due_date", _("The due date cannot be before the date of the conversation.")
                )


DialogueFollowUpFormSet = inlineformset_factory(
    DialogueEntry,
    DialogueFollowUp,
    form=DialogueFollowUpForm,
    formset=BaseDialogueFollowUpFormSet,
    extra=2,
    can_delete=False,
)


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Optional: a word on the outcome, kept with the follow-up."),
    )
