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
