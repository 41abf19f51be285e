"""Django's form widget templates, written in Python.

Every widget renders through the form renderer: Django looks its template up and renders
it with a context of its own, and the templates include one another (a text input
includes input.html, which includes attrs.html; a select includes an option template per
option). A list's filter form with fourteen fields spent most of its time there. The
renderer below makes the same markup, to the character, for Django's own widget
templates, and leaves every other template (a widget with a template of its own, the
form and error templates) to Django. tests/core/test_renderers.py compares the two.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, strip_spaces_between_tags
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
OPTION_TEMPLATE = WIDGETS + "select_option.html"


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}`: str(), escaped unless already safe."""
    return conditional_escape(value if hasattr(value, "__html__") else str(value))


def html_attrs(attrs: dict) -> str:
    """attrs.html: True is a bare name, False leaves the attribute out."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{html_attrs(widget['attrs'])}>"
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{_text(option["value"])}"{html_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{html_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None  # a custom option template: Django renders it
            # The included option template ends in a newline.
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{html_attrs(widget["attrs"])}>'
        f"\n{value}</textarea>"
    )


def _multiwidget(widget: dict) -> str | None:
    parts = []
    for subwidget in widget["subwidgets"]:
        render = PYTHON_TEMPLATES.get(subwidget["template_name"])
        html = render(subwidget) if render else None
        if html is None:
            return None
        parts.append(html)
    return strip_spaces_between_tags("".join(parts)).strip()


def _filter_range(widget: dict) -> str | None:
    """django-filter's multiwidget.html: the parts with a dash after the first, each with
    the newlines its included template ends in."""
    parts = []
    for index, subwidget in enumerate(widget["subwidgets"]):
        name = subwidget["template_name"]
        if name not in INPUT_TEMPLATES:
            return None
        # text.html includes input.html: each of the two files ends in a newline.
        parts.append(_input(subwidget) + ("\n" if name == WIDGETS + "input.html" else "\n\n"))
        if index == 0:
            parts.append("-")
    return "".join(parts).strip()


INPUT_TYPES = (
    "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
    "search", "tel", "color", "checkbox", "file",
)  # fmt: skip
INPUT_TEMPLATES = {WIDGETS + "input.html", *(f"{WIDGETS}{name}.html" for name in INPUT_TYPES)}
PYTHON_TEMPLATES = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    "django_filters/widgets/multiwidget.html": _filter_range,
    WIDGETS + "select.html": _select,
    WIDGETS + "textarea.html": _textarea,
    **{
        f"{WIDGETS}{name}.html": _multiwidget
        for name in (
            "multiwidget",
            "select_date",
            "splitdatetime",
            "splithiddendatetime",
            "multiple_hidden",
        )
    },
}


class WidgetRenderer(DjangoTemplates):
    """The FORM_RENDERER: Django's widget templates in Python, all else as Django does."""

    def render(self, template_name, context, request=None):
        render = PYTHON_TEMPLATES.get(template_name)
        if render is not None and "widget" in context:
            html = render(context["widget"])
            if html is not None:
                return mark_safe(html)
        return super().render(template_name, context, request=request)
