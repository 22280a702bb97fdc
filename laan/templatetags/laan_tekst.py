"""Amounts, dates and shares written the Danish way in the loan templates (`50.000 kr.`,
`27.11.2026`, `12,5 %`). The formatting itself is mikrolaan.tekst's, shared with the texts built in
Python (messages, notifications), so a page and its success message never disagree."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from mikrolaan import tekst

register = template.Library()


@register.filter
def kroner(beloeb: Decimal | int | None) -> str:
    """`12.500 kr.`, `12.500,50 kr.`; an empty value is a dash."""
    if beloeb is None or beloeb == "":
        return "–"
    return tekst.kroner(beloeb)


@register.filter
def kort_dato(dato: datetime.date | None) -> str:
    if not dato:
        return "–"
    return tekst.kort_dato(dato)


@register.filter
def procent(andel: Decimal | None) -> str:
    """A share (0.125) as a percentage with one decimal (`12,5 %`); unknown (None) is a dash."""
    if andel is None:
        return "–"
    # Rounded here: number_format cuts the digits after `decimal_pos` (5,56 % would show 5,5 %).
    pct = (Decimal(andel) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{number_format(pct, 1, use_l10n=True)} %"


# A loan status's badge colour (Bootstrap's text-bg-*, which keeps the text's contrast).
_FARVER = {
    "ansoegt": "info",
    "bevilget": "primary",
    "udbetalt": "success",
    "indfriet": "secondary",
    "afslaaet": "dark",
    "tilbagetrukket": "light",
    "afskrevet": "warning",
}


@register.filter
def status_farve(status: str) -> str:
    return _FARVER.get(str(status), "secondary")
