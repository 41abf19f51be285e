import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.sources import SOURCES, Window
from core.forms import DateInput
from partnerships.models import Partner


class AuditFilterForm(forms.Form):
    """Which decisions: a range of days (this year so far unless asked), some kinds, one
    partner (by a link) or partners whose name matches."""

    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=DateInput,
        error_messages={"required": gettext_lazy("Give the first day.")},
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        widget=DateInput,
        error_messages={"required": gettext_lazy("Give the last day.")},
    )
    kind = forms.MultipleChoiceField(
        label=gettext_lazy("Decisions"),
        choices=[(source.kind, source.label) for source in SOURCES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every kind."),
    )
    partner_name = forms.CharField(
        label=gettext_lazy("Partner"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=gettext_lazy("Part of the name, organisation number or a contact's name."),
    )
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.all(), required=False, widget=forms.HiddenInput
    )

    @classmethod
    def from_request(cls, query):
        """Bound to the request's filters, with this year so far as the default range."""
        data = query.copy()
        today = timezone.localdate()
        data.setdefault("start", today.replace(month=1, day=1).isoformat())
        data.setdefault("end", today.isoformat())
        return cls(data)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day cannot be before the first."))
        return cleaned

    def window(self) -> Window:
        partner_ids = None
        if self.cleaned_data.get("partner"):
            partner_ids = frozenset([self.cleaned_data["partner"].pk])
        elif self.cleaned_data.get("partner_name", "").strip():
            partner_ids = frozenset(
                Partner.objects.search(self.cleaned_data["partner_name"]).values_list(
                    "pk", flat=True
                )
            )
        return Window(
            start=self.cleaned_data["start"], end=self.cleaned_data["end"], partner_ids=partner_ids
        )

    def kinds(self) -> list[str]:
        return self.cleaned_data.get("kind") or []

    def describe(self) -> str:
        """The filters in words, for the PDF report's heading."""
        window = self.window()
        parts = [f"{window.start.isoformat()} – {window.end.isoformat()}"]
        if self.kinds():
            labels = dict(self.fields["kind"].choices)
            parts.append(", ".join(str(labels[kind]) for kind in self.kinds()))
        if self.cleaned_data.get("partner"):
            parts.append(self.cleaned_data["partner"].name)
        elif self.cleaned_data.get("partner_name"):
            parts.append(
                _("partners matching “%(text)s”") % {"text": self.cleaned_data["partner_name"]}
            )
        return "; ".join(parts)


def local_time(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
