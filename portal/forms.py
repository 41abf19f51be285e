"""Forms of the partner portal (the partner's side) and of its staff pages."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateInput
from core.validators import (
    DOCUMENT_EXTENSIONS,
    DocumentValidator,
    refuse_control_characters,
    refuse_implausible_day,
)
from core.versioning import VersionField
from portal.models import (
    REPORT_ATTACHMENT_EXTENSIONS,
    SCORE_CHOICES,
    Commitment,
    ReviewOutcome,
    contribution_label,
)


class InvitationForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the invitation and of later emails"),
        choices=settings.LANGUAGES,
        error_messages={"required": gettext_lazy("Choose the language the contact reads.")},
    )

    def __init__(self, *args, partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partner is not None and "language" not in self.initial:
            self.initial["language"] = "sv" if partner.country == "SE" else "en"


class RevokeForm(forms.Form):
    """Nothing to fill in: the confirmation page's button posts it."""


class PartnerReportForm(forms.Form):
    """The partner's report on one period: a row per goal (a value in the goal's unit,
    or a description), a row per economic contribution (amount spent and how), target
    groups, lessons and an attachment. Everything may be empty in a draft; submitting
    checks it is complete (PartnerReport.completeness_problems)."""

    edit_version = VersionField()
    target_group_involvement = forms.CharField(
        label=gettext_lazy("How target groups and rights holders were involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Who took part, how they were heard and what they decided themselves."
        ),
    )
    lessons_learned = forms.CharField(
        label=gettext_lazy("Lessons learned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What worked, what did not, and what you will do differently."),
    )
    attachment = forms.FileField(
        label=gettext_lazy("Attach a file"),
        required=False,
        validators=[DocumentValidator(REPORT_ATTACHMENT_EXTENSIONS)],
        help_text=gettext_lazy(
            "Evidence or survey results: PDF, Word, Excel, OpenDocument or an image."
        ),
    )
    attachment_description = forms.CharField(
        label=gettext_lazy("What the file is"),
        max_length=200,
        required=False,
        validators=[refuse_control_characters],
    )
    remove_attachments = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Remove attached files"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, goals, lines, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        self.lines = list(lines)
        entries = {entry.goal_id: entry for entry in report.goal_entries.all()} if report else {}
        resources = (
            {line.obligation_id: line for line in report.resource_lines.all()} if report else {}
        )
        if report is not None:
            self.fields["edit_version"].initial = report.version
            self.fields["target_group_involvement"].initial = report.target_group_involvement
            self.fields["lessons_learned"].initial = report.lessons_learned
            removable = [a for a in report.attachments.all() if a.first_submitted_in is None]
            self.fields["remove_attachments"].choices = [(a.pk, str(a)) for a in removable]
        for goal in self.goals:
            entry = entries.get(goal.pk)
            if goal.kind == "quantitative":
                self.fields[f"achieved_{goal.pk}"] = forms.DecimalField(
                    label=_("Achieved (%(unit)s)") % {"unit": goal.unit},
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                    initial=entry.achieved_value if entry else None,
                )
            else:
                self.fields[f"text_{goal.pk}"] = forms.CharField(
                    label=_("What was achieved"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    initial=entry.description if entry else "",
                )
        for obligation in self.lines:
            key = _line_key(obligation)
            line = resources.get(obligation.pk if obligation else None)
            amount = forms.DecimalField(
                label=_("Amount spent"),
                required=False,
                max_digits=14,
                decimal_places=2,
                initial=line.amount_spent if line else None,
                min_value=0,
                error_messages={"min_value": _("The amount cannot be negative.")},
            )
            amount.widget.attrs["min"] = "0"
            self.fields[f"amount_{key}"] = amount
            self.fields[f"comment_{key}"] = forms.CharField(
                label=_("How it was used"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=line.comment if line else "",
            )

    def goal_rows(self):
        for goal in self.goals:
            name = f"achieved_{goal.pk}" if goal.kind == "quantitative" else f"text_{goal.pk}"
            yield goal, self[name]

    def resource_rows(self, agreement):
        for obligation in self.lines:
            key = _line_key(obligation)
            yield (
                contribution_label(obligation, agreement),
                self[f"amount_{key}"],
                self[f"comment_{key}"],
            )

    def goal_values(self) -> dict:
        data = self.cleaned_data
        return {
            goal.pk: {
                "achieved_value": data.get(f"achieved_{goal.pk}"),
                "description": data.get(f"text_{goal.pk}", ""),
            }
            for goal in self.goals
        }

    def resource_values(self) -> dict:
        data = self.cleaned_data
        return {
            (obligation.pk if obligation else None): {
                "amount_spent": data.get(f"amount_{_line_key(obligation)}"),
                "comment": data.get(f"comment_{_line_key(obligation)}", ""),
            }
            for obligation in self.lines
        }

    def attachment_data(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        return {"file": upload, "description": self.cleaned_data.get("attachment_description", "")}


def _line_key(obligation) -> str:
    return str(obligation.pk) if obligation else "whole"


class ReviewForm(forms.Form):
    """Staff decide on a submitted report."""

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (ReviewOutcome.ACCEPTED, gettext_lazy("Accept the report")),
            (ReviewOutcome.SENT_BACK, gettext_lazy("Send it back for changes")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose whether to accept the report or send it back.")
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("Comments to the partner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The partner sees them. Needed when you send the report back."),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == ReviewOutcome.SENT_BACK
            and not cleaned.get("comment", "").strip()
        ):
            self.add_error("comment", _("Write what the partner should change."))
        return cleaned


class DeclarationForm(forms.Form):
    """The partner's declaration: each part ticked, the routines attached, signed by name."""

    shares_values = forms.BooleanField(
        label=gettext_lazy("We share these values."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the shared values.")},
    )
    accepts_code_of_conduct = forms.BooleanField(
        label=gettext_lazy("We accept the code of conduct and follow it."),
        error_messages={"required": gettext_lazy("Tick the box to accept the code of conduct.")},
    )
    routines_documented = forms.BooleanField(
        label=gettext_lazy("We have documented financial and administrative routines."),
        error_messages={
            "required": gettext_lazy("Tick the box to confirm that your routines are documented.")
        },
    )
    routines_document = forms.FileField(
        label=gettext_lazy("The document that describes the routines"),
        validators=[DocumentValidator(DOCUMENT_EXTENSIONS)],
        help_text=gettext_lazy("PDF, Word, OpenDocument or Excel file."),
        error_messages={
            "required": gettext_lazy("Attach the document that describes the routines.")
        },
    )
    confirmed_name = forms.CharField(
        label=gettext_lazy("Your full name"),
        max_length=200,
        validators=[refuse_control_characters],
        help_text=gettext_lazy("You sign the declaration for your organisation with your name."),
        error_messages={"required": gettext_lazy("Write your full name to sign.")},
    )

    def clean_confirmed_name(self):
        name = " ".join(self.cleaned_data["confirmed_name"].split())
        if not name:
            raise forms.ValidationError(_("Write your full name to sign."))
        return name


class ProposalForm(forms.Form):
    """The partner says an obligation is fulfilled: when, what was done, and evidence."""

    fulfilled_on = forms.DateField(
        label=gettext_lazy("Fulfilled on"),
        widget=DateInput,
        validators=[refuse_implausible_day],
        error_messages={"required": gettext_lazy("Give the date the obligation was fulfilled.")},
    )
    note = forms.CharField(
        label=gettext_lazy("What was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Describe what was done.")},
    )
    evidence = forms.FileField(
        label=gettext_lazy("Evidence"),
        required=False,
        validators=[DocumentValidator((*DOCUMENT_EXTENSIONS, "png", "jpg", "jpeg"))],
        help_text=gettext_lazy("Optional: a receipt, report or photo (PDF, Office, PNG or JPEG)."),
    )

    def clean_fulfilled_on(self):
        day = self.cleaned_data["fulfilled_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("confirm", gettext_lazy("Confirm: the obligation is fulfilled")),
            ("reject", gettext_lazy("Reject: it is not fulfilled yet")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose whether to confirm or reject.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (the partner sees it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for rejecting."))
        return cleaned


class MutualReviewForm(forms.Form):
    """A score from 1 to 5 and a comment for each commitment."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for commitment in Commitment:
            self.fields[f"score_{commitment.value}"] = forms.TypedChoiceField(
                label=_("Score"),
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Give a score from 1 to 5.")},
            )
            self.fields[f"comment_{commitment.value}"] = forms.CharField(
                label=_("Comment"),
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": _("Write a comment: what makes you give this score?")},
            )

    def rows(self):
        for commitment in Commitment:
            yield (
                commitment.label,
                self[f"score_{commitment.value}"],
                self[f"comment_{commitment.value}"],
            )

    def ratings(self) -> dict:
        return {
            commitment.value: (
                self.cleaned_data[f"score_{commitment.value}"],
                self.cleaned_data[f"comment_{commitment.value}"],
            )
            for commitment in Commitment
        }
