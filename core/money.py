"""Amounts as people in each language write them: `1 234,50 kr` in Swedish,
`SEK 1,234.50` in English."""

from decimal import Decimal

from django.utils import translation
from django.utils.formats import number_format

# Where a language puts the currency, and the local name of a currency where it has one.
_LOCAL_SYMBOLS = {"sv": {"SEK": "kr"}}
_SYMBOL_AFTER = {"sv"}


def format_money(amount, currency: str) -> str:
    if amount is None or amount == "":
        return ""
    number = number_format(Decimal(amount), 2, use_l10n=True, force_grouping=True)
    language = (translation.get_language() or "en").split("-")[0]
    symbol = _LOCAL_SYMBOLS.get(language, {}).get(currency, currency)
    # A no-break space keeps amount and currency on one line.
    if language in _SYMBOL_AFTER:
        return f"{number}\u00a0{symbol}"
    return f"{symbol}\u00a0{number}"
