"""The Erhvervschef's intake and discharge overview: places bought vs. used, and who came in and
left in a period, on the place agreements her organisation buys.

Who is covered is adgang.py's `overvaagede_af` (the buyer's rows; all of them for an
Administrator). Only name-level fields are read, with `.values()`: never a CPR number, never a
note.

Built for national scale (issue 13): an Administrator's period may hold 100,000 programmes, so the
names are read one page at a time, and the counts per month and per discharge reason come from one
grouped query. Queries: agreements with occupancy, the counts, a page of intakes, a page of
discharges — four, however long the period.

`oversigt` may read every app (STYLE.md): nothing here writes.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import TruncMonth

from forloeb.models import Forloeb, Udskrivning
from mikrolaan.konti.models import Bruger
from mikrolaan.sider import PR_SIDE
from visitation.models import Pladsaftale

# The two kinds of row in the grouped counts.
_IND, _UD = "ind", "ud"


@dataclass(frozen=True)
class Bevaegelse:
    """One intake or discharge: name-level only, never CPR, never notes."""

    dato: datetime.date
    navn: str
    pladsaftale: str
    borger_id: int
    aarsag: str = ""


@dataclass(frozen=True)
class Maaned:
    maaned: datetime.date  # the first of the month
    indskrevet: int
    udskrevet: int


@dataclass(frozen=True)
class Antal:
    """The period's intakes and discharges counted per month, and discharges per reason."""

    pr_maaned: list[Maaned]
    # Udskrivning.Aarsag value → count; reasons without a discharge are missing.
    pr_aarsag: dict[str, int]

    @property
    def indskrevet_i_alt(self) -> int:
        return sum(m.indskrevet for m in self.pr_maaned)

    @property
    def udskrevet_i_alt(self) -> int:
        return sum(m.udskrevet for m in self.pr_maaned)


@dataclass
class IndOgUdskrivning:
    fra: datetime.date | None
    til: datetime.date | None
    # One page of each list: the same page number pages both (they stand side by side).
    indskrivninger: list[Bevaegelse]
    udskrivninger: list[Bevaegelse]
    pr_maaned: list[Maaned]
    pr_aarsag: dict[str, int]
    belaegning: list[dict]
    # The pages of the two lists, for the pagination (None without a period).
    side: Page | None
    indskrevet_i_alt: int = 0
    udskrevet_i_alt: int = 0

    @property
    def borger_ids(self) -> list[int]:
        """The citizens named on the page, for the access log: this page's, not the period's."""
        return sorted({b.borger_id for b in [*self.indskrivninger, *self.udskrivninger]})


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


def antal(*, bruger: Bruger, fra: datetime.date, til: datetime.date) -> Antal:
    """Intakes and discharges in [fra, til] per month, and discharges per reason: one query (the
    two grouped counts joined by UNION ALL), whatever the number of programmes."""
    ind = (
        Forloeb.objects.overvaagede_af(bruger)
        .filter(startdato__range=(fra, til))
        .order_by()
        .annotate(maaned=TruncMonth("startdato"), art=Value(_IND), grund=Value(""))
        .values("maaned", "art", "grund")
        .annotate(n=Count("pk"))
    )
    ud = (
        Udskrivning.objects.overvaagede_af(bruger)
        .filter(dato__range=(fra, til))
        .order_by()
        .annotate(
            maaned=TruncMonth("dato"),
            art=Value(_UD),
            grund=F("aarsag"),
        )
        .values("maaned", "art", "grund")
        .annotate(n=Count("pk"))
    )
    optalt: dict[tuple[str, datetime.date], int] = {}
    pr_aarsag: dict[str, int] = {}
    for raekke in ind.union(ud, all=True):
        # SQLite gives the truncated month back as a datetime or a string in a compound query.
        maaned = _dato(raekke["maaned"])
        optalt[raekke["art"], maaned] = optalt.get((raekke["art"], maaned), 0) + raekke["n"]
        if raekke["art"] == _UD:
            pr_aarsag[raekke["grund"]] = pr_aarsag.get(raekke["grund"], 0) + raekke["n"]
    return Antal(
        pr_maaned=[
            Maaned(maaned=m, indskrevet=optalt.get((_IND, m), 0), udskrevet=optalt.get((_UD, m), 0))
            for m in _maaneder(fra, til)
        ],
        pr_aarsag=pr_aarsag,
    )


def indskrivninger(*, bruger: Bruger, fra: datetime.date, til: datetime.date) -> QuerySet:
    """The period's intakes in date order, as name-level values (slice it for a page)."""
    return (
        Forloeb.objects.overvaagede_af(bruger)
        .filter(startdato__range=(fra, til))
        .order_by("startdato", "oprettet", "id")
        .values(
            "startdato", "borger_id", "borger__fornavn", "borger__efternavn", "pladsaftale__navn"
        )
    )


def udskrivninger(*, bruger: Bruger, fra: datetime.date, til: datetime.date) -> QuerySet:
    """The period's discharges in date order, as name-level values (slice it for a page)."""
    return (
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


def som_indskrivninger(raekker) -> list[Bevaegelse]:
    return [
        Bevaegelse(
            dato=r["startdato"],
            navn=f"{r['borger__fornavn']} {r['borger__efternavn']}",
            pladsaftale=r["pladsaftale__navn"],
            borger_id=r["borger_id"],
        )
        for r in raekker
    ]


def som_udskrivninger(raekker) -> list[Bevaegelse]:
    return [
        Bevaegelse(
            dato=r["dato"],
            navn=f"{r['forloeb__borger__fornavn']} {r['forloeb__borger__efternavn']}",
            pladsaftale=r["forloeb__pladsaftale__navn"],
            borger_id=r["forloeb__borger_id"],
            aarsag=Udskrivning.Aarsag(r["aarsag"]).label,
        )
        for r in raekker
    ]


def ind_og_udskrivning(
    *, bruger: Bruger, fra: datetime.date | None, til: datetime.date | None, side=1
) -> IndOgUdskrivning:
    """Intakes and discharges in [fra, til] (both days included) on the covered agreements: the
    counts per month and reason, and page `side` of each list (the last page for a too-high one).

    Without a period (an invalid form) only the occupancy is read.
    """
    if fra is None or til is None:
        return IndOgUdskrivning(
            fra=fra,
            til=til,
            indskrivninger=[],
            udskrivninger=[],
            pr_maaned=[],
            pr_aarsag={},
            belaegning=belaegning(bruger=bruger),
            side=None,
        )
    optalt = antal(bruger=bruger, fra=fra, til=til)
    # The counts are known from the grouped query, so the pages need no COUNT of their own: the
    # longer list decides how many pages there are.
    sider = Paginator(range(max(optalt.indskrevet_i_alt, optalt.udskrevet_i_alt)), PR_SIDE)
    denne = sider.get_page(side)
    fra_raekke = (denne.number - 1) * PR_SIDE
    udsnit = slice(fra_raekke, fra_raekke + PR_SIDE)
    return IndOgUdskrivning(
        fra=fra,
        til=til,
        indskrivninger=som_indskrivninger(indskrivninger(bruger=bruger, fra=fra, til=til)[udsnit]),
        udskrivninger=som_udskrivninger(udskrivninger(bruger=bruger, fra=fra, til=til)[udsnit]),
        pr_maaned=optalt.pr_maaned,
        pr_aarsag=optalt.pr_aarsag,
        belaegning=belaegning(bruger=bruger),
        side=denne,
        indskrevet_i_alt=optalt.indskrevet_i_alt,
        udskrevet_i_alt=optalt.udskrevet_i_alt,
    )


def _dato(vaerdi) -> datetime.date:
    if isinstance(vaerdi, datetime.datetime):
        return vaerdi.date()
    if isinstance(vaerdi, str):
        return datetime.date.fromisoformat(vaerdi[:10])
    return vaerdi


def _maaneder(fra: datetime.date, til: datetime.date) -> list[datetime.date]:
    maaned = fra.replace(day=1)
    ud = []
    while maaned <= til:
        ud.append(maaned)
        maaned = (maaned + datetime.timedelta(days=32)).replace(day=1)
    return ud
