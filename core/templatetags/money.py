from django import template

from core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """{{ agreement.economic_amount|money:agreement.currency }}"""
    return format_money(amount, currency)
