"""Key figures of the place agreements the Erhvervschef follows, for a period: place-months used
of place-months bought, discharge reasons, and the waiting list's length and median wait.

Read through `overvaagede_af` (the buyer's rows, all of them for an Administrator), aggregated in
the database where the figure is a count and in Python only over the period's programmes (at most
places × period of them per agreement, whatever the size of the country's data). Counts of persons
are published through `smaa_tal`.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from django.utils import timezone

from forloeb.models import Forloeb, Udskrivning
from mikrolaan.konti.models import Bruger
from visitation.models import Pladsaftale, VentelistePlads

from .ind_og_udskrivning import antal
from .smaa_tal import Tal, primaer

# A place-month is a place used for an average month: 365.25 / 12 days.
DAGE_PR_MAANED = Decimal("30.4375")


@dataclass(frozen=True)
class Pladsmaaneder:
    pladsaftale: str
    koebte_dage: int
    brugte_dage: int

    @property
    def koebt(self) -> Decimal:
        return _maaneder(self.koebte_dage)

    @property
    def brugt(self) -> Decimal:
        return _maaneder(self.brugte_dage)

    @property
    def andel(self) -> Decimal | None:
        """Used of bought, from the days (not the rounded months shown beside it)."""
        if not self.koebte_dage:
            return None
        return (Decimal(self.brugte_dage) / self.koebte_dage).quantize(Decimal("0.001"))


def _dage(fra: datetime.date, til: datetime.date) -> int:
    """Days from `fra` to `til`, both included (0 when the span is empty)."""
    return max((til - fra).days + 1, 0)


def _maaneder(dage: int) -> Decimal:
    return (Decimal(dage) / DAGE_PR_MAANED).quantize(Decimal("0.1"))


def pladsmaaneder(*, bruger: Bruger, fra: datetime.date, til: datetime.date) -> list[Pladsmaaneder]:
    """Per agreement: the places bought over the part of the period the agreement runs, and the
    days its programmes occupied a place in the period (admission to discharge, or to today while
    still running), both in place-months. Two queries: the agreements, the programmes."""
    idag = timezone.localdate()
    aftaler = list(
        Pladsaftale.objects.overvaagede_af(bruger)
        .filter(gyldig_fra__lte=til, gyldig_til__gte=fra)
        .order_by("-gyldig_fra", "navn")
        .values("pk", "navn", "antal_pladser", "gyldig_fra", "gyldig_til")
    )
    brugte_dage = dict.fromkeys((a["pk"] for a in aftaler), 0)
    forloeb = (
        Forloeb.objects.filter(pladsaftale__in=brugte_dage, startdato__lte=til)
        .exclude(udskrivning__dato__lt=fra)
        .values_list("pladsaftale_id", "startdato", "udskrivning__dato")
    )
    for aftale_id, start, udskrevet in forloeb:
        slut = min(udskrevet or idag, til)
        brugte_dage[aftale_id] += _dage(max(start, fra), slut)
    return [
        Pladsmaaneder(
            pladsaftale=a["navn"],
            koebte_dage=a["antal_pladser"]
            * _dage(max(a["gyldig_fra"], fra), min(a["gyldig_til"], til)),
            brugte_dage=brugte_dage[a["pk"]],
        )
        for a in aftaler
    ]


def udskrivningsaarsager(
    *, bruger: Bruger, fra: datetime.date, til: datetime.date
) -> list[tuple[str, Tal]]:
    """Each discharge reason with the period's count (every reason listed, zeros too, so the
    table's shape says nothing). One query; a page that also shows the counts per month has them
    already (`ind_og_udskrivning.antal`) and calls `aarsager`."""
    return aarsager(antal(bruger=bruger, fra=fra, til=til).pr_aarsag)


def aarsager(pr_aarsag: dict[str, int]) -> list[tuple[str, Tal]]:
    """Every discharge reason with its count from `Antal.pr_aarsag`, published through smaa_tal."""
    return [
        (aarsag.label, primaer(pr_aarsag.get(aarsag.value, 0))) for aarsag in Udskrivning.Aarsag
    ]


@dataclass(frozen=True)
class Venteliste:
    laengde: Tal
    # Median days the people on the list now have waited; None when it would describe one or two
    # persons (a median of two is their average: it points at them).
    median_ventetid: int | None


def venteliste(*, bruger: Bruger) -> Venteliste:
    """The waiting lists of the agreements the user follows, now. One query."""
    idag = timezone.localdate()
    opskrevet = list(
        VentelistePlads.objects.filter(
            pladsaftale__in=Pladsaftale.objects.overvaagede_af(bruger), afsluttet__isnull=True
        ).values_list("opskrevet", flat=True)
    )
    laengde = primaer(len(opskrevet))
    ventetider = [(idag - timezone.localdate(tid)).days for tid in opskrevet]
    median_ventetid = round(median(ventetider)) if ventetider and not laengde.skjult else None
    return Venteliste(laengde=laengde, median_ventetid=median_ventetid)
