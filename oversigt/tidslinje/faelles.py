"""Links and short texts every kind of timeline entry uses, and the two ways to date an entry."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import ngettext

from forloeb.models import Deltagelse
from mikrolaan.konti.models import Bruger

from .typer import Post

# Short texts on the timeline: the entry links to the whole thing.
KORT_TEKST = 120


def henvisning_url(henvisning_id: int) -> str:
    return reverse("visitation:detalje", args=[henvisning_id])


def forloeb_url(forloeb_id: int) -> str:
    return reverse("forloeb:detalje", args=[forloeb_id])


def laan_url(laan_id: int) -> str:
    return reverse("laan:detalje", args=[laan_id])


def aktivitet_link(deltagelse: Deltagelse, *, bruger: Bruger) -> str:
    """The session page is the running organisation's (its staff); others see the programme."""
    if deltagelse.aktivitet.organisation_id == bruger.organisation_id:
        return reverse("forloeb:aktivitet", args=[deltagelse.aktivitet_id])
    return forloeb_url(deltagelse.forloeb_id)


def lokaltid(tidspunkt: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(tidspunkt)


def forkort(tekst: str) -> str:
    return Truncator(" ".join(tekst.split())).chars(KORT_TEKST)


def antal_dage(antal: int) -> str:
    return ngettext("%(antal)d dag", "%(antal)d dage", antal) % {"antal": antal}


def post_tidspunkt(art, tidspunkt: datetime.datetime, tekst, link, orden=0) -> Post:
    lokal = lokaltid(tidspunkt)
    return Post(lokal.date(), lokal.time(), art, tekst, link, orden)


def post_dato(art, dato, tekst, link, orden=0, *, registreret=None) -> Post:
    """A date-only event; `registreret` (when it was recorded) gives its time if the same day."""
    klokken = None
    if registreret is not None and lokaltid(registreret).date() == dato:
        klokken = lokaltid(registreret).time()
    return Post(dato, klokken, art, tekst, link, orden)
