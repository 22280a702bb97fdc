"""Microloans in the main phase: every state, repayment plans made as `laan.plan` makes them, and
payments that fill the instalments oldest first — on time, late, partly, early, or written off."""

from decimal import Decimal

from laan.models import Afdrag, Indbetaling, Laan, Sagsgang
from laan.plan import betalingsreference, lav_plan

from .tid import dato, tidspunkt

LAAN = [
    "id", "forloeb_id", "status", "beloeb", "formaal", "budget", "loebetid", "afdragsfri", "rente",
    "forretningsplan_id", "budgetdokument_id", "oprettet", "oprettet_af_id", "bevilget",
    "bevilget_af_id", "udbetalt_dato", "reference", "afskrivning_indstillet",
    "afskrivning_indstillet_af_id", "afskrivning_begrundelse", "afskrevet_af_id",
]  # fmt: skip
SAGSGANG = [
    "id",
    "laan_id",
    "fra_status",
    "til_status",
    "begrundelse",
    "tidspunkt",
    "udfoert_af_id",
]
AFDRAG = ["id", "laan_id", "nummer", "forfald", "beloeb", "betalt", "restance_meldt"]
INDBETALING = [
    "id", "laan_id", "dato", "beloeb", "reference", "registreret", "registreret_af_id",
    "importnoegle", "tilbagefoert", "tilbagefoert_af_id", "tilbagefoert_begrundelse",
]  # fmt: skip
FORMAAL = [
    ("Værktøj og udstyr", "Værktøj 6.000 kr., udstyr 4.000 kr."),
    ("Varelager", "Første varelager."),
    ("Hjemmeside og markedsføring", "Hjemmeside, annoncer og tryksager."),
    ("Brugt varebil", "Varebil og forsikring det første år."),
    ("Indskud i lejemål", "Depositum og forudbetalt husleje."),
    ("Inventar", "Borde, stole og reoler."),
]
LOEBETIDER = [(6, 10), (12, 30), (18, 10), (24, 25), (36, 15), (48, 5), (60, 5)]
ADFAERD = [("god", 62), ("restance", 20), ("delvis", 5), ("tidligt", 6), ("afskriv", 7)]
LOFT = 50_000


class Laanplan:
    __slots__ = (
        "id",
        "sag",
        "status",
        "beloeb",
        "loebetid",
        "afdragsfri",
        "oprettet",
        "afgjort",
        "udbetalt",
        "afskrivning",
        "afskrevet",
        "indfriet",
        "afdrag",
        "indbetalinger",
        "formaal",
    )


def planlaeg(rng, sager, maal: int, idag: int) -> list[Laanplan]:
    kandidater = [s for s in sager if s.skifte is not None]
    rng.shuffle(kandidater)
    ud: list[Laanplan] = []
    for s in kandidater:
        if len(ud) >= maal:
            break
        ende = min(idag, s.slut if s.slut is not None else idag)
        if ende - s.skifte < 10:
            continue
        antal = rng.choices((1, 2, 3), (75, 20, 5))[0]
        dage = sorted(
            rng.randint(s.skifte + 3, ende - 1) for _ in range(min(antal, maal - len(ud)))
        )
        bevilget_i_alt = 0
        for dag in dage:
            ud.append(_laan(rng, s, dag, idag, bevilget_i_alt))
            if ud[-1].status not in ("ansoegt", "afslaaet", "tilbagetrukket"):
                bevilget_i_alt += ud[-1].beloeb
    _hver_status(rng, ud, kandidater, idag)
    return ud


def _hver_status(rng, ud: list, kandidater, idag: int) -> None:
    """A small set may miss the rarer states by chance: the last loans are replaced by one in
    each missing state, on a programme without other loans (so the ceiling holds)."""
    med_laan = {lp.sag.forloeb_id for lp in ud}
    frie = [s for s in kandidater if s.forloeb_id not in med_laan]
    for status in ("ansoegt", "bevilget", "afskrevet", "indfriet"):
        if any(lp.status == status for lp in ud) or len(ud) < 8:
            continue
        for s in frie:
            lp = _tvunget(rng, s, status, idag)
            if lp is not None:
                frie.remove(s)
                udbetalte = [i for i, x in enumerate(ud) if x.status == "udbetalt"]
                ud[udbetalte[-1] if udbetalte else -1] = lp
                break


def _tvunget(rng, s, status: str, idag: int):
    if status in ("ansoegt", "bevilget"):
        if not (s.aktiv and s.skifte <= idag - 3):
            return None
        lp = _laan(rng, s, idag - 2, idag, 0)
        lp.status, lp.afgjort, lp.udbetalt = (
            status,
            (idag - 1 if status == "bevilget" else None),
            None,
        )
        lp.afdrag, lp.indbetalinger, lp.indfriet = [], [], None
        return lp
    if s.skifte > idag - 500 or (s.slut or idag) - s.skifte < 10:
        return None
    for _ in range(50):
        lp = _laan(rng, s, s.skifte + 5, idag, 0)
        if lp.status == status:
            return lp
    return None


def _laan(rng, s, dag: int, idag: int, bevilget_i_alt: int) -> Laanplan:
    lp = Laanplan()
    lp.sag, lp.oprettet = s, dag
    lp.beloeb = min(
        LOFT - bevilget_i_alt, rng.choice((1, 2, 3, 5, 5, 8, 10, 10, 15, 20, 25, 30, 50)) * 1000
    )
    lp.loebetid = rng.choices(*zip(*LOEBETIDER, strict=True))[0]
    lp.afdragsfri = 0 if rng.random() < 0.7 else rng.randint(1, 6)
    lp.formaal = rng.choice(FORMAAL)
    lp.afgjort = lp.udbetalt = lp.afskrivning = lp.afskrevet = lp.indfriet = None
    lp.afdrag, lp.indbetalinger = [], []
    r = rng.random()
    if lp.beloeb < 1000:
        lp.beloeb, lp.status, lp.afgjort = 5000, "afslaaet", min(idag, dag + rng.randint(1, 7))
    elif dag >= idag - 7 and s.aktiv and r < 0.5:
        lp.status = "ansoegt"
    elif r < 0.12 + 0.5 * (dag >= idag - 7):
        lp.status, lp.afgjort = "afslaaet", min(idag, dag + rng.randint(1, 7))
    elif r < 0.18 + 0.5 * (dag >= idag - 7):
        lp.status, lp.afgjort = "tilbagetrukket", min(idag, dag + rng.randint(1, 7))
    else:
        lp.afgjort = min(idag, dag + rng.randint(1, 7))
        udbetalt = lp.afgjort + rng.randint(0, 10)
        if udbetalt > idag:
            lp.status = "bevilget"
        else:
            lp.status, lp.udbetalt = "udbetalt", udbetalt
            _betalinger(rng, lp, idag)
    return lp


def _betalinger(rng, lp: Laanplan, idag: int) -> None:
    plan = lav_plan(Decimal(lp.beloeb), lp.loebetid, lp.afdragsfri, dato(lp.udbetalt))
    adfaerd = rng.choices(*zip(*ADFAERD, strict=True))[0]
    forfaldne = [p for p in plan if p.forfald.toordinal() <= idag]
    stop = len(forfaldne) if adfaerd in ("god", "tidligt") else rng.randint(0, len(forfaldne))
    betalt = Decimal(0)
    for p in forfaldne[:stop]:
        beloeb = p.beloeb if adfaerd != "delvis" else (p.beloeb / 2).quantize(Decimal("0.01"))
        dag = min(idag, max(lp.udbetalt, p.forfald.toordinal() + rng.randint(-3, 5)))
        lp.indbetalinger.append([dag, beloeb, None])
        betalt += beloeb
    if adfaerd == "tidligt" and len(forfaldne) < len(plan) and rng.random() < 0.5:
        dag = min(
            idag,
            (lp.indbetalinger[-1][0] if lp.indbetalinger else lp.udbetalt) + rng.randint(5, 60),
        )
        lp.indbetalinger.append([dag, Decimal(lp.beloeb) - betalt, None])
        betalt = Decimal(lp.beloeb)
    if rng.random() < 0.02 and lp.indbetalinger:
        # A payment registered twice by mistake, reversed with a reason the next day.
        dag, beloeb, _ = lp.indbetalinger[-1]
        lp.indbetalinger.append([dag, beloeb, min(idag, dag + 1)])
    rest = betalt
    for p in plan:
        andel = min(p.beloeb, rest)
        rest -= andel
        lp.afdrag.append([p.nummer, p.forfald, p.beloeb, andel])
    if betalt == lp.beloeb:
        lp.status = "indfriet"
        lp.indfriet = max(d for d, _, t in lp.indbetalinger if t is None)
    elif adfaerd == "afskriv" and stop < len(forfaldne) - 2:
        sidste = lp.indbetalinger[-1][0] if lp.indbetalinger else lp.udbetalt
        indstillet = sidste + rng.randint(90, 200)
        afskrevet = indstillet + rng.randint(2, 14)
        if afskrevet <= idag:
            lp.status, lp.afskrivning, lp.afskrevet = "afskrevet", indstillet, afskrevet


def skriv_laan(rng, skriver, laan: list[Laanplan], idag: int) -> None:
    for lp, i in zip(laan, skriver.ids(Laan, len(laan)), strict=True):
        lp.id = i
    skriver.skriv(Laan, LAAN, _laanraekker(rng, laan))
    gange = list(_sagsgange(laan))
    skriver.skriv(
        Sagsgang,
        SAGSGANG,
        ((i, *g) for i, g in zip(skriver.ids(Sagsgang, len(gange)), gange, strict=True)),
    )
    antal = sum(len(lp.afdrag) for lp in laan)
    skriver.skriv(Afdrag, AFDRAG, _afdrag(laan, skriver.ids(Afdrag, antal), idag))
    antal = sum(len(lp.indbetalinger) for lp in laan)
    skriver.skriv(
        Indbetaling, INDBETALING, _indbetalinger(rng, laan, skriver.ids(Indbetaling, antal))
    )


def _laanraekker(rng, laan):
    for lp in laan:
        s = lp.sag
        bevilget = lp.status not in ("ansoegt", "afslaaet", "tilbagetrukket")
        udbetalt = lp.udbetalt is not None
        yield (
            lp.id,
            s.forloeb_id,
            lp.status,
            Decimal(lp.beloeb),
            lp.formaal[0],
            lp.formaal[1],
            lp.loebetid,
            lp.afdragsfri,
            Decimal(0),
            None,
            None,
            tidspunkt(lp.oprettet, 600),
            s.medarbejder,
            tidspunkt(lp.afgjort, 660) if bevilget else None,
            s.sagsbehandler if bevilget else None,
            dato(lp.udbetalt),
            betalingsreference(lp.id) if udbetalt else None,
            tidspunkt(lp.afskrivning, 600),
            s.medarbejder if lp.afskrivning else None,
            "Borgeren kan ikke betale; et inkasso vil koste mere end restgælden."
            if lp.afskrivning
            else "",
            s.sagsbehandler if lp.afskrevet else None,
        )


def _sagsgange(laan):
    for lp in laan:
        s = lp.sag
        yield (lp.id, "", "ansoegt", "", tidspunkt(lp.oprettet, 600), s.medarbejder)
        if lp.status == "afslaaet":
            yield (
                lp.id,
                "ansoegt",
                "afslaaet",
                "Budgettet hænger ikke sammen.",
                tidspunkt(lp.afgjort, 660),
                s.sagsbehandler,
            )
        elif lp.status == "tilbagetrukket":
            yield (
                lp.id,
                "ansoegt",
                "tilbagetrukket",
                "",
                tidspunkt(lp.afgjort, 660),
                s.medarbejder,
            )
        elif lp.status != "ansoegt":
            yield (lp.id, "ansoegt", "bevilget", "", tidspunkt(lp.afgjort, 660), s.sagsbehandler)
            if lp.udbetalt is not None:
                yield (
                    lp.id,
                    "bevilget",
                    "udbetalt",
                    "",
                    tidspunkt(lp.udbetalt, 720),
                    s.medarbejder,
                )
            if lp.indfriet is not None:
                yield (
                    lp.id,
                    "udbetalt",
                    "indfriet",
                    "",
                    tidspunkt(lp.indfriet, 900),
                    s.medarbejder,
                )
            if lp.afskrevet is not None:
                yield (
                    lp.id,
                    "udbetalt",
                    "afskrevet",
                    "Godkendt afskrivning.",
                    tidspunkt(lp.afskrevet, 660),
                    s.sagsbehandler,
                )


def _afdrag(laan, ider, idag: int):
    ider = iter(ider)
    for lp in laan:
        aaben = lp.status == "udbetalt"
        for a in lp.afdrag:
            nummer, forfald, beloeb, betalt = a
            i = next(ider)
            a.append(i)
            dag = forfald.toordinal()
            meldt = tidspunkt(dag + 1, 360) if aaben and betalt < beloeb and dag < idag else None
            yield (i, lp.id, nummer, forfald, beloeb, betalt, meldt)


def _indbetalinger(rng, laan, ider):
    ider = iter(ider)
    for lp in laan:
        reference = betalingsreference(lp.id)
        m = lp.sag.medarbejder
        for dag, beloeb, tilbagefoert in lp.indbetalinger:
            yield (
                next(ider),
                lp.id,
                dato(dag),
                beloeb,
                reference,
                tidspunkt(dag, 840),
                m,
                None,
                tidspunkt(tilbagefoert, 600),
                m if tilbagefoert else None,
                "Registreret to gange." if tilbagefoert else "",
            )
