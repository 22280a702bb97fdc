"""The committee's evaluation report (issue 10): for a period, the figures Beskæftigelsesudvalget
decides from, as one `Evaluering` that the web page, the PDF and the spreadsheet all render.

Most figures come from the tested selectors beside this module (the funnel, place-months,
discharge reasons, the waiting list, intake and discharge per month, the loan portfolio); this
module adds only what they lack: attendance by session type, the cost of the places, and the
outcomes at follow-up. Every count of persons is published through `smaa_tal` (`<3` for 1 and 2,
and secondary suppression in tables with totals), so the three formats hide the same cells.

Only counts and amounts are read: never a name, a CPR number or a note.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from forloeb.models import Aktivitet, Deltagelse, Opfoelgning
from laan import selectors as laan_selectors
from laan.models import Laan
from mikrolaan.konti.models import Bruger
from visitation.models import Pladsaftale

from . import diagram
from .ind_og_udskrivning import Maaned, antal
from .noegletal import Pladsmaaneder, Venteliste, aarsager, pladsmaaneder, venteliste
from .smaa_tal import Tabel, Tal, tabel
from .tragt import Trin, tragt

FREMMOEDE = (Deltagelse.Status.DELTOG, Deltagelse.Status.AFBUD, Deltagelse.Status.UDEBLEV)
KRONE = Decimal("0.01")


@dataclass(frozen=True)
class Fremmoede:
    """Registered attendance by session type (rows) and status (columns), with totals."""

    typer: list[str]
    statusser: list[str]
    tabel: Tabel

    @property
    def raekker(self) -> list[tuple[str, list[Tal], Tal]]:
        return list(zip(self.typer, self.tabel.celler, self.tabel.raekketotaler, strict=True))


@dataclass(frozen=True)
class Udfald:
    """Follow-ups answered in the period: self-supporting yes/no at 3, 6 and 12 months."""

    tidspunkter: list[str]
    tabel: Tabel

    @property
    def raekker(self) -> list[tuple[str, list[Tal], Tal]]:
        return list(zip(self.tidspunkter, self.tabel.celler, self.tabel.raekketotaler, strict=True))


@dataclass(frozen=True)
class Maanedstal:
    """Intake and discharge per month, suppressed as one table with totals."""

    maaneder: list[datetime.date]
    tabel: Tabel

    @property
    def raekker(self) -> list[tuple[datetime.date, list[Tal], Tal]]:
        return list(zip(self.maaneder, self.tabel.celler, self.tabel.raekketotaler, strict=True))


@dataclass(frozen=True)
class Omkostning:
    # The places' price for the part of each agreement that falls in the period, in kroner.
    i_alt: Decimal
    pr_optaget: Decimal | None
    pr_virksomhed: Decimal | None


@dataclass
class Evaluering:
    fra: datetime.date
    til: datetime.date
    tragt: list[Trin]
    pladsmaaneder: list[Pladsmaaneder]
    udskrivningsaarsager: list[tuple[str, Tal]]
    venteliste: Venteliste
    maanedstal: Maanedstal
    fremmoede: Fremmoede
    udfald: Udfald
    omkostning: Omkostning
    portefoelje: laan_selectors.Portefoelje
    diagrammer: dict[str, str] = field(default_factory=dict)

    def trin(self, noegle: str) -> Trin:
        return next(t for t in self.tragt if t.noegle == noegle)


def fremmoede(*, bruger: Bruger, fra: datetime.date, til: datetime.date) -> Fremmoede:
    """Attendance at the period's sessions, not cancelled ones, of the programmes on the followed
    agreements: one grouped query. Every session type is a row, zeros too, so the table's shape
    says nothing."""
    antal = {
        (t, s): n
        for t, s, n in Deltagelse.objects.filter(
            forloeb__pladsaftale__in=Pladsaftale.objects.overvaagede_af(bruger).values("pk"),
            aktivitet__dato__range=(fra, til),
            aktivitet__aflyst__isnull=True,
        )
        .values_list("aktivitet__type", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return Fremmoede(
        typer=[t.label for t in Aktivitet.Type],
        statusser=[s.label for s in FREMMOEDE],
        tabel=tabel([[antal.get((t, s), 0) for s in FREMMOEDE] for t in Aktivitet.Type]),
    )


def udfald(*, bruger: Bruger, fra: datetime.date, til: datetime.date) -> Udfald:
    """The answered follow-ups falling due in the period, by time after discharge and answer:
    one grouped query."""
    antal = {
        (m, s): n
        for m, s, n in Opfoelgning.objects.filter(
            forloeb__pladsaftale__in=Pladsaftale.objects.overvaagede_af(bruger).values("pk"),
            forfalder__range=(fra, til),
            selvforsoergende__isnull=False,
        )
        .values_list("maaneder", "selvforsoergende")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return Udfald(
        tidspunkter=[_("%(m)d måneder") % {"m": m} for m in Opfoelgning.MAANEDER],
        tabel=tabel([[antal.get((m, s), 0) for s in (True, False)] for m in Opfoelgning.MAANEDER]),
    )


def omkostning(
    *, bruger: Bruger, fra: datetime.date, til: datetime.date, optaget: Tal, virksomhed: Tal
) -> Omkostning:
    """The price of the places in the period: an agreement's price per place covers the place for
    the agreement's whole period, so each agreement counts with the share of its days that falls
    in [fra, til] (that is, by the place-months bought in the period). One query."""
    i_alt = Decimal(0)
    for a in (
        Pladsaftale.objects.overvaagede_af(bruger)
        .filter(gyldig_fra__lte=til, gyldig_til__gte=fra)
        .values("antal_pladser", "pris_pr_plads", "gyldig_fra", "gyldig_til")
    ):
        dage = (a["gyldig_til"] - a["gyldig_fra"]).days + 1
        i_perioden = (min(a["gyldig_til"], til) - max(a["gyldig_fra"], fra)).days + 1
        i_alt += a["pris_pr_plads"] * a["antal_pladser"] * i_perioden / dage
    return Omkostning(
        i_alt=i_alt.quantize(KRONE),
        pr_optaget=_pr(i_alt, optaget),
        pr_virksomhed=_pr(i_alt, virksomhed),
    )


def _pr(beloeb: Decimal, antal: Tal) -> Decimal | None:
    """The amount per person, or None when the count is hidden (the amount and the cost would give
    it away) or zero."""
    if antal.skjult or antal.vaerdi == 0:
        return None
    return (beloeb / antal.vaerdi).quantize(KRONE)


def _maanedstal(pr_maaned: list[Maaned]) -> Maanedstal:
    return Maanedstal(
        maaneder=[m.maaned for m in pr_maaned],
        tabel=tabel([[m.indskrevet, m.udskrevet] for m in pr_maaned]),
    )


def evaluering(*, bruger: Bruger, fra: datetime.date, til: datetime.date) -> Evaluering:
    """The report for [fra, til] (both days included) on the agreements the user follows."""
    trin = tragt(bruger=bruger, fra=fra, til=til)
    # Intake and discharge per month and the discharge reasons: one grouped query for both.
    optalt = antal(bruger=bruger, fra=fra, til=til)
    efter_noegle = {t.noegle: t.antal for t in trin}
    rapport = Evaluering(
        fra=fra,
        til=til,
        tragt=trin,
        pladsmaaneder=pladsmaaneder(bruger=bruger, fra=fra, til=til),
        udskrivningsaarsager=aarsager(optalt.pr_aarsag),
        venteliste=venteliste(bruger=bruger),
        maanedstal=_maanedstal(optalt.pr_maaned),
        fremmoede=fremmoede(bruger=bruger, fra=fra, til=til),
        udfald=udfald(bruger=bruger, fra=fra, til=til),
        omkostning=omkostning(
            bruger=bruger,
            fra=fra,
            til=til,
            optaget=efter_noegle["optaget"],
            virksomhed=efter_noegle["virksomhed"],
        ),
        portefoelje=laan_selectors.portefoelje(Laan.objects.overvaagede_af(bruger)),
    )
    rapport.diagrammer = _diagrammer(rapport)
    return rapport


def _diagrammer(rapport: Evaluering) -> dict[str, str]:
    """The PDF's charts, drawn from the same published counts as the tables beside them."""
    maaneder = rapport.maanedstal
    return {
        "maaneder": diagram.soejlediagram(
            _("Ind- og udskrivning pr. måned"),
            _("Antal indskrevne og udskrevne pr. måned; tallene står også i tabellen."),
            [m.strftime("%m.%y") for m in maaneder.maaneder],
            [
                diagram.Serie(_("Indskrevet"), [r[0] for r in maaneder.tabel.celler]),
                diagram.Serie(_("Udskrevet"), [r[1] for r in maaneder.tabel.celler]),
            ],
            noegle="maaneder",
        ),
        "tragt": diagram.soejlediagram(
            _("Tragten"),
            _("Antal henvisninger, der nåede hvert trin; tallene står også i tabellen."),
            [str(i) for i in range(1, len(rapport.tragt) + 1)],
            [diagram.Serie(_("Antal"), [t.antal for t in rapport.tragt])],
            noegle="tragt",
        ),
    }
