"""The notifications and access-log rows the cases' activity produced.

Notifications go to whom the services notify (a referral to all the provider's course staff, a
visitation awaiting signature to the jobcenter's caseworkers, an admission to the buyer's
Erhvervschef, ...), but only to people employed at the time. Older ones are read, and handled
when their task was done; recent ones are partly unread. Every email was sent, so the outbox sweep
finds nothing to send. The access log holds the reads of each case over its life.
"""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from borgere.models import Borger
from forloeb.models import Forloeb
from laan.models import Laan
from visitation.models import Henvisning

from .sager import fase_ider
from .tid import dato, kontortid, tidspunkt

NOTIFIKATION = [
    "id", "modtager_id", "haendelse", "emne", "tekst", "link", "noegle", "oprettet", "laest",
    "haandteret", "email_oensket", "email_sendt", "email_forsoeg", "email_laast_til",
    "sidste_fejl",
]  # fmt: skip
ADGANGSLOG = [
    "id",
    "tidspunkt",
    "bruger_id",
    "handling",
    "objekt_type_id",
    "objekt_id",
    "kriterier",
    "ip_adresse",
]


def _aktive(folk, dag: int) -> list[int]:
    return [m.id for m in folk if m.fra <= dag]


def _sti(navn: str) -> str:
    return reverse(navn, args=[987654321]).replace("987654321", "{}")


def haendelser(plan, laan, verden, navne, idag: int):
    """(recipients, event, subject, text, link, key, day, handled day) for every notification."""
    henvisning, aftale, forloeb, borger, laan_ = (
        _sti(n)
        for n in (
            "visitation:detalje",
            "visitation:pladsaftale",
            "forloeb:detalje",
            "borgere:detalje",
            "laan:detalje",
        )
    )
    for s in plan.sager:
        navn = " ".join(navne[s.borger_id - plan.borger_start])
        lev = verden.forloebsfolk[s.aftale.leverandoer_id]
        jc = verden.sagsbehandlere[s.kommune.jobcenter_id]
        hlink = henvisning.format(s.henvisning_id)
        alink = aftale.format(s.aftale.id)
        haandteret = s.moede if s.moede is not None else s.rettelse_dag
        yield (
            _aktive(lev, s.henvist),
            "henvisning_modtaget",
            f"Ny henvisning: {navn}",
            f"{navn} er henvist til {s.aftale.navn}.",
            hlink,
            "",
            s.henvist,
            haandteret,
        )
        if s.moede is not None:
            yield (
                _aktive(jc, s.moede),
                "underskrift_afventer",
                f"Visitation afventer underskrift: {navn}",
                f"Visitationen af {navn} afventer jeres underskrift.",
                hlink,
                "",
                s.moede,
                s.afgjort,
            )
        personer = {s.sagsbehandler} | ({s.visitator} if s.visitator else set())
        if s.venteliste_fra is not None:
            yield (
                sorted(personer | set(_aktive(lev, s.venteliste_fra))),
                "venteliste",
                f"Venteliste: {navn}",
                f"{navn} er sat på venteliste til {s.aftale.navn}.",
                alink,
                "",
                s.venteliste_fra,
                None,
            )
        if s.udfald == "tilbagetrukket" and s.forloeb_id is None:
            yield (
                _aktive(lev, s.rettelse_dag),
                "henvisning_tilbagetrukket",
                f"Henvisning trukket tilbage: {navn}",
                f"Henvisningen af {navn} er trukket tilbage.",
                hlink,
                f"henvisning:{s.henvisning_id}:tilbagetrukket",
                s.rettelse_dag,
                None,
            )
        if s.udfald == "fjernet_fra_venteliste":
            yield (
                sorted((personer | set(_aktive(lev, s.rettelse_dag))) - {s.sagsbehandler}),
                "fjernet_fra_venteliste",
                f"Fjernet fra venteliste: {navn}",
                f"{navn} er fjernet fra ventelisten.",
                alink,
                f"henvisning:{s.henvisning_id}:fjernet_fra_venteliste",
                s.rettelse_dag,
                None,
            )
        if s.forloeb_id is None:
            continue
        flink = forloeb.format(s.forloeb_id)
        blink = borger.format(s.borger_id)
        chefer = _aktive(verden.erhvervschefer.get(s.aftale.koeber_id, []), s.start)
        yield (
            chefer,
            "indskrevet",
            f"Indskrevet: {navn}",
            f"{navn} er indskrevet på {s.aftale.navn}.",
            alink,
            "",
            s.start,
            None,
        )
        yield (
            sorted(personer | set(_aktive(lev, s.start))),
            "indskrevet",
            f"Indskrevet: {navn}",
            f"{navn} er indskrevet på {s.aftale.navn}.",
            flink,
            "",
            s.start,
            None,
        )
        opk_id, hoved_id = fase_ider(plan, s)
        for fase_id, slut, skiftet in (
            (opk_id, s.opk_slut, s.skifte or s.slut),
            (hoved_id, s.hoved_slut, s.slut),
        ):
            if slut is None or slut - 14 > idag or (skiftet is not None and skiftet < slut - 14):
                continue
            yield (
                [s.medarbejder, s.sagsbehandler],
                "paamindelse",
                f"Fasen slutter snart: {navn}",
                f"Fasen for {navn} slutter efter planen {dato(slut):%d.%m.%Y}.",
                blink,
                f"paamindelse:fase:{fase_id}:{dato(slut).isoformat()}",
                slut - 14,
                skiftet,
            )
            if slut < idag and (skiftet is None or skiftet > slut):
                yield (
                    [s.medarbejder, s.sagsbehandler],
                    "paamindelse",
                    f"Fasen er overskredet: {navn}",
                    f"Fasen for {navn} skulle være slut {dato(slut):%d.%m.%Y}.",
                    blink,
                    f"paamindelse:fase-overskredet:{fase_id}:{dato(slut).isoformat()}",
                    slut + 1,
                    skiftet,
                )
        if s.skifte is not None:
            yield (
                [s.sagsbehandler],
                "faseskift",
                f"Hovedforløb: {navn}",
                f"{navn} er gået til hovedforløbet.",
                flink,
                "",
                s.skifte,
                None,
            )
        if s.slut is not None:
            chefer = _aktive(verden.erhvervschefer.get(s.aftale.koeber_id, []), s.slut)
            yield (
                chefer,
                "udskrevet",
                f"Udskrevet: {navn}",
                f"{navn} er udskrevet fra {s.aftale.navn}.",
                alink,
                "",
                s.slut,
                None,
            )
            yield (
                sorted(personer),
                "udskrevet",
                f"Udskrevet: {navn}",
                f"{navn} er udskrevet.",
                flink,
                "",
                s.slut,
                None,
            )
            for opf_id, forfalder, registreret in s.opf:
                if forfalder <= idag:
                    yield (
                        [s.sagsbehandler],
                        "paamindelse",
                        f"Opfølgning forfalden: {navn}",
                        f"Opfølgningen af {navn} forfaldt {dato(forfalder):%d.%m.%Y}.",
                        blink,
                        f"paamindelse:opfoelgning:{opf_id}",
                        forfalder,
                        registreret,
                    )
    for lp in laan:
        s = lp.sag
        navn = " ".join(navne[s.borger_id - plan.borger_start])
        llink = laan_.format(lp.id)
        yield (
            [s.sagsbehandler],
            "laan_afventer",
            f"Lån afventer godkendelse: {navn}",
            f"Et mikrolån på {lp.beloeb} kr. til {navn} afventer godkendelse.",
            llink,
            "",
            lp.oprettet,
            lp.afgjort,
        )
        if lp.afgjort is not None and lp.status != "tilbagetrukket":
            yield (
                [s.medarbejder],
                "laan_afgjort",
                f"Lån afgjort: {navn}",
                f"Mikrolånet til {navn} er afgjort.",
                llink,
                "",
                lp.afgjort,
                None,
            )
        if lp.udbetalt is not None:
            yield (
                [s.sagsbehandler],
                "laan_afgjort",
                f"Lån udbetalt: {navn}",
                f"Mikrolånet til {navn} er udbetalt.",
                llink,
                "",
                lp.udbetalt,
                None,
            )
        if lp.status == "udbetalt":
            lev = verden.forloebsfolk[s.aftale.leverandoer_id]
            for nummer, forfald, beloeb, betalt, afdrag_id in lp.afdrag:
                dag = forfald.toordinal() + 1
                if betalt < beloeb and dag <= idag:
                    yield (
                        sorted({s.sagsbehandler} | set(_aktive(lev, dag))),
                        "laan_restance",
                        f"Afdrag i restance: {navn}",
                        f"Afdrag nr. {nummer} på mikrolånet til {navn} er ikke betalt.",
                        llink,
                        f"laan:restance:{afdrag_id}",
                        dag,
                        None,
                    )


def notifikationsraekker(rng, haendelser_, ider_fra: int, idag: int):
    nr = ider_fra
    for modtagere, haendelse, emne, tekst, link, noegle, dag, haandteret_dag in haendelser_:
        minut = 420 if dag >= idag else kontortid(rng)
        oprettet = tidspunkt(dag, minut)
        haandteret = (
            tidspunkt(haandteret_dag, 720)
            if haandteret_dag is not None and haandteret_dag <= idag
            else None
        )
        gammel = dag < idag - 14
        sendt = tidspunkt(dag, minut + 2)
        for modtager in modtagere:
            laest = None
            if rng.random() < (0.93 if gammel else 0.4):
                laest = tidspunkt(
                    min(idag, dag + rng.randint(0, 3)), minut + 30 if dag >= idag - 3 else 600
                )
            yield (
                nr,
                modtager,
                haendelse,
                emne,
                tekst,
                link,
                noegle,
                oprettet,
                laest,
                haandteret,
                True,
                sendt,
                1,
                None,
                "",
            )
            nr += 1


def adgangslograekker(rng, plan, laan, verden, navne, maal: int, idag: int, ider_fra: int):
    """About `maal` reads, spread over the cases in proportion to how long each has run."""
    # Read before the rows are: no query may run while the COPY that consumes them is open.
    typer = {
        m: ContentType.objects.get_for_model(m).pk for m in (Borger, Henvisning, Forloeb, Laan)
    }
    return _adgangslog(rng, plan, laan, verden, navne, maal, idag, ider_fra, typer)


def _adgangslog(rng, plan, laan, verden, navne, maal, idag, ider_fra, typer):
    laan_pr_forloeb: dict[int, list[int]] = {}
    for lp in laan:
        laan_pr_forloeb.setdefault(lp.sag.forloeb_id, []).append(lp.id)
    spaend = []
    for s in plan.sager:
        ende = min(idag, (s.slut if s.slut is not None else idag) + 60)
        spaend.append((s, s.henvist, max(s.henvist, ende)))
    vaegt = sum(til - fra + 30 for _, fra, til in spaend)
    andel = maal / vaegt
    nr = ider_fra
    for s, fra, til in spaend:
        antal = int(andel * (til - fra + 30) + rng.random())
        efternavn = navne[s.borger_id - plan.borger_start][1].lower()
        lev = verden.forloebsfolk[s.aftale.leverandoer_id]
        jc = verden.sagsbehandlere[s.kommune.jobcenter_id]
        egne = [s.sagsbehandler] + ([s.medarbejder or s.visitator] if s.visitator else [])
        laanider = laan_pr_forloeb.get(s.forloeb_id, ())
        for _ in range(antal):
            dag = rng.randint(fra, til)
            r = rng.random()
            if r < 0.8:
                bruger = rng.choice(egne)
            else:
                kolleger = _aktive(jc if rng.random() < 0.5 else lev, dag) or egne
                bruger = rng.choice(kolleger)
            r = rng.random()
            kriterier, objekt_type, objekt_id, handling = "{}", None, "", "vis"
            if r < 0.12:
                handling, kriterier = "soeg", f'{{"navn": "{efternavn}", "side": 1}}'
            elif r < 0.15:
                handling, objekt_type, objekt_id = "vis_cpr", typer[Borger], str(s.borger_id)
            elif r < 0.30:
                objekt_type, objekt_id = typer[Henvisning], str(s.henvisning_id)
            elif r < 0.50 and s.forloeb_id is not None:
                objekt_type, objekt_id = typer[Forloeb], str(s.forloeb_id)
            elif r < 0.55 and laanider:
                objekt_type, objekt_id = typer[Laan], str(rng.choice(laanider))
            else:
                objekt_type, objekt_id = typer[Borger], str(s.borger_id)
            minut = 420 if dag >= idag else kontortid(rng)
            yield (
                nr,
                tidspunkt(dag, minut),
                bruger,
                handling,
                objekt_type,
                objekt_id,
                kriterier,
                f"10.{bruger % 250}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            )
            nr += 1
