"""Demo data for `make run`: organisations, one user per role and (as the issues add them) cases.

Everything is get-or-create, so running it again changes nothing.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from mikrolaan.konti.models import Bruger, Organisation, Rolle

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
    return BRUGERE
