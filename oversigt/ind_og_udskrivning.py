"""The Erhvervschef's intake and discharge overview: places bought vs. used, and who came in and
left in a period, on the place agreements her organisation buys.

Who is covered is adgang.py's `overvaagede_af` (the buyer's rows; all of them for an
Administrator). Only name-level fields are read, with `.values()`: never a CPR number, never a
note. Queries: agreements with occupancy, intakes, discharges.

`oversigt` may read every app (STYLE.md): nothing here writes.
"""

import datetime
from dataclasses import dataclass

from forloeb.models import Forloeb, Udskrivning
from mikrolaan.konti.models import Bruger
from visitation.models import Pladsaftale


@dataclass(frozen=True)
class Bevaegelse:
    """One intake or discharge: name-level only, never CPR, never notes."""

    dato: datetime.date
    navn: str
    pladsaftale: str
    aarsag: str = ""


@dataclass(frozen=True)
class Maaned:
    maaned: datetime.date  # the first of the month
    indskrevet: int
    udskrevet: int


@dataclass
class IndOgUdskrivning:
    fra: datetime.date
    til: datetime.date
    indskrivninger: list[Bevaegelse]
    udskrivninger: list[Bevaegelse]
    pr_maaned: list[Maaned]
    belaegning: list[dict]
    # The citizens named on the page, for the access log.
    borger_ids: list[int]

    @property
    def indskrevet_i_alt(self) -> int:
        return len(self.indskrivninger)

    @property
    def udskrevet_i_alt(self) -> int:
        return len(self.udskrivninger)


def belaegning(*, bruger: Bruger) -> list[dict]:
    """Each covered agreement's places bought vs. used and waiting-list length (one query)."""
    aftaler = list(
        Pladsaftale.objects.overvaagede_af(bruger)
        .med_belaegning()
        .order_by("-gyldig_fra", "navn")
        .values(
            "pk",
            "navn",
            "leverandoer__navn",
            "gyldig_fra",
            "gyldig_til",
            "antal_pladser",
            "optagne",
            "ventende",
        )
    )
    for aftale in aftaler:
        aftale["ledige"] = max(aftale["antal_pladser"] - aftale["optagne"], 0)
    return aftaler


def ind_og_udskrivning(
    *, bruger: Bruger, fra: datetime.date | None, til: datetime.date | None
) -> IndOgUdskrivning:
    """Intakes and discharges in [fra, til] (both days included) on the covered agreements.

    Without a period (an invalid form) only the occupancy is read.
    """
    indskrivninger, udskrivninger, pr_maaned = [], [], []
    borger_ids: set[int] = set()
    if fra is not None and til is not None:
        indskrivninger, indskrevne = _indskrivninger(bruger=bruger, fra=fra, til=til)
        udskrivninger, udskrevne = _udskrivninger(bruger=bruger, fra=fra, til=til)
        borger_ids = indskrevne | udskrevne
        ind = _taelling(b.dato for b in indskrivninger)
        ud = _taelling(b.dato for b in udskrivninger)
        pr_maaned = [
            Maaned(maaned=m, indskrevet=ind.get(m, 0), udskrevet=ud.get(m, 0))
            for m in _maaneder(fra, til)
        ]
    return IndOgUdskrivning(
        fra=fra,
        til=til,
        indskrivninger=indskrivninger,
        udskrivninger=udskrivninger,
        pr_maaned=pr_maaned,
        belaegning=belaegning(bruger=bruger),
        borger_ids=sorted(borger_ids),
    )


def _indskrivninger(*, bruger, fra, til) -> tuple[list[Bevaegelse], set[int]]:
    """The period's intakes, and the ids of their citizens (for the access log)."""
    raekker = list(
        Forloeb.objects.overvaagede_af(bruger)
        .filter(startdato__range=(fra, til))
        .order_by("startdato", "oprettet", "id")
        .values(
            "startdato", "borger_id", "borger__fornavn", "borger__efternavn", "pladsaftale__navn"
        )
    )
    bevaegelser = [
        Bevaegelse(
            dato=r["startdato"],
            navn=f"{r['borger__fornavn']} {r['borger__efternavn']}",
            pladsaftale=r["pladsaftale__navn"],
        )
        for r in raekker
    ]
    return bevaegelser, {r["borger_id"] for r in raekker}


def _udskrivninger(*, bruger, fra, til) -> tuple[list[Bevaegelse], set[int]]:
    """The period's discharges, and the ids of their citizens (for the access log)."""
    raekker = list(
        Udskrivning.objects.overvaagede_af(bruger)
        .filter(dato__range=(fra, til))
        .order_by("dato", "id")
        .values(
            "dato",
            "aarsag",
            "forloeb__borger_id",
            "forloeb__borger__fornavn",
            "forloeb__borger__efternavn",
            "forloeb__pladsaftale__navn",
        )
    )
    bevaegelser = [
        Bevaegelse(
            dato=r["dato"],
            navn=f"{r['forloeb__borger__fornavn']} {r['forloeb__borger__efternavn']}",
            pladsaftale=r["forloeb__pladsaftale__navn"],
            aarsag=Udskrivning.Aarsag(r["aarsag"]).label,
        )
        for r in raekker
    ]
    return bevaegelser, {r["forloeb__borger_id"] for r in raekker}


def _maaneder(fra: datetime.date, til: datetime.date) -> list[datetime.date]:
    maaned = fra.replace(day=1)
    ud = []
    while maaned <= til:
        ud.append(maaned)
        maaned = (maaned + datetime.timedelta(days=32)).replace(day=1)
    return ud


def _taelling(datoer) -> dict[datetime.date, int]:
    antal: dict[datetime.date, int] = {}
    for dato in datoer:
        maaned = dato.replace(day=1)
        antal[maaned] = antal.get(maaned, 0) + 1
    return antal
