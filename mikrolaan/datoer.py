"""Plausible dates: the sanity check a caseworker expects of a date typed into a form.

A date more than a year ahead is almost always a typo (2062 for 2026), and a date before the step it
belongs to (a meeting before the referral, a session before the programme began) cannot be right.
`datofejl` names the field in its message, so the error reads on its own in a list of errors too.
Ground floor, so every app can call it: `forloeb.regler.datofejl_i_forloeb` adds the programme's
start as the earliest date; the visitation form uses it for the meeting date.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from .tekst import kort_dato

# How far ahead a date may lie.
MAKS_FREMTID = relativedelta(years=1)

# The outer bounds of every date a user types or puts in a link (`DatoFelt` checks them): nothing
# of a programme that began in 2015 lies before 2000, and nothing is planned more than ten years
# ahead. Besides catching typos (0202, 2062) they keep date arithmetic safe: 9999-12-31 plus a
# month or a period of years overflows Python's dates, which answered 500.
TIDLIGSTE_DATO = datetime.date(2000, 1, 1)
SENEST_FREM = relativedelta(years=10)


def seneste_dato(idag: datetime.date | None = None) -> datetime.date:
    """The latest date any field accepts today."""
    return (idag or timezone.localdate()) + SENEST_FREM


def graensefejl(dato: datetime.date, *, idag: datetime.date | None = None) -> str | None:
    """Why `dato` lies outside the outer bounds, or None."""
    senest = seneste_dato(idag)
    if TIDLIGSTE_DATO <= dato <= senest:
        return None
    return _("Datoen skal ligge mellem %(tidligst)s og %(senest)s. Tjek årstallet.") % {
        "tidligst": kort_dato(TIDLIGSTE_DATO),
        "senest": kort_dato(senest),
    }


def datofejl(
    dato: datetime.date | None,
    *,
    felt: str,
    tidligst: datetime.date | None = None,
    tidligst_hvad: str = "",
    idag: datetime.date | None = None,
) -> str | None:
    """Why `dato` is implausible, or None. `felt` names the field as the message opens
    ("Mødedatoen"); `tidligst` is the earliest possible date and `tidligst_hvad` what it is
    ("forløbets start")."""
    if dato is None:
        return None
    idag = idag or timezone.localdate()
    senest = idag + MAKS_FREMTID
    if dato > senest:
        return _(
            "%(felt)s kan ikke ligge mere end et år ude i fremtiden (senest %(senest)s). "
            "Tjek årstallet."
        ) % {"felt": felt, "senest": kort_dato(senest)}
    if tidligst is not None and dato < tidligst:
        return _("%(felt)s kan ikke ligge før %(hvad)s, %(dato)s.") % {
            "felt": felt,
            "hvad": tidligst_hvad,
            "dato": kort_dato(tidligst),
        }
    return None
