"""The form renderer writes Django's widget templates in Python: the markup must be the
one Django's templates make, to the character, for every widget the app uses."""

import datetime

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer

from core.filters import DateRangeWidget
from core.forms import DateInput, DecimalInput
from core.renderers import PYTHON_TEMPLATES, WidgetRenderer

CHOICES = [("", "Alla"), ("x", "Å & <b>"), ("y", 'Y "citat"')]


class _Everything(forms.Form):
    text = forms.CharField(
        max_length=20, widget=forms.TextInput(attrs={"placeholder": "Sök & <hitta>"})
    )
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    number = forms.IntegerField(min_value=0, max_value=3650)
    decimal = forms.DecimalField(widget=DecimalInput, required=False)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=DateInput, required=False)
    moment = forms.DateTimeField(required=False)
    clock = forms.TimeField(required=False)
    tick = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=[("Grupp", [("1", "ett"), ("2", "två")]), ("3", "tre")])
    several = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    several_hidden = forms.MultipleChoiceField(
        choices=CHOICES[1:], required=False, widget=forms.MultipleHiddenInput
    )
    note = forms.CharField(widget=forms.Textarea, required=False)
    when = forms.SplitDateTimeField(required=False)
    date_parts = forms.DateField(widget=forms.SelectDateWidget(years=[2025, 2026]), required=False)
    upload = forms.FileField(required=False)
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect, required=False)
    # The list filters' date range (django-filter's multiwidget template).
    ends = forms.CharField(widget=DateRangeWidget("Från", "Till"), required=False)


DATA = {
    "text": 'Ö "<script>" & co',
    "search": "kultur",
    "number": "40",
    "decimal": "12.50",
    "email": "a@example.org",
    "url": "https://example.org/?a=1&b=2",
    "password": "hemligt",
    "hidden": "dolt <värde>",
    "day": "2026-12-02",
    "moment": "2026-12-02 10:30",
    "clock": "10:30",
    "tick": "on",
    "choice": "x",
    "grouped": "2",
    "several": ["x", "y"],
    "several_hidden": ["x", "y"],
    "note": "Rad ett\n<b>rad två</b>",
    "when_0": "2026-12-02",
    "when_1": "10:30",
    "date_parts_year": "2026",
    "date_parts_month": "12",
    "date_parts_day": "2",
    "ends_after": "2026-01-01",
    "ends_before": "<2026>",
}


def _rendered_by(renderer, form):
    form.renderer = renderer
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize(
    "form",
    [
        _Everything(),
        _Everything(DATA),
        _Everything({"number": "x", "day": "not a day"}),
        _Everything(initial={"day": datetime.date(2026, 1, 31), "tick": True}),
    ],
    ids=["unbound", "bound", "invalid", "initial"],
)
def test_every_widget_renders_what_djangos_templates_render(form):
    django_markup = _rendered_by(DjangoTemplates(), form)
    ours = _rendered_by(WidgetRenderer(), form)
    for name in form.fields:
        assert ours[name] == django_markup[name], name


def test_user_text_is_escaped_as_django_escapes_it():
    html = _rendered_by(WidgetRenderer(), _Everything(DATA))
    assert 'value="Ö &quot;&lt;script&gt;&quot; &amp; co"' in html["text"]
    assert '<option value="x" selected>Å &amp; &lt;b&gt;</option>' in html["choice"]
    assert "&lt;b&gt;rad två&lt;/b&gt;</textarea>" in html["note"]


def test_the_app_renders_its_forms_with_it():
    assert isinstance(get_default_renderer(), WidgetRenderer)
    assert settings.FORM_RENDERER == "core.renderers.WidgetRenderer"


def test_no_template_of_ours_replaces_a_widget_template_written_in_python():
    """The Python versions stand for Django's and django-filter's own templates: an app's
    template of the same name would be ignored, so there must be none."""
    engine = WidgetRenderer().engine
    for name in PYTHON_TEMPLATES:
        origin = engine.get_template(name).origin.name
        assert "/django/forms/templates/" in origin or "/django_filters/templates/" in origin, (
            origin
        )


def test_the_widgets_written_in_python_load_no_template():
    class TemplatesRefused(WidgetRenderer):
        def get_template(self, template_name):
            assert template_name not in PYTHON_TEMPLATES, template_name
            return super().get_template(template_name)

    _rendered_by(TemplatesRefused(), _Everything(DATA))
