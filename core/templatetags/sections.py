from django import template

from core.sections import render_slot

register = template.Library()


@register.simple_tag(takes_context=True)
def page_sections(context, slot, **objects):
    """What other apps add to this page at `slot` (see core/sections.py)."""
    request = context.get("request")
    if request is None:
        return ""
    return render_slot(slot, request, **objects)
