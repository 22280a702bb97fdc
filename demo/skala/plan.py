"""The case plan: who was referred where and when, and how far each case got by today.

Everything is decided here in memory, as day ordinals and ids, before a row is written: the
writers (`sager.py`, `aktiviteter.py`, `laan.py`, `spor.py`) only turn the plan into rows. Each
case follows the application's own rules: one open referral per citizen; referral → visitation →
signatures → admission (or waiting list, rejection, withdrawal); phases of 6 + 6 calendar months
moved by extensions with a reason; the main phase only after an assessment; discharge with a
reason (a completion only from the main phase) and follow-ups after 3, 6 and 12 months.
"""

import datetime
from dataclasses import dataclass

from .organisationer import PILOT_KOEBER, PILOT_LEVERANDOER, PILOTAFTALE, Aftale, Verden
from .tid import maaneder_frem

# The non-programme outcomes of a referral per 100,000 citizens (10 % more referrals than
# programmes: rejected, withdrawn, still in intake).
ANDRE_UDFALD = {
    "henvist": 1_500,
    "afventer_underskrift": 1_000,
    "venteliste": 1_500,
    "afvist": 4_000,
    "tilbagetrukket": 1_500,
    "fjernet_fra_venteliste": 500,
}
AFSLUTTENDE = ("afvist", "tilbagetrukket", "fjernet_fra_venteliste")
BRUDAARSAGER = [
    ("job", 30),
    ("uddannelse", 12),
    ("sygdom", 22),
    ("manglende_motivation", 18),
    ("flyttet", 8),
    ("andet", 10),
]


class Sag:
    """One referral and whatever came of it."""

    __slots__ = (
        "henvisning_id",
        "borger_id",
        "kommune",
        "aftale",
        "sagsbehandler",
        "henvist",
        "udfald",
        "moede",
        "visitator",
        "afgjort",
        "venteliste_fra",
        "venteliste_til",
        "rettelse_dag",
        "forloeb_id",
        "start",
        "medarbejder",
        "skifte",
        "slut",
        "status",
        "aarsag",
        "opk_slut",
        "hoved_slut",
        "forl_opk",
        "forl_hoved",
        "risiko",
        "opf",
    )

    def __init__(self, henvisning_id, borger_id, kommune, udfald):
        self.henvisning_id = henvisning_id
        self.borger_id = borger_id
        self.kommune = kommune
        self.udfald = udfald
        self.aftale = self.sagsbehandler = self.henvist = self.moede = self.visitator = None
        self.afgjort = self.venteliste_fra = self.venteliste_til = self.rettelse_dag = None
        self.forloeb_id = self.start = self.medarbejder = self.skifte = self.slut = None
        self.status = self.aarsag = self.opk_slut = self.hoved_slut = None
        self.forl_opk = self.forl_hoved = None
        self.risiko = False
        self.opf = ()  # follow-ups: (id, due day, registered day or None)

    @property
    def aktiv(self) -> bool:
        return self.status in ("opkvalificering", "hovedforloeb")

    @property
    def henvisningsstatus(self) -> str:
        if self.forloeb_id is None:
            return self.udfald
        return "optaget" if self.aktiv else "afsluttet"


@dataclass
class Plan:
    sager: list[Sag]
    borgere: list  # (borger id, kommune, first case's referral day) per citizen
    aftaler: list[Aftale]
    borger_start: int = 1
    forloeb_start: int = 0
    fase_start: int = 0


def perioder(start: int, idag: int) -> list[tuple[int, int]]:
    """Two-year agreement periods back from the current one, which runs to the end of next year."""
    aar = datetime.date.fromordinal(idag).year
    ud = [(datetime.date(aar - 1, 1, 1).toordinal(), datetime.date(aar + 1, 12, 31).toordinal())]
    while ud[-1][0] > start:
        fra = datetime.date.fromordinal(ud[-1][0]).year - 2
        ud.append(
            (datetime.date(fra, 1, 1).toordinal(), datetime.date(fra + 1, 12, 31).toordinal())
        )
    return ud[::-1]


def lav_aftaler(verden: Verden, ider, start: int, idag: int) -> dict:
    """One agreement per buyer, provider and period: {(buyer, provider): [Aftale by period]}."""
    aftaler: dict[tuple[int, int], list[Aftale]] = {}
    ider = iter(ider)
    for kommune in verden.kommuner:
        for lev_id, _ in kommune.leverandoerer:
            raekke = aftaler.setdefault((kommune.id, lev_id), [])
            for fra, til in perioder(start, idag):
                aar = f"{datetime.date.fromordinal(fra).year}–{datetime.date.fromordinal(til).year}"
                navn = f"{kommune.navn} hos {verden.navne[lev_id]} {aar}"
                if (
                    verden.navne[kommune.id] == PILOT_KOEBER
                    and verden.navne[lev_id] == PILOT_LEVERANDOER
                    and til >= idag
                ):
                    navn = PILOTAFTALE
                raekke.append(Aftale(next(ider), navn, kommune.id, lev_id, fra, til, 45_000))
    verden.aftaler = [a for raekke in aftaler.values() for a in raekke]
    return aftaler


def _aftale(raekke: list[Aftale], dag: int) -> Aftale:
    for aftale in raekke:
        if aftale.fra <= dag <= aftale.til:
            return aftale
    return raekke[0] if dag < raekke[0].fra else raekke[-1]


def _historisk_dag(rng, fra: int, til: int) -> int:
    # Growing over the years: more referrals lately than at the start.
    return fra + int((til - fra) * rng.random() ** 0.75)


def lav_plan(rng, skala, verden: Verden, aftaler: dict, start: int, idag: int) -> Plan:
    faktor = skala.borgere / 100_000
    andre = {u: max(1, round(n * faktor)) for u, n in ANDRE_UDFALD.items()}
    afsluttende = [u for u, n in andre.items() if u in AFSLUTTENDE for _ in range(n)]
    ventende = [u for u, n in andre.items() if u not in AFSLUTTENDE for _ in range(n)]
    rng.shuffle(afsluttende)
    # Citizens with an earlier, closed case: 70 % a programme, 30 % a rejection or withdrawal.
    tidligere_antal = max(0, skala.forloeb + len(afsluttende) + len(ventende) - skala.borgere)
    tidligere_andre = min(len(afsluttende) // 2, round(tidligere_antal * 0.3))
    tidligere = ["forloeb"] * (tidligere_antal - tidligere_andre) + afsluttende[:tidligere_andre]
    nuvaerende = (
        ["forloeb"] * (skala.forloeb - tidligere.count("forloeb"))
        + afsluttende[tidligere_andre:]
        + ventende
    )
    rng.shuffle(nuvaerende)
    rng.shuffle(tidligere)
    nuvaerende = nuvaerende[: skala.borgere]

    kommuner = verden.kommuner
    vaegte = [k.vaegt for k in kommuner]
    sager: list[Sag] = []
    borgere = []
    for nr, udfald in enumerate(nuvaerende):
        borger_id = nr + 1
        kommune = rng.choices(kommuner, vaegte)[0]
        lev_id = rng.choices(*zip(*kommune.leverandoerer, strict=True))[0]
        raekke = aftaler[(kommune.id, lev_id)]
        foer = tidligere[nr] if nr < len(tidligere) else None
        sag = Sag(None, borger_id, kommune, udfald)
        # A citizen with an earlier case comes back at least 16 months after it.
        tidligst = start + (500 if foer else 0)
        _datoer(rng, sag, tidligst, idag)
        sag.aftale = _aftale(raekke, sag.henvist)
        _forloeb_eller_afslag(rng, sag, verden, idag, senest=None)
        if foer:
            # Planned after the current case, whose referral day may have moved; it ends first.
            tidl = Sag(None, borger_id, kommune, foer)
            tidl.henvist = rng.randint(start, max(start, sag.henvist - 490))
            tidl.aftale = _aftale(raekke, tidl.henvist)
            _forloeb_eller_afslag(rng, tidl, verden, idag, senest=sag.henvist - 7)
            sager.append(tidl)
            borgere.append((borger_id, kommune, tidl.henvist))
        else:
            borgere.append((borger_id, kommune, sag.henvist))
        sager.append(sag)
    _pladser(rng, sager, verden, idag)
    return Plan(sager=sager, borgere=borgere, aftaler=verden.aftaler)


def _datoer(rng, sag: Sag, tidligst: int, idag: int) -> None:
    udfald = sag.udfald
    if udfald == "henvist":
        sag.henvist = idag - rng.randint(0, 30)
    elif udfald == "afventer_underskrift":
        sag.henvist = idag - rng.randint(8, 40)
    elif udfald == "venteliste":
        sag.henvist = idag - rng.randint(30, 220)
    elif udfald == "fjernet_fra_venteliste":
        sag.henvist = _historisk_dag(rng, tidligst, idag - 150)
    elif udfald == "forloeb":
        sag.henvist = _historisk_dag(rng, tidligst, idag - 35)
    else:
        sag.henvist = _historisk_dag(rng, tidligst, idag - 30)


def vaelg(rng, folk, dag: int) -> int:
    aktive = [m for m in folk if m.fra <= dag] or folk[:1]
    return rng.choices(aktive, [m.vaegt for m in aktive])[0].id


def _forloeb_eller_afslag(rng, sag: Sag, verden: Verden, idag: int, senest: int | None) -> None:
    aftale = sag.aftale
    if sag.udfald == "forloeb" and sag.henvist > aftale.til - 40:
        sag.henvist = max(aftale.fra, aftale.til - 40 - rng.randint(0, 30))
    sag.sagsbehandler = vaelg(rng, verden.sagsbehandlere[sag.kommune.jobcenter_id], sag.henvist)
    if sag.udfald == "henvist":
        return
    if sag.udfald == "tilbagetrukket":
        sag.rettelse_dag = min(idag, sag.henvist + rng.randint(2, 20))
        return
    sag.moede = min(idag, sag.henvist + rng.randint(3, 20))
    sag.visitator = vaelg(rng, verden.forloebsfolk[aftale.leverandoer_id], sag.moede)
    if sag.udfald == "afventer_underskrift":
        return
    sag.afgjort = min(idag, sag.moede + rng.randint(0, 4))
    if sag.udfald == "venteliste":
        sag.venteliste_fra = sag.afgjort
    elif sag.udfald == "fjernet_fra_venteliste":
        sag.venteliste_fra = sag.afgjort
        sag.venteliste_til = sag.rettelse_dag = min(idag, sag.afgjort + rng.randint(20, 120))
    elif sag.udfald == "forloeb":
        start = sag.afgjort
        if rng.random() < 0.08 and start + 160 < min(idag, aftale.til, senest or idag):
            sag.venteliste_fra = start
            start = sag.venteliste_til = start + rng.randint(14, 120)
        sag.start = start
        sag.medarbejder = sag.visitator
        _tidslinje(rng, sag, idag, senest)


def _tidslinje(rng, sag: Sag, idag: int, senest: int | None) -> None:
    """Phases, extensions, the move to the main phase and the discharge, as far as today."""
    start = sag.start
    opk_slut = maaneder_frem(start, 6)
    forl_opk = None
    if rng.random() < 0.10:
        forl_opk = (opk_slut, opk_slut + rng.randint(14, 60), opk_slut - rng.randint(0, 20))
        opk_slut = forl_opk[1]
    skifte = opk_slut + rng.randint(-12, 4)
    if rng.random() < 0.04 and senest is None:
        skifte = opk_slut + rng.randint(10, 75)  # late: overdue while it lasts
    skifte = max(skifte, start + 30)
    hoved_slut = maaneder_frem(skifte, 6)
    forl_hoved = None
    if rng.random() < 0.06:
        forl_hoved = (hoved_slut, hoved_slut + rng.randint(14, 60), hoved_slut - rng.randint(0, 20))
        hoved_slut = forl_hoved[1]
    slut = hoved_slut + rng.randint(-10, 5)
    if rng.random() < 0.04 and senest is None:
        slut = hoved_slut + rng.randint(10, 75)
    slut = max(slut, skifte + 1)
    brud = None
    if rng.random() < 0.27:
        brud = start + rng.randint(14, max(15, slut - start - 1))
    if senest is not None and slut > senest and (brud is None or brud > senest):
        brud = senest
    sag.risiko = rng.random() < 0.1

    if brud is not None and brud < slut and brud <= idag:
        sag.slut, sag.status = brud, "afbrudt"
        sag.aarsag = rng.choices(*zip(*BRUDAARSAGER, strict=True))[0]
    elif slut <= idag:
        sag.slut, sag.status = slut, "afsluttet"
        sag.aarsag = "egen_virksomhed" if rng.random() < 0.45 else "uden_virksomhed"
    else:
        sag.status = "hovedforloeb" if skifte <= idag else "opkvalificering"
    ende = sag.slut if sag.slut is not None else idag + 1
    if skifte >= ende or skifte > idag:
        skifte, forl_hoved = None, None
        hoved_slut = None
    if forl_opk and (
        forl_opk[2] >= ende or forl_opk[2] <= start or (skifte and forl_opk[2] >= skifte)
    ):
        opk_slut, forl_opk = forl_opk[0], None
    if forl_hoved and (forl_hoved[2] >= ende or forl_hoved[2] <= skifte):
        hoved_slut, forl_hoved = forl_hoved[0], None
    sag.skifte, sag.opk_slut, sag.hoved_slut = skifte, opk_slut, hoved_slut
    sag.forl_opk, sag.forl_hoved = forl_opk, forl_hoved


def _pladser(rng, sager: list[Sag], verden: Verden, idag: int) -> None:
    """Places per agreement: current agreements just above their occupancy, or exactly full when
    citizens wait (a waiting list only forms at a full agreement); old ones their peak."""
    for sag in sager:
        if sag.start is not None:
            sag.aftale.antal_i_alt += 1
            if sag.aktiv:
                sag.aftale.antal_aktive += 1
    # Each buyer's biggest current agreement is the full one that citizens wait for; the others
    # have free places.
    fulde: dict[int, Aftale] = {}
    for aftale in verden.aftaler:
        if aftale.til >= idag and aftale.antal_aktive > 0:
            stoerste = fulde.get(aftale.koeber_id)
            if stoerste is None or aftale.antal_aktive > stoerste.antal_aktive:
                fulde[aftale.koeber_id] = aftale
    for sag in sager:
        if sag.udfald == "venteliste":
            fuld = fulde.get(sag.aftale.koeber_id)
            if fuld is not None:
                sag.aftale = fuld
                if sag.visitator is not None:
                    folk = verden.forloebsfolk[fuld.leverandoer_id]
                    sag.visitator = vaelg(rng, folk, sag.moede)
                fuld.venteliste = True
            else:
                # No full agreement to wait for: the referral is still being decided instead.
                sag.udfald, sag.henvist = "henvist", idag - rng.randint(0, 30)
                sag.moede = sag.visitator = sag.afgjort = sag.venteliste_fra = None
    for aftale in verden.aftaler:
        if aftale.til >= idag:
            ledige = (
                0
                if aftale.venteliste
                else max(1, round(aftale.antal_aktive * rng.uniform(0.02, 0.15)))
            )
            aftale.antal_pladser = max(1, aftale.antal_aktive + ledige)
        else:
            aftale.antal_pladser = max(1, aftale.antal_i_alt // 2)
