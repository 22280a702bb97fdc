"""`opret_skaladata`: the whole load, in one transaction, in the order the rows depend on."""

import datetime
import random
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from borgere.models import Borger, Forsoergelsesgrundlag
from mikrolaan.notifikationer.models import Notifikation
from mikrolaan.revision.models import AdgangsLog
from visitation.models import Pladsaftale

from . import aktiviteter, borgere, laan, sager, spor
from .organisationer import opret_brugere, opret_organisationer
from .plan import lav_aftaler, lav_plan, perioder, vaelg
from .skriver import Skriver
from .stoerrelser import Skala

# Share of the total work each step takes (for the progress bar), measured on the national set.
TRIN = [
    ("Organisationer og brugere", 0.01),
    ("Planlægning", 0.06),
    ("Borgere", 0.04),
    ("Henvisninger og forløb", 0.09),
    ("Aktiviteter", 0.05),
    ("Deltagelser", 0.18),
    ("Lån", 0.04),
    ("Notifikationer", 0.28),
    ("Adgangslog", 0.24),
    ("ANALYZE", 0.01),
]


class BorgereFindesError(Exception):
    """The scale data is made on an empty database only (it numbers its own rows)."""


def opret_skaladata(
    skala: Skala, *, seed: int = 1, fremskridt: Callable[[str, float], None] | None = None
) -> dict[str, int]:
    """Create the data set in one transaction; returns the rows written per table ("app.Model").

    Only on a migrated database without citizens (`BorgereFindesError` otherwise): the set
    numbers its own rows, so the same `seed` on the same day gives the same rows. `fremskridt`,
    if given, is called with the current step's name and the share of the work done (0–1).
    """
    if Borger.objects.exists():
        raise BorgereFindesError(
            "Databasen har allerede borgere. Skaladata oprettes kun i en tom, migreret database."
        )
    melder = _Melder(fremskridt)
    # Not for secrets: a seeded generator, so the same seed gives the same data.
    rng = random.Random(seed)  # noqa: S311
    idag = timezone.localdate().toordinal()
    start = idag - round(365.25 * skala.aar)
    skriver = Skriver()
    with transaction.atomic():
        melder.trin("Organisationer og brugere")
        orgs = opret_organisationer()
        verden = opret_brugere(rng, orgs, start, idag)
        grundlag = dict(Forsoergelsesgrundlag.objects.values_list("navn", "id"))

        melder.trin("Planlægning")
        aftaler = lav_aftaler(
            verden, skriver.ids(Pladsaftale, _antal_aftaler(verden, start, idag)), start, idag
        )
        plan = lav_plan(rng, skala, verden, aftaler, start, idag)
        Pladsaftale.objects.bulk_create(
            Pladsaftale(
                id=a.id,
                navn=a.navn,
                koeber_id=a.koeber_id,
                leverandoer_id=a.leverandoer_id,
                antal_pladser=a.antal_pladser,
                gyldig_fra=_dato(a.fra),
                gyldig_til=_dato(a.til),
                pris_pr_plads=a.pris,
            )
            for a in plan.aftaler
        )
        skriver.antal["visitation.Pladsaftale"] = len(plan.aftaler)
        skriver.tjek_udskudte()

        melder.trin("Borgere")
        borger_ider = skriver.ids(Borger, len(plan.borgere))
        _flyt_borgere(plan, borger_ider.start)
        navne = borgere.borgernavne(rng, len(plan.borgere))
        skriver.skriv(
            Borger,
            borgere.FELTER,
            borgere.borgerraekker(
                rng, plan, verden, navne, grundlag, vaelg, lambda i: melder.del_(i / len(navne))
            ),
        )

        melder.trin("Henvisninger og forløb")
        sager.tildel_ider(plan, skriver)
        sager.skriv_sager(rng, skriver, plan, verden, grundlag, idag)

        melder.trin("Aktiviteter")
        sessioner = aktiviteter.planlaeg(rng, plan.sager, verden, skala.deltagelser, idag)
        melder.trin("Deltagelser")
        aktiviteter.skriv_aktiviteter(rng, skriver, sessioner, melder.del_)
        del sessioner

        melder.trin("Lån")
        laanene = laan.planlaeg(rng, plan.sager, skala.laan, idag)
        laan.skriv_laan(rng, skriver, laanene, idag)

        melder.trin("Notifikationer")
        haendelser = spor.haendelser(plan, laanene, verden, navne, idag)
        skriver.skriv(
            Notifikation,
            spor.NOTIFIKATION,
            spor.notifikationsraekker(rng, haendelser, skriver.ids(Notifikation, 0).start, idag),
        )
        melder.trin("Adgangslog")
        skriver.skriv(
            AdgangsLog,
            spor.ADGANGSLOG,
            spor.adgangslograekker(
                rng,
                plan,
                laanene,
                verden,
                navne,
                skala.adgangslog,
                idag,
                skriver.ids(AdgangsLog, 0).start,
            ),
        )
        skriver.afslut()
    melder.trin("ANALYZE")
    if connection.vendor == "postgresql":
        skriver.analyser()
    melder.slut()
    return dict(sorted(skriver.antal.items()))


def _antal_aftaler(verden, start: int, idag: int) -> int:
    return sum(len(k.leverandoerer) for k in verden.kommuner) * len(perioder(start, idag))


def _flyt_borgere(plan, foerste: int) -> None:
    plan.borger_start = foerste
    if foerste == 1:
        return
    forskydning = foerste - 1
    plan.borgere = [(b + forskydning, k, d) for b, k, d in plan.borgere]
    for sag in plan.sager:
        sag.borger_id += forskydning


def _dato(dag: int) -> datetime.date:
    return datetime.date.fromordinal(dag)


class _Melder:
    """Progress as one share of the whole (0–1), from the steps' weights in TRIN."""

    def __init__(self, fremskridt):
        self.fremskridt = fremskridt or (lambda besked, andel: None)
        self.vaegte = dict(TRIN)
        self.foer = 0.0
        self.aktuelt = None
        self.start = time.monotonic()

    def trin(self, navn: str) -> None:
        if self.aktuelt is not None:
            self.foer += self.vaegte[self.aktuelt]
        self.aktuelt = navn
        self.fremskridt(navn, self.foer)

    def del_(self, andel: float) -> None:
        self.fremskridt(self.aktuelt, self.foer + self.vaegte[self.aktuelt] * min(1.0, andel))

    def slut(self) -> None:
        self.fremskridt("Færdig", 1.0)
