"""Builders for intake scenarios: a place agreement, a referred citizen, a signed visitation.

They go through the real services, so a scenario is always one the application itself can reach.
"""

import datetime
import itertools
from decimal import Decimal

from borgere.models import Borger, Forsoergelsesgrundlag
from forloeb import services as forloeb_services
from visitation import services
from visitation.models import Pladsaftale, Visitation

_cpr_loebenr = itertools.count(1000)

VURDERINGER = {
    "moededato": datetime.date(2026, 11, 20),
    "deltagere": "Sara Sagsbehandler (Jobcenter Vallensbæk), Frederik (Næstved Kommune)",
    "kan_gennemfoere": "ja",
    "kan_gennemfoere_note": "Stabil, har erfaring fra branchen.",
    "motivation": "ja",
    "motivation_note": "",
    "forretningsidee": "maaske",
    "forretningsidee_note": "Markedet skal undersøges nærmere.",
    "personlige_forhold": "ja",
    "personlige_forhold_note": "",
    "oekonomiske_forhold": "ja",
    "oekonomiske_forhold_note": "",
}


def lav_pladsaftale(pilot, antal_pladser=2, **felter) -> Pladsaftale:
    return Pladsaftale.objects.create(
        navn=felter.pop("navn", "Mikrolån Næstved 2026"),
        koeber=pilot.ishoej,
        leverandoer=pilot.naestved,
        antal_pladser=antal_pladser,
        gyldig_fra=felter.pop("gyldig_fra", datetime.date(2026, 1, 1)),
        gyldig_til=felter.pop("gyldig_til", datetime.date(2027, 12, 31)),
        pris_pr_plads=Decimal("45000.00"),
        **felter,
    )


def lav_borger(pilot, fornavn="Anna", efternavn="Jensen", jobcenter=None) -> Borger:
    borger = Borger(
        fornavn=fornavn,
        efternavn=efternavn,
        forsoergelsesgrundlag=Forsoergelsesgrundlag.objects.get(navn="Kontanthjælp"),
        forretningsidee="Cykelværksted",
        jobcenter=jobcenter or pilot.jobcenter,
        oprettet_af=pilot.sagsbehandler,
    )
    borger.saet_cpr(f"010190{next(_cpr_loebenr)}")
    borger.save()
    return borger


def henvis(pilot, aftale, borger=None, **felter):
    return services.henvisning_opret(
        bruger=felter.pop("bruger", pilot.sagsbehandler),
        borger=borger or lav_borger(pilot),
        pladsaftale=aftale,
        forretningsidee="Cykelværksted i Ishøj",
        motivation="Vil gerne være selvstændig",
        forsoergelsesgrundlag=Forsoergelsesgrundlag.objects.get(navn="Kontanthjælp"),
        vurdering="Kan gennemføre",
    )


def visiter(pilot, henvisning, beslutning="optaget", **felter) -> Visitation:
    """The course staff record the visitation (and sign for Næstved)."""
    return services.visitation_opret(
        bruger=felter.pop("bruger", pilot.forloebsmedarbejder),
        henvisning=henvisning,
        **(VURDERINGER | {"beslutning": beslutning} | felter),
    )


def optag(pilot, aftale, borger=None):
    """Refer, visit and sign by both parties; returns the Forloeb (or None if waiting)."""
    henvisning = henvis(pilot, aftale, borger)
    visitation = visiter(pilot, henvisning)
    return forloeb_services.visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
