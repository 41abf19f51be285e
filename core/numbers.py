"""Numbers as people in each language write them, without needless decimals: a goal of
40.00 children is "40 children", 1234.50 is "1,234.5" in English and "1 234,5" in
Swedish. Pages, PDFs and the change history all format numbers here."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def format_number(value, max_decimals: int = 2) -> str:
    """`value` rounded to at most `max_decimals` decimals, trailing zeros dropped,
    grouped in thousands as the active language does."""
    if value is None or value == "":
        return ""
    number = Decimal(value).quantize(Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP)
    decimals = max(0, -number.normalize().as_tuple().exponent)
    return number_format(number, decimals, use_l10n=True, force_grouping=True)
