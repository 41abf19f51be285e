"""Numbers as each language writes them, without needless decimals: one function for
pages, PDFs and the change history."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.numbers import format_number


@pytest.mark.parametrize(
    "value,english,swedish",
    [
        (Decimal("40.00"), "40", "40"),
        (Decimal("40.50"), "40.5", "40,5"),
        (Decimal("1234.56"), "1,234.56", "1\xa0234,56"),
        (Decimal("1234567"), "1,234,567", "1\xa0234\xa0567"),
        (Decimal("0.005"), "0.01", "0,01"),
        (Decimal("100"), "100", "100"),
        (0, "0", "0"),
        (None, "", ""),
    ],
)
def test_format_number(value, english, swedish):
    with translation.override("en"):
        assert format_number(value) == english
    with translation.override("sv"):
        assert format_number(value) == swedish


def test_the_template_filters_keep_dates_whole_and_numbers_local():
    import datetime

    template = Template("{% load formatting %}{{ day|day }} {{ value|number }}")
    context = Context({"day": datetime.date(2027, 2, 4), "value": Decimal("40.00")})
    with translation.override("sv"):
        assert template.render(context) == '<time datetime="2027-02-04">2027-02-04</time> 40'
