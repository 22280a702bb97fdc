"""Loans through the real services: an application in a programme's main phase, the checker's
approval, the disbursement with its plan, the two-person write-off, repayments.

The pilot's course staff member is the maker and its caseworker the checker, as in the
application. A builder dated on another day travels there (`tests.byg.tid.paa`).

    forloeb = forloeb_i_hovedforloeb(pilot)
    laan = udbetalt_laan(pilot, forloeb, beloeb=Decimal("12000.00"), dato=date(2026, 2, 2))
"""

import datetime
from contextlib import nullcontext
from decimal import Decimal

from django.utils import timezone

from laan.models import Laan
from laan.services import livsforloeb

from .sager import lav_forloeb, lav_pladsaftale, til_hovedforloeb
from .tid import paa

ANSOEGNING = {
    "formaal": "Kaffevogn og opstart af kaffebar",
    "budget": "Kaffemaskine 18.000 kr., vogn 9.000 kr., første varelager 3.000 kr.",
    "loebetid": 24,
    "afdragsfri": 2,
}


def forloeb_i_hovedforloeb(pilot, aftale=None, fornavn="Anna", efternavn="Jensen", **felter):
    """A programme admitted today and moved to the main phase today (a loan can be applied for)."""
    forloeb = lav_forloeb(pilot, aftale or lav_pladsaftale(pilot), fornavn, efternavn, **felter)
    return til_hovedforloeb(pilot, forloeb)


def ansoegt_laan(
    pilot, forloeb, beloeb=Decimal("30000.00"), *, dato=None, bruger=None, **felter
) -> Laan:
    with _paa(dato):
        return livsforloeb.ansoeg(
            bruger=bruger or pilot.forloebsmedarbejder,
            forloeb=forloeb,
            beloeb=Decimal(beloeb),
            **(ANSOEGNING | felter),
        )


def bevilget_laan(pilot, forloeb, beloeb=Decimal("30000.00"), *, dato=None, **felter) -> Laan:
    laan = ansoegt_laan(pilot, forloeb, beloeb, dato=dato, **felter)
    with _paa(dato):
        livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=laan)
    laan.refresh_from_db()
    return laan


def udbetalt_laan(
    pilot, forloeb, beloeb=Decimal("30000.00"), *, dato: datetime.date | None = None, **felter
) -> Laan:
    """Applied for, approved and paid out on `dato` (default today); its plan is made."""
    laan = bevilget_laan(pilot, forloeb, beloeb, dato=dato, **felter)
    with _paa(dato):
        livsforloeb.udbetal(
            bruger=pilot.forloebsmedarbejder, laan=laan, dato=dato or timezone.localdate()
        )
    laan.refresh_from_db()
    return laan


def afskrevet_laan(
    pilot, forloeb, beloeb=Decimal("30000.00"), *, begrundelse="Virksomheden er lukket.", **felter
) -> Laan:
    """Paid out today, a write-off proposed by the course staff and approved by the caseworker."""
    laan = udbetalt_laan(pilot, forloeb, beloeb, **felter)
    livsforloeb.indstil_afskrivning(
        bruger=pilot.forloebsmedarbejder, laan=laan, begrundelse=begrundelse
    )
    livsforloeb.afskriv(bruger=pilot.sagsbehandler, laan=laan)
    laan.refresh_from_db()
    return laan


def _paa(dato: datetime.date | None):
    return paa(dato) if dato else nullcontext()


# --- Repayments (laan.services.indbetalinger) ---------------------------------------------


def indbetal(pilot, laan, beloeb, dato: datetime.date | None = None, *, bruger=None, **felter):
    """The course staff register a repayment of `beloeb` on `dato` (default today), on that day."""
    from laan.services import indbetalinger

    with _paa(dato):
        indbetaling = indbetalinger.registrer(
            bruger=bruger or pilot.forloebsmedarbejder,
            laan=laan,
            dato=dato or timezone.localdate(),
            beloeb=Decimal(beloeb),
            **felter,
        )
    laan.refresh_from_db()
    return indbetaling


def tilbagefoer(pilot, indbetaling, *, dato=None, begrundelse="Forkert lån", bruger=None):
    """The course staff reverse a repayment (on `dato`, default today), with a reason."""
    from laan.services import indbetalinger

    with _paa(dato):
        indbetalinger.tilbagefoer(
            bruger=bruger or pilot.forloebsmedarbejder,
            indbetaling=indbetaling,
            begrundelse=begrundelse,
        )
    indbetaling.refresh_from_db()
    return indbetaling


def forloeb_paa_faste_dage(pilot, aftale=None, fornavn="Anna", efternavn="Jensen"):
    """A programme on the standard fixed days (`tests.byg.sager`): admitted on START, in the main
    phase from SKIFTE, so loans can be dated from then on whatever day the tests run. Pass one
    `aftale` (with `**PERIODE_2025_2027`) for several programmes."""
    from .sager import PERIODE_2025_2027, SKIFTE, START

    aftale = aftale or lav_pladsaftale(pilot, **PERIODE_2025_2027)
    forloeb = lav_forloeb(pilot, aftale, fornavn, efternavn, startdato=START)
    return til_hovedforloeb(pilot, forloeb, SKIFTE)
