"""The demo's microloans: every state of a loan, Gustav's in the past and Anna's today."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from forloeb.models import Forloeb
from laan.models import Indbetaling, Laan, Sagsgang
from laan.services import indbetalinger, livsforloeb
from mikrolaan.konti.models import Bruger

from .tid import _dateret, _tidspunkt

# Every state of a loan, made through the loan services (course staff the maker, the caseworker
# the checker) while the programme is in its main phase.
#
# Gustav's main phase ran in July and August, so his loans happened then. The services take the
# dates a user would type (disbursement, payments) but stamp their own moments "now" (applied,
# granted, each move, each registration, a proposed write-off) — and a disbursement may not be
# dated before the approval. As for the programmes (demo/forloeb.py), the rows the services just
# wrote are moved back to the story's day with .update() (`_laan_dateret`), step by step, so each
# service sees the dates it checks.
#
#   afslået     25.000 kr., applied 07.07.2026, refused 09.07.2026
#   udbetalt    15.000 kr. over 12 months, paid out 24.07.2026; only August's 1.250 kr. paid, so
#               the instalment of 24.09.2026 is more than 30 days overdue (PAR30 > 0). Its
#               instalment of 24.12.2026 (Christmas Eve, the banks are closed) is due 28.12.2026.
#   indfriet     3.000 kr. over 3 months, paid out 24.07.2026, repaid by 26.10.2026
#   afskrevet    6.000 kr. over 6 months, paid out 03.08.2026, 1.000 kr. paid, the rest written off
#               in November (proposed by course staff, approved by the caseworker)
#
# Anna moves to the main phase today, so hers are today's: one paid out (12.500 kr. over 10
# months, 1.250 kr. each), one granted awaiting disbursement, one awaiting approval, one withdrawn.
#
# On a new database the loans are numbered in this order, so their payment references are fixed:
# Gustav's 15.000 kr. loan is 00000026 and Anna's paid-out loan 00000059 — the references of the
# bank statement in docs/eksempel-kontoudtog.csv.


@contextmanager
def _laan_dateret(dato: datetime.date, klokken: int = 10):
    """What the loan services write inside the block happened on `dato` at `klokken`: the moves
    (Sagsgang), the payments' registration, and the loan's own moments set now (applied, granted,
    write-off proposed); notifications as `_dateret`."""
    foer_gang = Sagsgang.objects.aggregate(m=Max("pk"))["m"] or 0
    foer_indbetaling = Indbetaling.objects.aggregate(m=Max("pk"))["m"] or 0
    start = timezone.now()
    with _dateret(dato):
        yield
    tid = _tidspunkt(dato, klokken)
    Sagsgang.objects.filter(pk__gt=foer_gang).update(tidspunkt=tid)
    Indbetaling.objects.filter(pk__gt=foer_indbetaling).update(registreret=tid)
    for felt in ("oprettet", "bevilget", "afskrivning_indstillet"):
        Laan.objects.filter(**{f"{felt}__gte": start}).update(**{felt: tid})


def _ansoeg(forloeb, medarbejder, beloeb: str, formaal: str, budget: str, **vilkaar) -> Laan:
    return livsforloeb.ansoeg(
        bruger=medarbejder,
        forloeb=forloeb,
        beloeb=Decimal(beloeb),
        formaal=formaal,
        budget=budget,
        **({"loebetid": 12, "afdragsfri": 0} | vilkaar),
    )


def _indbetal(laan: Laan, medarbejder: Bruger, dato: datetime.date, beloeb: str) -> None:
    with _laan_dateret(dato, 14):
        indbetalinger.registrer(
            bruger=medarbejder,
            laan=laan,
            dato=dato,
            beloeb=Decimal(beloeb),
            reference=laan.reference,
        )


def _gustavs_laan(forloeb: Forloeb, medarbejder: Bruger, sagsbehandler: Bruger) -> None:
    with _laan_dateret(datetime.date(2026, 7, 7)):
        afslaaet = _ansoeg(
            forloeb,
            medarbejder,
            "25000.00",
            "Værkstedslokale og varevogn",
            "Indskud i lejemål 10.000 kr., brugt varevogn 15.000 kr.",
            loebetid=36,
        )
    with _laan_dateret(datetime.date(2026, 7, 9)):
        livsforloeb.afslaa(
            bruger=sagsbehandler,
            laan=afslaaet,
            begrundelse="Budgettet bygger på et salg, som markedsanalysen ikke understøtter. "
            "Søg igen om et mindre beløb til det, der skal bruges først.",
        )

    with _laan_dateret(datetime.date(2026, 7, 13)):
        i_restance = _ansoeg(
            forloeb,
            medarbejder,
            "15000.00",
            "Værktøj og reservedele til cykelværksted",
            "Værktøj 9.000 kr., første lager af reservedele 6.000 kr.",
        )
    with _laan_dateret(datetime.date(2026, 7, 13), 11):
        indfriet = _ansoeg(
            forloeb,
            medarbejder,
            "3000.00",
            "Hjemmeside og skilt",
            "Hjemmeside 1.800 kr., skilt til facaden 1.200 kr.",
            loebetid=3,
        )
    for laan in (i_restance, indfriet):
        with _laan_dateret(datetime.date(2026, 7, 16)):
            livsforloeb.bevilg(bruger=sagsbehandler, laan=laan)
        with _laan_dateret(datetime.date(2026, 7, 24)):
            livsforloeb.udbetal(bruger=medarbejder, laan=laan, dato=datetime.date(2026, 7, 24))
        laan.refresh_from_db()
    _indbetal(i_restance, medarbejder, datetime.date(2026, 8, 24), "1250.00")
    for dato in (
        datetime.date(2026, 8, 24),
        datetime.date(2026, 9, 24),
        datetime.date(2026, 10, 26),
    ):
        _indbetal(indfriet, medarbejder, dato, "1000.00")

    with _laan_dateret(datetime.date(2026, 7, 27)):
        afskrevet = _ansoeg(
            forloeb,
            medarbejder,
            "6000.00",
            "Svejseudstyr",
            "Svejseværk og sikkerhedsudstyr 6.000 kr.",
            loebetid=6,
        )
    with _laan_dateret(datetime.date(2026, 7, 29)):
        livsforloeb.bevilg(bruger=sagsbehandler, laan=afskrevet)
    with _laan_dateret(datetime.date(2026, 8, 3)):
        livsforloeb.udbetal(bruger=medarbejder, laan=afskrevet, dato=datetime.date(2026, 8, 3))
    afskrevet.refresh_from_db()
    _indbetal(afskrevet, medarbejder, datetime.date(2026, 9, 3), "1000.00")
    with _laan_dateret(datetime.date(2026, 11, 2)):
        livsforloeb.indstil_afskrivning(
            bruger=medarbejder,
            laan=afskrevet,
            begrundelse="Svejseværket var defekt, og forhandleren er gået konkurs. Gustav kan "
            "ikke betale for udstyr, han ikke kan bruge; et inkasso vil koste mere end restgælden.",
        )
    with _laan_dateret(datetime.date(2026, 11, 4)):
        livsforloeb.afskriv(bruger=sagsbehandler, laan=afskrevet)


def _annas_laan(forloeb: Forloeb, medarbejder: Bruger, sagsbehandler: Bruger) -> None:
    """Anna's loans, today: the ones the caseworker and course staff act on next."""
    udbetalt = _ansoeg(
        forloeb,
        medarbejder,
        "12500.00",
        "Kaffemaskine og inventar til café",
        "Kaffemaskine 8.000 kr., borde og stole 3.000 kr., første varelager 1.500 kr.",
        loebetid=10,
        afdragsfri=2,
    )
    livsforloeb.bevilg(bruger=sagsbehandler, laan=udbetalt)
    livsforloeb.udbetal(bruger=medarbejder, laan=udbetalt, dato=timezone.localdate())
    bevilget = _ansoeg(
        forloeb,
        medarbejder,
        "8000.00",
        "Ladcykel til udbringning",
        "Brugt el-ladcykel 8.000 kr.",
        loebetid=12,
    )
    livsforloeb.bevilg(bruger=sagsbehandler, laan=bevilget)
    _ansoeg(
        forloeb,
        medarbejder,
        "10000.00",
        "Markedsføring af åbningen",
        "Annoncer 4.000 kr., åbningsarrangement 3.000 kr., tryksager 3.000 kr.",
        loebetid=20,
        afdragsfri=3,
    )
    trukket = _ansoeg(
        forloeb, medarbejder, "5000.00", "Opvaskemaskine", "Erhvervsopvaskemaskine 5.000 kr."
    )
    livsforloeb.traek_tilbage(
        bruger=medarbejder,
        laan=trukket,
        begrundelse="Anna har fået en brugt opvaskemaskine med lokalet.",
    )
