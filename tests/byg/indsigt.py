"""A citizen with data in every app, for the insight export (GDPR art. 15) and the access log.

Built through the journeys in `tests.byg.sager` and `tests.byg.laan` (the services the
application calls), so every row is one the application itself writes:

    sag = borger_med_alt(pilot)
    sag.borger, sag.forloeb, sag.laan
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from borgere.models import Borger
from forloeb.models import Fase, Forloeb, Opfoelgning, Udskrivning
from laan.models import Laan
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang

from .fabrikker import DokumentFactory, JournalnotatFactory
from .laan import forloeb_i_hovedforloeb, indbetal, udbetalt_laan
from .sager import (
    faser,
    forlaeng,
    lav_borger,
    lav_pladsaftale,
    registrer_fremmoede,
    registrer_opfoelgning,
    udskriv,
)

# Texts that each appear in exactly one kind of row, so a test can find each kind in the export.
NOTAT = "Ringede om kaffebarens åbningstider"
DOKUMENT = "forretningsplan-kaffebar.pdf"
FORLAENGELSE = "Budgettet skal gennemgås igen"
FREMMOEDE_NOTE = "Syg med feber"
UDSKRIVNING_NOTE = "Åbnede kaffebaren i Ishøj"
OPFOELGNING_NOTE = "Kaffebaren kører med overskud"


@dataclass
class BorgerMedAlt:
    borger: Borger
    forloeb: Forloeb
    laan: Laan
    opfoelgning: Opfoelgning


def borger_med_alt(pilot, fornavn="Ida", efternavn="Indsigt", *, aftale=None) -> BorgerMedAlt:
    """Registered, noted, with a document, referred, visited, admitted, in the main phase with an
    extension, two sessions (one missed), a loan paid out with a payment, discharged with a
    business today, and the 3-month follow-up recorded."""
    borger = lav_borger(
        pilot, fornavn, efternavn, adresse="Kaffevej 7", postnummer="2635", by="Ishøj"
    )
    JournalnotatFactory(borger=borger, forfatter=pilot.sagsbehandler, tekst=NOTAT)
    DokumentFactory(borger=borger, uploadet_af=pilot.sagsbehandler, filnavn=DOKUMENT)
    forloeb = forloeb_i_hovedforloeb(pilot, aftale or lav_pladsaftale(pilot), borger=borger)
    hovedforloeb = faser(forloeb)[Fase.Type.HOVEDFORLOEB]
    forlaeng(
        pilot, hovedforloeb, hovedforloeb.planlagt_slut + datetime.timedelta(days=30), FORLAENGELSE
    )
    deltog, udeblev = registrer_fremmoede(pilot, forloeb, "deltog", "udeblev")
    udeblev.note = FREMMOEDE_NOTE
    udeblev.save(update_fields=["note"])
    laan = udbetalt_laan(pilot, forloeb, Decimal("12000.00"))
    indbetal(pilot, laan, "500.00")
    udskriv(
        pilot,
        forloeb,
        timezone.localdate(),
        Udskrivning.Aarsag.EGEN_VIRKSOMHED,
        note=UDSKRIVNING_NOTE,
    )
    opfoelgning = registrer_opfoelgning(
        pilot,
        Opfoelgning.objects.get(forloeb=forloeb, maaneder=3),
        note=OPFOELGNING_NOTE,
    )
    laan.refresh_from_db()
    return BorgerMedAlt(borger=borger, forloeb=forloeb, laan=laan, opfoelgning=opfoelgning)


def laest_af(bruger, *objekter, handling=AdgangsLog.Handling.VIS) -> None:
    """`bruger` read each object, as the pages log it."""
    for objekt in objekter:
        log_adgang(bruger=bruger, handling=handling, objekt=objekt)
