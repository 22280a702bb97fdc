"""Demo data for `make run`: organisations, one user per role, a place agreement and citizens at
every stage of the intake and of the programme (main phase, extension, discharge, follow-up due),
and microloans in every state (see demo/laan.py).

Everything is get-or-create, and cases are made through the application's own services, so running
it again changes nothing and every demo case is one the application itself could have produced.
The stories that began before today are told in demo/forloeb.py, their loans in demo/laan.py.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from borgere import services as borger_services
from borgere.models import Borger, Forsoergelsesgrundlag
from forloeb.aktiviteter.services.fremmoede import deltagelse_registrer
from forloeb.aktiviteter.services.oprettelse import aktivitet_opret
from forloeb.models import Aktivitet, Forloeb
from forloeb.services.indskrivning import visitation_underskriv
from mikrolaan.konti.models import Bruger, Organisation, Rolle
from visitation import services as visitation_services
from visitation.models import Pladsaftale

from .forloeb import (
    STARTDATO,
    _anna_til_hovedforloeb,
    _gustav_udskrives,
    _tilbagedater_sag,
)
from .laan import _annas_laan
from .tid import _dateret

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
