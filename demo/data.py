"""Demo data for `make run`: organisations, one user per role, a place agreement and citizens at
every stage of the intake and of the programme (main phase, extension, discharge, follow-up due),
and microloans in every state (see "Loans" below).

Everything is get-or-create, and cases are made through the application's own services, so running
it again changes nothing and every demo case is one the application itself could have produced.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from borgere import services as borger_services
from borgere.models import Borger, Forsoergelsesgrundlag
from forloeb.aktiviteter.services.fremmoede import deltagelse_registrer
from forloeb.aktiviteter.services.oprettelse import aktivitet_opret
from forloeb.models import (
    FASE_MAANEDER,
    Aktivitet,
    Fase,
    Faseforlaengelse,
    Forloeb,
    Overgangsvurdering,
    Udskrivning,
    planlagte_faser,
)
from forloeb.services.faser import forlaeng_fase, skift_til_hovedforloeb
from forloeb.services.indskrivning import visitation_underskriv
from forloeb.services.udskrivning import udskriv
from laan.models import Indbetaling, Laan, Sagsgang
from laan.services import indbetalinger, livsforloeb
from mikrolaan.konti.models import Bruger, Organisation, Rolle
from mikrolaan.notifikationer.models import Notifikation
from mikrolaan.tekst import kort_dato
from visitation import services as visitation_services
from visitation.models import Henvisning, Pladsaftale, Underskrift, Visitation

DEMO_ADGANGSKODE = "mikrolaan-demo"


@dataclass(frozen=True)
class DemoBruger:
    brugernavn: str
    fornavn: str
    efternavn: str
    organisation: str
    rolle: Rolle


ORGANISATIONER = {
    "Ishøj Kommune": Organisation.Type.KOMMUNE,
    "Jobcenter Vallensbæk": Organisation.Type.JOBCENTER,
    "Næstved Kommune": Organisation.Type.KOMMUNE,
}

BRUGERE = [
    DemoBruger(
        "sagsbehandler", "Sara", "Sagsbehandler", "Jobcenter Vallensbæk", Rolle.SAGSBEHANDLER
    ),
    DemoBruger(
        "forloeb", "Frederik", "Forløbsmedarbejder", "Næstved Kommune", Rolle.FORLOEBSMEDARBEJDER
    ),
    DemoBruger("erhvervschef", "Emma", "Erhvervschef", "Ishøj Kommune", Rolle.ERHVERVSCHEF),
    DemoBruger("admin", "Anders", "Administrator", "Ishøj Kommune", Rolle.ADMINISTRATOR),
]


@transaction.atomic
def opret_demodata() -> list[DemoBruger]:
    organisationer = {
        navn: Organisation.objects.get_or_create(navn=navn, defaults={"type": type_})[0]
        for navn, type_ in ORGANISATIONER.items()
    }
    # Jobcenter Vallensbæk refers Ishøj's citizens to the places Ishøj buys.
    Organisation.objects.filter(pk=organisationer["Ishøj Kommune"].pk, betjent_af=None).update(
        betjent_af=organisationer["Jobcenter Vallensbæk"]
    )
    for demo in BRUGERE:
        bruger, oprettet = Bruger.objects.get_or_create(
            username=demo.brugernavn,
            defaults={
                "first_name": demo.fornavn,
                "last_name": demo.efternavn,
                "email": f"{demo.brugernavn}@example.dk",
                "organisation": organisationer[demo.organisation],
                "is_staff": demo.rolle == Rolle.ADMINISTRATOR,
            },
        )
        if oprettet:
            bruger.set_password(DEMO_ADGANGSKODE)
            bruger.save(update_fields=["password"])
        bruger.groups.add(Group.objects.get(name=demo.rolle))
    aftale, _ = Pladsaftale.objects.get_or_create(
        navn="Mikrolån Næstved – pilot",
        defaults={
            "koeber": organisationer["Ishøj Kommune"],
            "leverandoer": organisationer["Næstved Kommune"],
            "antal_pladser": 2,
            "gyldig_fra": datetime.date(2026, 1, 1),
            "gyldig_til": datetime.date(2027, 12, 31),
            "pris_pr_plads": Decimal("45000.00"),
        },
    )
    sagsbehandler = Bruger.objects.get(username="sagsbehandler")
    forloeb = Bruger.objects.get(username="forloeb")
    for fornavn, efternavn, cpr, stadie in BORGERE:
        if Borger.objects.med_cpr(cpr).exists():
            continue
        borger = borger_services.borger_opret(
            bruger=sagsbehandler,
            cpr=cpr,
            fornavn=fornavn,
            efternavn=efternavn,
            adresse="Ishøj Strandvej 1",
            postnummer="2635",
            by="Ishøj",
            forsoergelsesgrundlag=Forsoergelsesgrundlag.objects.get(navn="Kontanthjælp"),
            forretningsidee=f"{fornavn}s idé: café, webshop eller håndværk",
        )
        _til_stadie(borger, aftale, sagsbehandler, forloeb, stadie)
    if not Aktivitet.objects.exists():
        _sessioner(forloeb)
    return BRUGERE


def _sessioner(medarbejder: Bruger) -> None:
    """Today's sessions for the active programmes: one per phase, with attendance registered."""
    idag = timezone.localdate()
    aktive = Forloeb.objects.filter(status__in=Forloeb.AKTIVE).select_related("borger")
    pr_status = {
        Forloeb.Status.OPKVALIFICERING: (Aktivitet.Type.REGNSKAB, "Næstved Erhvervshus, lokale 2"),
        Forloeb.Status.HOVEDFORLOEB: (Aktivitet.Type.KURSUSDAG, "Næstved Erhvervshus, salen"),
    }
    for status, (type_, sted) in pr_status.items():
        deltagere = [f for f in aktive if f.status == status]
        if not deltagere:
            continue
        aktivitet = aktivitet_opret(
            bruger=medarbejder,
            type=type_,
            form=Aktivitet.Form.GRUPPE,
            dato=idag,
            starttid=datetime.time(9, 0),
            varighed=120,
            sted=sted,
            medarbejder=medarbejder,
            deltagere=deltagere,
            beskrivelse="Demo-aktivitet",
        )
        if len(deltagere) > 1:
            deltagelse_registrer(
                bruger=medarbejder,
                aktivitet=aktivitet,
                forloeb=deltagere[-1],
                status="afbud",
                note="Syg",
            )


# Fictitious CPR numbers (valid dates; nobody's real number is needed for a demo). In this order,
# so the two places are never over-filled: Gustav took a place in January and freed it in August;
# Anna has had the other since May; Bo took Gustav's today; Carla waits for the next free one.
BORGERE = [
    ("Gustav", "Gregersen", "0707917890", "udskrevet"),
    ("Anna", "Andersen", "0101851234", "hovedforloeb"),
    ("Bo", "Bertelsen", "0202862345", "optaget"),
    ("Carla", "Christensen", "0303873456", "venteliste"),
    ("Dorte", "Davidsen", "0404884567", "afventer_underskrift"),
    ("Emil", "Eriksen", "0505895678", "henvist"),
    ("Fatima", "Farah", "0606906789", "afvist"),
]

# The visitation meeting is a week before a backdated admission, and today for today's cases: never
# before the referral (referral → visitation → admission, tests/test_demodata.py).
VURDERING = {
    "deltagere": "Sara Sagsbehandler (Jobcenter Vallensbæk), Frederik Forløbsmedarbejder (Næstved)",
    "kan_gennemfoere": "ja",
    "kan_gennemfoere_note": "Har overskud og en realistisk plan.",
    "motivation": "ja",
    "forretningsidee": "maaske",
    "forretningsidee_note": "Markedsanalysen mangler.",
    "personlige_forhold": "ja",
    "oekonomiske_forhold": "ja",
}


def _til_stadie(borger, aftale, sagsbehandler, forloeb, stadie: str) -> None:
    start = STARTDATO.get(stadie)
    with _dateret(start):
        henvisning = visitation_services.henvisning_opret(
            bruger=sagsbehandler,
            borger=borger,
            pladsaftale=aftale,
            forretningsidee=borger.forretningsidee,
            motivation="Ønsker at blive selvforsørgende.",
            forsoergelsesgrundlag=borger.forsoergelsesgrundlag,
            vurdering="Vurderes at kunne gennemføre et iværksætterforløb.",
        )
        if stadie == "henvist":
            return
        afvist = stadie == "afvist"
        visitation = visitation_services.visitation_opret(
            bruger=forloeb,
            henvisning=henvisning,
            **VURDERING,
            moededato=start - datetime.timedelta(days=7) if start else timezone.localdate(),
            beslutning="afvist" if afvist else "optaget",
            afvisningsgrund="Helbredet tillader ikke et forløb nu." if afvist else "",
        )
        if stadie == "afventer_underskrift":
            return
        # The admission after Anna's and Bo's finds the two places taken: the waiting list.
        resultat = visitation_underskriv(bruger=sagsbehandler, visitation=visitation)
    # On a demo database from before these stories, Gustav finds the places taken and waits.
    if start is None or not isinstance(resultat, Forloeb):
        return
    _tilbagedater_sag(resultat, start)
    resultat.refresh_from_db()
    if stadie == "hovedforloeb":
        _anna_til_hovedforloeb(resultat, forloeb)
        _annas_laan(resultat, forloeb, sagsbehandler)
    elif stadie == "udskrevet":
        _gustav_udskrives(resultat, forloeb, sagsbehandler)


# --- Programmes that began before today ------------------------------------------------------
# The services admit, move and record "today" (time travel is for tests only). These stories are
# made through the services like every other demo case, and then the rows just created are moved
# back to their story's dates with .update(): only those rows, and only their dates.

KBH = ZoneInfo("Europe/Copenhagen")
STARTDATO = {
    "udskrevet": datetime.date(2026, 1, 5),
    "hovedforloeb": datetime.date(2026, 5, 18),
}
GUSTAV_SKIFTE = datetime.date(2026, 7, 6)
# Discharged in August, so the follow-up after 3 months fell due in November.
GUSTAV_UDSKREVET = datetime.date(2026, 8, 14)

OVERGANG = {
    "personlig_vejledning": True,
    "erhvervscoaching": True,
    "finansiel_raadgivning": True,
    "regnskab": True,
    "skat": True,
    "moms": True,
    "forretningsplan_klar": True,
    "anbefaling": "Forretningsplanen og budgettet holder. Klar til at starte virksomheden.",
    # Anna moves on today, which may be before her qualifying phase's planned end (the demo runs
    # on any day): the confirmation the service then asks for. Ignored when not needed.
    "bekraeftet": True,
    "begrundelse": "Alle elementer er gennemført, og budgettet er godkendt før tid.",
}


def _tidspunkt(dato: datetime.date, klokken: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(dato, datetime.time(klokken), tzinfo=KBH)


@contextmanager
def _dateret(dato: datetime.date | None):
    """Notifications the services write inside the block are about `dato`, not today: they get
    its time, are marked read long ago (and never emailed now), and their texts' dates — today,
    or a phase's end six months from today — are moved with them."""
    if dato is None:
        yield
        return
    foer = Notifikation.objects.aggregate(m=Max("pk"))["m"] or 0
    yield
    idag = timezone.localdate()
    flyt = {
        kort_dato(idag): kort_dato(dato),
        kort_dato(idag + relativedelta(months=FASE_MAANEDER)): kort_dato(
            dato + relativedelta(months=FASE_MAANEDER)
        ),
    }
    nye = list(Notifikation.objects.filter(pk__gt=foer))
    for n in nye:
        for fra, til in flyt.items():
            n.tekst = n.tekst.replace(fra, til)
        n.oprettet = n.laest = _tidspunkt(dato)
        n.email_oensket = False
    Notifikation.objects.bulk_update(nye, ["tekst", "oprettet", "laest", "email_oensket"])


def _tilbagedater_sag(forloeb: Forloeb, start: datetime.date) -> None:
    """Referral three weeks, visitation a week before `start`; admitted and phases from `start`."""
    uge = datetime.timedelta(days=7)
    Henvisning.objects.filter(pk=forloeb.henvisning_id).update(oprettet=_tidspunkt(start - 3 * uge))
    Visitation.objects.filter(henvisning_id=forloeb.henvisning_id).update(
        oprettet=_tidspunkt(start - uge), afgjort=_tidspunkt(start - uge, 14)
    )
    Underskrift.objects.filter(visitation__henvisning_id=forloeb.henvisning_id).update(
        tidspunkt=_tidspunkt(start - uge, 14)
    )
    Forloeb.objects.filter(pk=forloeb.pk).update(startdato=start, oprettet=_tidspunkt(start))
    for type_, planlagt_start, planlagt_slut in planlagte_faser(start):
        Fase.objects.filter(forloeb=forloeb, type=type_).update(
            planlagt_start=planlagt_start,
            planlagt_slut=planlagt_slut,
            faktisk_start=start if type_ == Fase.Type.OPKVALIFICERING else None,
        )


def _anna_til_hovedforloeb(forloeb: Forloeb, medarbejder: Bruger) -> None:
    """Anna's qualifying phase was extended on 10 November; she moves to the main phase today."""
    fase = Fase.objects.get(forloeb=forloeb, type=Fase.Type.OPKVALIFICERING)
    forlaengelse = forlaeng_fase(
        bruger=medarbejder,
        fase=fase,
        ny_slut=fase.planlagt_slut + datetime.timedelta(days=14),
        begrundelse="Forretningsplanen mangler et budget; der er aftalt ekstra finansiel "
        "rådgivning.",
    )
    Faseforlaengelse.objects.filter(pk=forlaengelse.pk).update(
        oprettet=_tidspunkt(datetime.date(2026, 11, 10))
    )
    skift_til_hovedforloeb(bruger=medarbejder, forloeb=forloeb, **OVERGANG)


def _gustav_udskrives(forloeb: Forloeb, medarbejder: Bruger, sagsbehandler: Bruger) -> None:
    """Gustav moved on in July and was discharged in August with his own business (a valid CVR
    number that is nobody's in this demo); the 3-month follow-up is due. In his main phase he
    applied for four loans (`_gustavs_laan`)."""
    with _dateret(GUSTAV_SKIFTE):
        skift_til_hovedforloeb(bruger=medarbejder, forloeb=forloeb, **OVERGANG)
    Overgangsvurdering.objects.filter(forloeb=forloeb).update(vurderet=_tidspunkt(GUSTAV_SKIFTE))
    Fase.objects.filter(forloeb=forloeb, type=Fase.Type.OPKVALIFICERING).update(
        faktisk_slut=GUSTAV_SKIFTE
    )
    Fase.objects.filter(forloeb=forloeb, type=Fase.Type.HOVEDFORLOEB).update(
        planlagt_start=GUSTAV_SKIFTE,
        planlagt_slut=GUSTAV_SKIFTE + relativedelta(months=FASE_MAANEDER),
        faktisk_start=GUSTAV_SKIFTE,
    )
    _gustavs_laan(forloeb, medarbejder, sagsbehandler)
    # The discharge takes its date; only its notifications' and row's timestamps need moving.
    with _dateret(GUSTAV_UDSKREVET):
        udskrivning = udskriv(
            bruger=medarbejder,
            forloeb=forloeb,
            dato=GUSTAV_UDSKREVET,
            aarsag=Udskrivning.Aarsag.EGEN_VIRKSOMHED,
            cvr="30000005",
            virksomhed_startet=datetime.date(2026, 8, 3),
            forsoergelse_efter=Forsoergelsesgrundlag.objects.get(navn="Selvforsørgende"),
            note="Har startet cykelværksted i Ishøj; første faste kunder er på plads.",
        )
    Udskrivning.objects.filter(pk=udskrivning.pk).update(oprettet=_tidspunkt(GUSTAV_UDSKREVET))


# --- Loans -----------------------------------------------------------------------------------
# Every state of a loan, made through the loan services (course staff the maker, the caseworker
# the checker) while the programme is in its main phase.
#
# Gustav's main phase ran in July and August, so his loans happened then. The services take the
# dates a user would type (disbursement, payments) but stamp their own moments "now" (applied,
# granted, each move, each registration, a proposed write-off) — and a disbursement may not be
# dated before the approval. As for the programmes above, the rows the services just wrote are
# moved back to the story's day with .update() (`_laan_dateret`), step by step, so each service
# sees the dates it checks.
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
