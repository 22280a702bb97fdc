"""Sessions (Aktivitet) and attendance (Deltagelse): about ten participants a group session.

Each programme attends some of its weeks, in the phase it was in that week; the provider's course
staff member holds a group session for their own participants of that week and phase (so a busy
staff member runs many), and a few sessions are individual. Past sessions have their attendance
registered, some of the last fortnight's are still a to-do, a few are cancelled with a reason, and
the next two weeks' are planned.
"""

import datetime

from forloeb.models import Aktivitet, Deltagelse

from .tid import dato, tidspunkt

GRUPPE = {"opk": ("regnskab", "skat", "moms"), "hoved": ("kursusdag", "netvaerksmoede")}
INDIVIDUEL = {
    "opk": ("personlig_vejledning", "erhvervscoaching", "finansiel_raadgivning"),
    "hoved": ("sparring",),
}
AKTIVITET = [
    "id", "type", "form", "dato", "starttid", "varighed", "sted", "medarbejder_id",
    "organisation_id", "beskrivelse", "gaester", "oprettet", "aflyst", "aflyst_af_id",
    "aflysningsgrund", "fremmoede_registreret", "fremmoede_registreret_af_id",
]  # fmt: skip
DELTAGELSE = [
    "id",
    "aktivitet_id",
    "forloeb_id",
    "status",
    "note",
    "registreret",
    "registreret_af_id",
]
_AFBUD = ("Syg", "Lægebesøg", "Barn syg", "")


class Session:
    __slots__ = (
        "id",
        "type",
        "form",
        "dag",
        "minut",
        "varighed",
        "sted",
        "medarbejder",
        "organisation",
        "gaester",
        "oprettet",
        "aflyst",
        "registreret",
        "deltagere",
    )


def planlaeg(rng, sager, verden, maal: int, idag: int) -> list[Session]:
    """The sessions, with about `maal` attendance rows in all."""
    forloeb = [s for s in sager if s.forloeb_id is not None]
    uger = []
    i_alt = 0
    for s in forloeb:
        ende = s.slut if s.slut is not None else idag + 14
        mandag = s.start + (7 - (s.start % 7 - 1)) % 7  # ordinal % 7 == 1 is a Monday
        antal = max(0, (ende - mandag) // 7)
        uger.append((s, mandag, antal))
        i_alt += antal
    andel = min(1.0, maal / max(1, i_alt))
    spande: dict[tuple, list] = {}
    enkelte: list[tuple] = []
    for s, mandag, antal in uger:
        k = min(antal, int(andel * antal + rng.random()))
        for uge in rng.sample(range(antal), k):
            dag = mandag + 7 * uge
            fase = "hoved" if s.skifte is not None and dag >= s.skifte else "opk"
            noegle = (s.aftale.leverandoer_id, dag, fase)
            if rng.random() < 0.05:
                enkelte.append((noegle, s))
            else:
                spande.setdefault(noegle, []).append(s)
    sessioner: list[Session] = []
    for noegle, deltagere in spande.items():
        # Each staff member's own participants together; the first one's staff member holds it.
        rng.shuffle(deltagere)
        deltagere.sort(key=lambda s: s.medarbejder)
        while deltagere:
            stoerrelse = rng.randint(8, 12)
            hold, deltagere = deltagere[:stoerrelse], deltagere[stoerrelse:]
            if len(hold) >= 3:
                sessioner.append(_session(rng, noegle, hold, "gruppe", verden, idag))
            else:
                enkelte.extend((noegle, s) for s in hold)
    for noegle, s in enkelte:
        sessioner.append(_session(rng, noegle, [s], "individuel", verden, idag))
    return sessioner


def _session(rng, noegle, hold, form: str, verden, idag: int) -> Session:
    leverandoer, mandag, fase = noegle
    medarbejder = hold[0].medarbejder
    a = Session()
    a.form = form
    a.type = rng.choice((GRUPPE if form == "gruppe" else INDIVIDUEL)[fase])
    a.dag = mandag + rng.randint(0, 3)
    a.minut = rng.choice((540, 600, 780))
    a.varighed = rng.choice((120, 180)) if form == "gruppe" else 60
    by = verden.byer[leverandoer]
    a.sted = f"{by} Erhvervshus, lokale {rng.randint(1, 6)}"
    a.medarbejder, a.organisation = medarbejder, leverandoer
    a.gaester = rng.randint(1, 4) if form == "gruppe" and rng.random() < 0.2 else 0
    a.oprettet = min(idag, a.dag - rng.randint(3, 21))
    a.aflyst = a.registreret = None
    if rng.random() < 0.02:
        a.aflyst = min(idag, a.dag - rng.randint(1, 3))
    elif a.dag < idag and not (a.dag >= idag - 14 and rng.random() < 0.25) and rng.random() > 0.01:
        a.registreret = a.dag
    a.deltagere = hold
    return a


def skriv_aktiviteter(rng, skriver, sessioner: list[Session], fremskridt) -> None:
    for a, i in zip(sessioner, skriver.ids(Aktivitet, len(sessioner)), strict=True):
        a.id = i
    skriver.skriv(Aktivitet, AKTIVITET, _aktiviteter(sessioner))
    antal = sum(len(a.deltagere) for a in sessioner)
    skriver.skriv(
        Deltagelse,
        DELTAGELSE,
        _deltagelser(rng, sessioner, skriver.ids(Deltagelse, antal), fremskridt),
    )


def _aktiviteter(sessioner):
    for a in sessioner:
        aflyst = a.aflyst is not None
        registreret = a.registreret is not None
        yield (
            a.id,
            a.type,
            a.form,
            dato(a.dag),
            datetime.time(a.minut // 60, a.minut % 60),
            a.varighed,
            a.sted,
            a.medarbejder,
            a.organisation,
            "",
            a.gaester,
            tidspunkt(a.oprettet, 480),
            tidspunkt(a.aflyst, 450) if aflyst else None,
            a.medarbejder if aflyst else None,
            "Underviseren er syg." if aflyst else "",
            tidspunkt(a.dag, a.minut + a.varighed + 15) if registreret else None,
            a.medarbejder if registreret else None,
        )


def _deltagelser(rng, sessioner, ider, fremskridt):
    ider = iter(ider)
    for nr, a in enumerate(sessioner):
        if nr % 20_000 == 0:
            fremskridt(nr / len(sessioner))
        if a.registreret is not None:
            tid = tidspunkt(a.dag, a.minut + a.varighed + 15)
        else:
            tid = tidspunkt(a.oprettet, 480)
        for s in a.deltagere:
            status, note = "deltog", ""
            if a.registreret is not None:
                r = rng.random()
                graense = (0.6, 0.8) if s.risiko else (0.9, 0.96)
                if r >= graense[1]:
                    status = "udeblev"
                elif r >= graense[0]:
                    status, note = "afbud", rng.choice(_AFBUD)
            yield (next(ider), a.id, s.forloeb_id, status, note, tid, a.medarbejder)
