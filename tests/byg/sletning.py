"""Closed cases of a given age, for the retention job (databeskyttelse.sletning).

The whole case happens in the past, through the real services (`sager`, `laan`), travelling to
each day with time-machine; every row, its change history and its access-log rows carry the day
they were written on.

    sag = lukket_sag(pilot, lukket=idag - relativedelta(years=6))
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from borgere.models import Borger
from forloeb.models import Forloeb
from laan.models import Laan
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang

from .fabrikker import DokumentFactory, JournalnotatFactory
from .laan import forloeb_i_hovedforloeb, indbetal, udbetalt_laan
from .sager import lav_pladsaftale, udskriv
from .tid import paa

NOTAT = "Borgeren fortalte om sin kaffebar i Ishøj"


@dataclass
class LukketSag:
    borger: Borger
    forloeb: Forloeb
    laan: Laan | None
    dokumentfil: str


def lukket_sag(
    pilot,
    lukket: datetime.date,
    *,
    fornavn="Anna",
    efternavn="Jensen",
    laan: str | None = None,
) -> LukketSag:
    """A citizen admitted 200 days before `lukket` and discharged (job) on `lukket`, with a journal
    note, a document and an access-log row; `laan="afviklet"` adds a 1.000 kr. loan repaid in full,
    `laan="udestaaende"` one paid out and not repaid."""
    start = lukket - datetime.timedelta(days=200)
    with paa(start):
        forloeb = forloeb_i_hovedforloeb(pilot, lav_pladsaftale(pilot), fornavn, efternavn)
        borger = forloeb.borger
        JournalnotatFactory(borger=borger, tekst=NOTAT, forfatter=pilot.sagsbehandler)
        dokument = DokumentFactory(borger=borger, uploadet_af=pilot.sagsbehandler)
        log_adgang(bruger=pilot.sagsbehandler, handling=AdgangsLog.Handling.VIS, objekt=borger)
        laanet = None
        if laan is not None:
            laanet = udbetalt_laan(pilot, forloeb, beloeb=Decimal("1000.00"))
    if laan == "afviklet":
        indbetal(pilot, laanet, Decimal("1000.00"), start + datetime.timedelta(days=30))
    udskriv(pilot, forloeb, lukket)
    borger.refresh_from_db()
    return LukketSag(borger=borger, forloeb=forloeb, laan=laanet, dokumentfil=dokument.fil.name)
