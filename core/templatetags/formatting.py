"""Numbers and dates on pages and in PDFs: {% load formatting %}."""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from core.numbers import format_number

register = template.Library()


@register.filter
def number(value, max_decimals=2):
    """{{ goal.target_value|number }}: 40.00 is "40", 1234.5 is "1 234,5" in Swedish."""
    return format_number(value, int(max_decimals))


@register.filter
def day(value):
    """{{ agreement.end_date|day }}: the short date of the language in a <time> element,
    which the stylesheets keep on one line (an ISO date would break at its hyphens)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), date_format(value, "SHORT_DATE_FORMAT")
    )


@register.filter
def moment(value):
    """{{ event.created_at|moment }}: local date and time to the minute, on one line."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_html(
        '<time datetime="{}">{}</time>',
        local.isoformat(timespec="minutes"),
        date_format(local, "SHORT_DATETIME_FORMAT"),
    )
