"""Dates and amounts written the Danish way in texts built in Python (notifications, messages,
timeline entries). Templates use the `date` filter and the active locale's formats instead."""

import datetime
from decimal import Decimal

from django.utils.formats import date_format, number_format


def kort_dato(dato: datetime.date) -> str:
    """`27.11.2026` in Danish (the active language's SHORT_DATE_FORMAT)."""
    return date_format(dato, "SHORT_DATE_FORMAT")


def kroner(beloeb: Decimal | int) -> str:
    """`12.500 kr.`, or `12.500,50 kr.` when there are øre, in the active language's format."""
    beloeb = Decimal(beloeb)
    decimaler = 0 if beloeb == beloeb.to_integral_value() else 2
    return f"{number_format(beloeb, decimaler, use_l10n=True, force_grouping=True)} kr."
