"""Citizens: fictitious but valid CPR numbers, stored exactly as the application stores them."""

import datetime

from stdnum.dk import cpr as stdnum_cpr

from borgere import cpr
from borgere.models import Borger

from .navne import IDEER, VEJE, navn
from .tid import kontortid, tidspunkt

FORSOERGELSE = [
    ("Kontanthjælp", 45),
    ("Uddannelseshjælp", 15),
    ("Dagpenge", 12),
    ("Sygedagpenge", 8),
    ("Ressourceforløbsydelse", 5),
    ("Revalidering", 5),
    ("Integrationsydelse", 10),
]
FELTER = [
    "id", "fornavn", "efternavn", "soegenavn", "cpr_krypteret", "cpr_indeks", "adresse",
    "postnummer", "by", "telefon", "email", "forsoergelsesgrundlag_id", "forretningsidee",
    "jobcenter_id", "oprettet", "oprettet_af_id",
]  # fmt: skip

_FOERSTE = datetime.date(1960, 1, 1).toordinal()
_SIDSTE = datetime.date(2004, 12, 31).toordinal()


def cpr_numre(rng, antal: int) -> list[str]:
    """`antal` different valid CPR numbers, born 1960–2004 (the serial's first digit gives the
    century: 0–3 for the 1900s, 4 for 2000–2036)."""
    set_: set[str] = set()
    ud = []
    while len(ud) < antal:
        d = datetime.date.fromordinal(rng.randint(_FOERSTE, _SIDSTE))
        foerste = 4 if d.year >= 2000 else rng.randint(0, 3)
        nummer = f"{d:%d%m%y}{foerste}{rng.randint(0, 999):03d}"
        if nummer in set_:
            continue
        stdnum_cpr.validate(nummer)
        set_.add(nummer)
        ud.append(nummer)
    return ud


def borgernavne(rng, antal: int) -> list[tuple[str, str]]:
    return [navn(rng) for _ in range(antal)]


def borgerraekker(rng, plan, verden, navne, grundlag: dict[str, int], valgt, fremskridt):
    """Rows for Borger, in citizen id order; `valgt(rng, folk, dag)` picks a caseworker."""
    numre = cpr_numre(rng, len(plan.borgere))
    noegler = {}
    vaegte = [v for _, v in FORSOERGELSE]
    ider = [grundlag[n] for n, _ in FORSOERGELSE]
    for i, (borger_id, kommune, foerste) in enumerate(plan.borgere):
        fornavn, efternavn = navne[i]
        soeg = noegler.get((fornavn, efternavn))
        if soeg is None:
            soeg = noegler[(fornavn, efternavn)] = Borger.soegenoegle(f"{fornavn} {efternavn}")
        cifre = numre[i]
        dag = max(foerste - rng.randint(0, 14), 1)
        if i % 5000 == 0:
            fremskridt(i)
        yield (
            borger_id,
            fornavn,
            efternavn,
            soeg,
            cpr.krypter(cifre),
            cpr.blindindeks(cifre),
            f"{rng.choice(VEJE)} {rng.randint(1, 140)}",
            kommune.postnummer,
            kommune.by,
            f"{rng.randint(20, 99)}{rng.randint(0, 999999):06d}",
            "" if rng.random() < 0.3 else f"borger{borger_id}@example.dk",
            rng.choices(ider, vaegte)[0],
            rng.choice(IDEER),
            kommune.jobcenter_id,
            tidspunkt(dag, kontortid(rng)),
            valgt(rng, verden.sagsbehandlere[kommune.jobcenter_id], dag),
        )
