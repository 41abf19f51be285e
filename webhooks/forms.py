import secrets

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from webhooks.addresses import UnsafeTarget, vetted_addresses
from webhooks.models import EventType, WebhookEndpoint

SECRET_MIN_LENGTH = 16


class WebhookEndpointForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one event to send.")},
    )
    new_secret = forms.CharField(
        label=gettext_lazy("Secret"),
        required=False,
        min_length=SECRET_MIN_LENGTH,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "event_types", "is_active"]
        help_texts = {
            "url": gettext_lazy(
                "Starts with https://. Each event is sent here as a signed JSON POST."
            )
        }
        error_messages = {
            "name": {"required": gettext_lazy("Give the endpoint a name.")},
            "url": {"required": gettext_lazy("Give the address the events are sent to.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["name", "url", "new_secret", "event_types", "is_active"])
        secret = self.fields["new_secret"]
        if self.instance.pk is None:
            # A strong secret ready to copy; the manager may replace it with their own.
            secret.initial = secrets.token_urlsafe(32)
            secret.required = True
            secret.error_messages["required"] = _("Give the secret the requests are signed with.")
            secret.help_text = _(
                "Every request is signed with it (HMAC-SHA256); the receiving system "
                "checks the signature with the same secret. Copy it now: it is not shown again."
            )
        else:
            secret.help_text = _("Leave empty to keep the current secret.")

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            vetted_addresses(url)
        except UnsafeTarget as refused:
            raise forms.ValidationError(str(refused)) from None
        return url

    def save(self, commit=True):
        if self.cleaned_data.get("new_secret"):
            self.instance.secret = self.cleaned_data["new_secret"]
        return super().save(commit=commit)
