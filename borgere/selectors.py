"""Reads of citizens for the pages: always scoped to what the user may see."""

import re

from mikrolaan.konti.models import Bruger
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang

from . import cpr
from .models import Borger, Dokument, Journalnotat

# Ten digits, with or without the dash: meant as a CPR number, so a bad one is an error rather
# than a name search that quietly finds nothing.
LIGNER_CPR = re.compile(r"^\d{6}-?\d{4}$")


def borgere_til_liste(*, bruger: Bruger):
    """The user's visible citizens with what the list shows, in name order."""
    return Borger.objects.synlige_for(bruger).select_related("forsoergelsesgrundlag")


def borgere_soeg(*, bruger: Bruger, tekst: str, side: int = 1, request=None):
    """Citizens matching one search box: a full CPR number exactly, anything else by name.

    The search is recorded in the access log with its criteria; a CPR number is recorded as
    "[CPR]", never its digits. An empty search returns all visible citizens and is not logged
    (it is the plain list). Raises a Danish `ValidationError` for a malformed CPR number.
    """
    tekst = (tekst or "").strip()
    borgere = borgere_til_liste(bruger=bruger)
    if not tekst:
        return borgere
    if LIGNER_CPR.match(tekst):
        cpr.normaliser(tekst)  # a Danish error for a number that is not a valid CPR number
        kriterier = {"cpr": tekst}
        borgere = borgere.med_cpr(tekst)
    else:
        kriterier = {"navn": tekst}
        borgere = borgere.med_navn(tekst)
    # log_adgang removes CPR-like digits from the criteria before they are stored.
    log_adgang(
        bruger=bruger,
        handling=AdgangsLog.Handling.SOEG,
        kriterier=kriterier | {"side": side},
        request=request,
    )
    return borgere


def journalnotater(*, borger: Borger) -> list[Journalnotat]:
    """The citizen's notes, newest first, each with `rettet_af`: the notes that correct it.

    One query: corrections are notes of the same citizen, so they are in the same list.
    """
    notater = list(Journalnotat.objects.for_borger(borger))
    for notat in notater:
        notat.rettet_af = []
    efter_id = {notat.pk: notat for notat in notater}
    for notat in notater:
        if notat.retter_id in efter_id:
            efter_id[notat.retter_id].rettet_af.append(notat)
    return notater


def dokumenter(*, borger: Borger):
    return Dokument.objects.filter(borger=borger).select_related("uploadet_af")
