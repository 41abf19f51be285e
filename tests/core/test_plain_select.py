"""The list filters' select lists render without a template per option, with the same
markup as Django's own select."""

import re

from django import forms

from core.forms import PlainSelect


class _Form(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Alla"), ("x", "Å & <b>"), ("y", "Y")], required=False)
    grouped = forms.ChoiceField(choices=[("Grupp", [("1", "ett"), ("2", "två")]), ("3", "tre")])


def _markup(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html).strip())


def test_the_plain_select_renders_what_djangos_select_renders():
    form = _Form({"plain": "x", "grouped": "2"})
    for name in ("plain", "grouped"):
        django_markup = _markup(form[name])
        form.fields[name].widget.__class__ = PlainSelect
        assert _markup(form[name]) == django_markup
    assert '<option value="x" selected>Å &amp; &lt;b&gt;</option>' in _markup(form["plain"])


def test_list_filters_use_it(rf, manager):
    from agreements.filters import AgreementFilter
    from agreements.models import Agreement

    request = rf.get("/agreements/")
    request.user = manager
    form = AgreementFilter(request.GET, queryset=Agreement.objects.all(), request=request).form
    assert type(form.fields["responsible"].widget) is PlainSelect
    assert type(form.fields["state"].widget) is PlainSelect
