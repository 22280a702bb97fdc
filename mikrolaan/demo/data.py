"""Demo data for `make run`: organisations, one user per role, a place agreement and citizens at
every stage of the intake.

Everything is get-or-create, and cases are made through the application's own services, so running
it again changes nothing and every demo case is one the application itself could have produced.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction

from borgere import services as borger_services
from borgere.models import Borger, Forsoergelsesgrundlag
from forloeb import services as forloeb_services
from mikrolaan.konti.models import Bruger, Organisation, Rolle
from visitation import services as visitation_services
from visitation.models import Pladsaftale

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
    return BRUGERE


# Fictitious CPR numbers (valid dates; nobody's real number is needed for a demo).
BORGERE = [
    ("Anna", "Andersen", "0101851234", "optaget"),
    ("Bo", "Bertelsen", "0202862345", "optaget"),
    ("Carla", "Christensen", "0303873456", "venteliste"),
    ("Dorte", "Davidsen", "0404884567", "afventer_underskrift"),
    ("Emil", "Eriksen", "0505895678", "henvist"),
    ("Fatima", "Farah", "0606906789", "afvist"),
]

VURDERING = {
    "moededato": datetime.date(2026, 11, 2),
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
        beslutning="afvist" if afvist else "optaget",
        afvisningsgrund="Helbredet tillader ikke et forløb nu." if afvist else "",
    )
    if stadie == "afventer_underskrift":
        return
    # The third admission finds the two places taken and lands on the waiting list.
    forloeb_services.visitation_underskriv(bruger=sagsbehandler, visitation=visitation)
