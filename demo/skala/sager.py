"""Rows for the intake and the programmes (visitation and forloeb apps) from the case plan."""

from forloeb.models import (
    Fase,
    Faseforlaengelse,
    Forloeb,
    Opfoelgning,
    Overgangsvurdering,
    Udskrivning,
)
from visitation.models import (
    Henvisning,
    Henvisningsrettelse,
    Underskrift,
    VentelistePlads,
    Visitation,
)

from .navne import IDEER
from .tid import dato, kontortid, maaneder_frem, tidspunkt

MOTIVATIONER = [
    "Ønsker at blive selvforsørgende med egen virksomhed.",
    "Har drevet lignende virksomhed før og vil i gang igen.",
    "Har et netværk af kunder, der venter på at kunne købe.",
    "Vil skabe sit eget job efter mange år på offentlig forsørgelse.",
]
VURDERINGER = [
    "Vurderes at kunne gennemføre et iværksætterforløb.",
    "Motiveret og med en realistisk idé; har brug for hjælp til økonomien.",
    "God faglighed, mangler viden om regnskab, skat og moms.",
]
AFVISNINGER = [
    "Helbredet tillader ikke et forløb nu.",
    "Forretningsidéen er ikke realistisk i sin nuværende form.",
    "Borgeren ønsker i stedet at søge job.",
]
BEGRUNDELSER = [
    "Forretningsplanen mangler et budget; der er aftalt ekstra finansiel rådgivning.",
    "Borgeren har været syg i en periode og skal indhente undervisningen.",
    "Markedsanalysen skal gøres færdig, før næste skridt.",
]
UDSKRIVNINGSGRUNDLAG = {
    "egen_virksomhed": "Selvforsørgende",
    "job": "Selvforsørgende",
    "uddannelse": "Uddannelseshjælp",
    "sygdom": "Sygedagpenge",
}

HENVISNING = [
    "id", "borger_id", "pladsaftale_id", "jobcenter_id", "forretningsidee", "motivation",
    "forsoergelsesgrundlag_id", "vurdering", "status", "oprettet", "oprettet_af_id",
    "sagsbehandler_id",
]  # fmt: skip
VISITATION = [
    "id", "henvisning_id", "moededato", "deltagere", "kan_gennemfoere", "kan_gennemfoere_note",
    "motivation", "motivation_note", "forretningsidee", "forretningsidee_note",
    "personlige_forhold", "personlige_forhold_note", "oekonomiske_forhold",
    "oekonomiske_forhold_note", "beslutning", "afvisningsgrund", "oprettet", "oprettet_af_id",
    "afgjort",
]  # fmt: skip
UNDERSKRIFT = ["id", "visitation_id", "organisation_id", "bruger_id", "tidspunkt"]
VENTELISTE = ["id", "pladsaftale_id", "henvisning_id", "opskrevet", "afsluttet"]
RETTELSE = [
    "id", "henvisning_id", "handling", "fra_status", "til_status", "fra_sagsbehandler_id",
    "til_sagsbehandler_id", "begrundelse", "tidspunkt", "udfoert_af_id",
]  # fmt: skip
FORLOEB = [
    "id", "borger_id", "henvisning_id", "jobcenter_id", "pladsaftale_id", "status", "startdato",
    "oprettet", "oprettet_af_id", "forloebsmedarbejder_id",
]  # fmt: skip
FASE = [
    "id",
    "forloeb_id",
    "type",
    "planlagt_start",
    "planlagt_slut",
    "faktisk_start",
    "faktisk_slut",
]
FORLAENGELSE = [
    "id",
    "fase_id",
    "tidligere_slut",
    "ny_slut",
    "begrundelse",
    "oprettet",
    "oprettet_af_id",
]
VURDERING = [
    "id", "forloeb_id", "annulleret_forloeb_id", "personlig_vejledning", "erhvervscoaching",
    "finansiel_raadgivning", "regnskab", "skat", "moms", "forretningsplan_klar", "anbefaling",
    "bekraeftelse", "vurderet", "vurderet_af_id",
]  # fmt: skip
UDSKRIVNING = [
    "id", "forloeb_id", "annulleret_forloeb_id", "dato", "aarsag", "cvr", "virksomhed_startet",
    "forsoergelse_efter_id", "note", "oprettet", "oprettet_af_id",
]  # fmt: skip
OPFOELGNING = [
    "id", "forloeb_id", "maaneder", "forfalder", "selvforsoergende", "forsoergelsesgrundlag_id",
    "note", "registreret", "registreret_af_id",
]  # fmt: skip


def tildel_ider(plan, skriver) -> None:
    """Referral and programme ids in plan order; a programme's phases are 2·i and 2·i + 1."""
    henvisninger = iter(skriver.ids(Henvisning, len(plan.sager)))
    med_forloeb = [s for s in plan.sager if s.start is not None]
    forloeb = iter(skriver.ids(Forloeb, len(med_forloeb)))
    for sag in plan.sager:
        sag.henvisning_id = next(henvisninger)
    for sag in med_forloeb:
        sag.forloeb_id = next(forloeb)
    plan.fase_start = skriver.ids(Fase, 2 * len(med_forloeb)).start
    plan.forloeb_start = med_forloeb[0].forloeb_id if med_forloeb else 0


def fase_ider(plan, sag) -> tuple[int, int]:
    i = 2 * (sag.forloeb_id - plan.forloeb_start)
    return plan.fase_start + i, plan.fase_start + i + 1


def skriv_sager(rng, skriver, plan, verden, grundlag: dict[str, int], idag: int) -> None:
    sager = plan.sager
    skriver.skriv(Henvisning, HENVISNING, _henvisninger(rng, sager, grundlag))
    visiterede = [s for s in sager if s.moede is not None]
    vid = iter(skriver.ids(Visitation, len(visiterede)))
    visitationer = [(next(vid), s) for s in visiterede]
    skriver.skriv(Visitation, VISITATION, _visitationer(rng, visitationer, verden))
    skriver.skriv(Underskrift, UNDERSKRIFT, _underskrifter(rng, skriver, visitationer))
    ventende = [s for s in sager if s.venteliste_fra is not None]
    ider = skriver.ids(VentelistePlads, len(ventende))
    skriver.skriv(
        VentelistePlads,
        VENTELISTE,
        (
            (
                i,
                s.aftale.id,
                s.henvisning_id,
                tidspunkt(s.venteliste_fra, 900),
                tidspunkt(s.venteliste_til, 600),
            )
            for i, s in zip(ider, ventende, strict=True)
        ),
    )
    rettede = [s for s in sager if s.rettelse_dag is not None]
    ider = skriver.ids(Henvisningsrettelse, len(rettede))
    skriver.skriv(Henvisningsrettelse, RETTELSE, _rettelser(rng, ider, rettede))

    forloeb = [s for s in sager if s.forloeb_id is not None]
    skriver.skriv(Forloeb, FORLOEB, _forloeb(forloeb))
    skriver.skriv(Fase, FASE, _faser(plan, forloeb))
    forlaengede = [
        (fase_ider(plan, s)[i], s, f)
        for s in forloeb
        for i, f in ((0, s.forl_opk), (1, s.forl_hoved))
        if f is not None
    ]
    ider = skriver.ids(Faseforlaengelse, len(forlaengede))
    skriver.skriv(
        Faseforlaengelse,
        FORLAENGELSE,
        (
            (
                i,
                fase,
                dato(f[0]),
                dato(f[1]),
                rng.choice(BEGRUNDELSER),
                tidspunkt(f[2], kontortid(rng)),
                s.medarbejder,
            )
            for i, (fase, s, f) in zip(ider, forlaengede, strict=True)
        ),
    )
    skiftede = [s for s in forloeb if s.skifte is not None]
    ider = skriver.ids(Overgangsvurdering, len(skiftede))
    skriver.skriv(Overgangsvurdering, VURDERING, _vurderinger(rng, ider, skiftede))
    udskrevne = [s for s in forloeb if s.slut is not None]
    ider = skriver.ids(Udskrivning, len(udskrevne))
    skriver.skriv(Udskrivning, UDSKRIVNING, _udskrivninger(rng, ider, udskrevne, grundlag))
    ider = iter(skriver.ids(Opfoelgning, 3 * len(udskrevne)))
    skriver.skriv(Opfoelgning, OPFOELGNING, _opfoelgninger(rng, ider, udskrevne, grundlag, idag))


def _henvisninger(rng, sager, grundlag):
    kontant = grundlag["Kontanthjælp"]
    for s in sager:
        yield (
            s.henvisning_id,
            s.borger_id,
            s.aftale.id,
            s.kommune.jobcenter_id,
            rng.choice(IDEER),
            rng.choice(MOTIVATIONER),
            kontant,
            rng.choice(VURDERINGER),
            s.henvisningsstatus,
            tidspunkt(s.henvist, kontortid(rng)),
            s.sagsbehandler,
            s.sagsbehandler,
        )


def _visitationer(rng, visitationer, verden):
    for vid, s in visitationer:
        afvist = s.udfald == "afvist"
        kan = (
            ("nej" if rng.random() < 0.6 else "maaske")
            if afvist
            else rng.choice(("ja", "ja", "maaske"))
        )
        yield (
            vid,
            s.henvisning_id,
            dato(s.moede),
            f"Sagsbehandler ({verden.navne[s.kommune.jobcenter_id]}), "
            f"forløbsmedarbejder ({verden.navne[s.aftale.leverandoer_id]})",
            kan,
            "Vurderet på visitationsmødet.",
            "ja",
            "",
            rng.choice(("ja", "maaske")),
            "",
            "ja",
            "",
            rng.choice(("ja", "maaske")),
            "",
            "afvist" if afvist else "optaget",
            rng.choice(AFVISNINGER) if afvist else "",
            tidspunkt(s.moede, 600),
            s.visitator,
            tidspunkt(s.afgjort, 840) if s.afgjort is not None else None,
        )


def _underskrifter(rng, skriver, visitationer):
    antal = sum(2 if s.afgjort is not None else 1 for _, s in visitationer)
    ider = iter(skriver.ids(Underskrift, antal))
    for vid, s in visitationer:
        # The provider records the visitation and signs; the jobcenter's caseworker signs last.
        yield (next(ider), vid, s.aftale.leverandoer_id, s.visitator, tidspunkt(s.moede, 600))
        if s.afgjort is not None:
            yield (
                next(ider),
                vid,
                s.kommune.jobcenter_id,
                s.sagsbehandler,
                tidspunkt(s.afgjort, 840),
            )


def _rettelser(rng, ider, rettede):
    for i, s in zip(ider, rettede, strict=True):
        if s.udfald == "tilbagetrukket":
            handling, fra, tekst = "tilbagetrukket", "henvist", "Borgeren har fået arbejde."
        else:
            handling, fra, tekst = (
                "fjernet_fra_venteliste",
                "venteliste",
                "Borgeren ønsker ikke længere at vente.",
            )
        yield (
            i,
            s.henvisning_id,
            handling,
            fra,
            s.udfald,
            None,
            None,
            tekst,
            tidspunkt(s.rettelse_dag, kontortid(rng)),
            s.sagsbehandler,
        )


def _forloeb(forloeb):
    for s in forloeb:
        yield (
            s.forloeb_id,
            s.borger_id,
            s.henvisning_id,
            s.kommune.jobcenter_id,  # the referral's, as Forloeb.jobcenter must be
            s.aftale.id,
            s.status,
            dato(s.start),
            tidspunkt(s.start, 900),
            s.sagsbehandler,
            s.medarbejder,
        )


def _faser(plan, forloeb):
    for s in forloeb:
        opk, hoved = fase_ider(plan, s)
        opk_faktisk_slut = s.skifte if s.skifte is not None else s.slut
        yield (
            opk,
            s.forloeb_id,
            "opkvalificering",
            dato(s.start),
            dato(s.opk_slut),
            dato(s.start),
            dato(opk_faktisk_slut),
        )
        if s.skifte is not None:
            yield (
                hoved,
                s.forloeb_id,
                "hovedforloeb",
                dato(s.skifte),
                dato(s.hoved_slut),
                dato(s.skifte),
                dato(s.slut),
            )
        else:
            yield (
                hoved,
                s.forloeb_id,
                "hovedforloeb",
                dato(s.opk_slut),
                dato(maaneder_frem(s.opk_slut, 6)),
                None,
                None,
            )


def _vurderinger(rng, ider, skiftede):
    for i, s in zip(ider, skiftede, strict=True):
        fuld = rng.random() < 0.9
        yield (
            i,
            s.forloeb_id,
            None,
            True,
            True,
            True,
            True,
            True,
            fuld,
            fuld,
            "Forretningsplanen og budgettet holder. Klar til hovedforløbet.",
            "" if fuld else "Momsundervisningen tages i hovedforløbet; planen er ellers klar.",
            tidspunkt(s.skifte, kontortid(rng)),
            s.medarbejder,
        )


def gyldigt_cvr(rng) -> str:
    """Eight digits passing the CVR modulus-11 check (weights 2,7,6,5,4,3,2,1)."""
    while True:
        cifre = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
        rest = -sum(c * v for c, v in zip(cifre, (2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        if rest < 10:
            return "".join(map(str, cifre)) + str(rest)


def _udskrivninger(rng, ider, udskrevne, grundlag):
    for i, s in zip(ider, udskrevne, strict=True):
        egen = s.aarsag == "egen_virksomhed"
        startet = dato(rng.randint(s.skifte, s.slut)) if egen else None
        yield (
            i,
            s.forloeb_id,
            None,
            dato(s.slut),
            s.aarsag,
            gyldigt_cvr(rng) if egen else "",
            startet,
            grundlag[UDSKRIVNINGSGRUNDLAG.get(s.aarsag, "Kontanthjælp")],
            "",
            tidspunkt(s.slut, kontortid(rng)),
            s.medarbejder,
        )


def _opfoelgninger(rng, ider, udskrevne, grundlag, idag):
    selv, kontant = grundlag["Selvforsørgende"], grundlag["Kontanthjælp"]
    for s in udskrevne:
        godt = s.aarsag in ("egen_virksomhed", "job")
        s.opf = []
        for maaneder in (3, 6, 12):
            forfalder = maaneder_frem(s.slut, maaneder)
            i = next(ider)
            if forfalder + 14 <= idag and rng.random() < 0.9:
                dag = min(idag, forfalder + rng.randint(0, 14))
                ja = rng.random() < (0.75 if godt else 0.35)
                s.opf.append((i, forfalder, dag))
                yield (
                    i,
                    s.forloeb_id,
                    maaneder,
                    dato(forfalder),
                    ja,
                    selv if ja else kontant,
                    "",
                    tidspunkt(dag, kontortid(rng)),
                    s.medarbejder,
                )
            else:
                s.opf.append((i, forfalder, None))
                yield (i, s.forloeb_id, maaneder, dato(forfalder), None, None, "", None, None)
