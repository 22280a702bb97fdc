"""The organisations, users and place agreements of the scale data.

30 organisations: 8 jobcenters, the 16 municipalities they serve (which buy places) and 6 provider
municipalities that run the programme. Skewed like the country: Copenhagen and Aarhus are big,
Fanø is tiny, and the pilot (Jobcenter Vallensbæk, Ishøj, Næstved) has a large share, so the demo
users and the load-test users see a national-scale workload. Staff join over the years: a
notification goes only to people employed at the time.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from demo.data import BRUGERE, DEMO_ADGANGSKODE
from mikrolaan.konti.models import Bruger, Organisation, Rolle

from .navne import navn
from .tid import tidspunkt

PILOT_JOBCENTER = "Jobcenter Vallensbæk"
PILOT_KOEBER = "Ishøj Kommune"
PILOT_LEVERANDOER = "Næstved Kommune"
PILOTAFTALE = "Mikrolån Næstved – pilot"

# Jobcenter → the municipalities it serves: (name, share of the citizens, postcode, town).
JOBCENTRE = {
    "Jobcenter Vallensbæk": [
        ("Ishøj Kommune", 8, "2635", "Ishøj"),
        ("Vallensbæk Kommune", 2, "2665", "Vallensbæk Strand"),
        ("Brøndby Kommune", 4, "2605", "Brøndby"),
        ("Albertslund Kommune", 3, "2620", "Albertslund"),
    ],
    "Jobcenter København": [
        ("Københavns Kommune", 17, "2300", "København S"),
        ("Frederiksberg Kommune", 4, "2000", "Frederiksberg"),
    ],
    "Jobcenter Aarhus": [("Aarhus Kommune", 11, "8000", "Aarhus C")],
    "Jobcenter Odense": [("Odense Kommune", 8, "5000", "Odense C")],
    "Jobcenter Aalborg": [("Aalborg Kommune", 7, "9000", "Aalborg")],
    "Jobcenter Sydvest": [
        ("Esbjerg Kommune", 5, "6700", "Esbjerg"),
        ("Fanø Kommune", 0.5, "6720", "Fanø"),
        ("Varde Kommune", 2, "6800", "Varde"),
    ],
    "Jobcenter Vejle": [("Vejle Kommune", 5, "7100", "Vejle")],
    "Jobcenter Roskilde": [
        ("Roskilde Kommune", 4, "4000", "Roskilde"),
        ("Greve Kommune", 3, "2670", "Greve"),
        ("Solrød Kommune", 1.5, "2680", "Solrød Strand"),
    ],
}
# Provider → the town its sessions are held in.
LEVERANDOERER = {
    "Næstved Kommune": "Næstved",
    "Slagelse Kommune": "Slagelse",
    "Herning Kommune": "Herning",
    "Randers Kommune": "Randers",
    "Kolding Kommune": "Kolding",
    "Holbæk Kommune": "Holbæk",
}
_SJAELLAND = [("Næstved Kommune", 7), ("Holbæk Kommune", 3)]
# Buyer → the providers it buys places from, with the share of its citizens sent to each.
KOEB = {
    "Ishøj Kommune": [("Næstved Kommune", 1)],
    "Vallensbæk Kommune": _SJAELLAND,
    "Brøndby Kommune": _SJAELLAND,
    "Albertslund Kommune": _SJAELLAND,
    "Københavns Kommune": [
        ("Holbæk Kommune", 4),
        ("Slagelse Kommune", 3.5),
        ("Næstved Kommune", 2.5),
    ],
    "Frederiksberg Kommune": [("Holbæk Kommune", 1)],
    "Aarhus Kommune": [("Randers Kommune", 6), ("Herning Kommune", 4)],
    "Odense Kommune": [("Kolding Kommune", 7), ("Slagelse Kommune", 3)],
    "Aalborg Kommune": [("Randers Kommune", 1)],
    "Esbjerg Kommune": [("Kolding Kommune", 1), ("Herning Kommune", 1)],
    "Fanø Kommune": [("Kolding Kommune", 1)],
    "Varde Kommune": [("Kolding Kommune", 1), ("Herning Kommune", 1)],
    "Vejle Kommune": [("Kolding Kommune", 1)],
    "Roskilde Kommune": [("Næstved Kommune", 6), ("Holbæk Kommune", 4)],
    "Greve Kommune": [("Næstved Kommune", 6), ("Holbæk Kommune", 4)],
    "Solrød Kommune": [("Næstved Kommune", 1)],
}
# Staff besides the demo and load-test users (who join the pilot organisations).
FASTE_MEDARBEJDERE = 4
LAST_SAGSBEHANDLERE = 20
LAST_FORLOEB = 20
LAST_ERHVERVSCHEFER = 10


@dataclass
class Medarbejder:
    id: int
    organisation_id: int
    # Day ordinal from which the person works here (and receives notifications).
    fra: int
    # Weight when cases are handed out: the demo users take a larger share.
    vaegt: float = 1.0


@dataclass
class Kommune:
    id: int
    navn: str
    jobcenter_id: int
    vaegt: float
    postnummer: str
    by: str
    # (provider id, weight)
    leverandoerer: list = field(default_factory=list)


@dataclass
class Aftale:
    id: int
    navn: str
    koeber_id: int
    leverandoer_id: int
    fra: int  # ordinals
    til: int
    pris: int
    antal_aktive: int = 0
    antal_i_alt: int = 0
    venteliste: bool = False
    antal_pladser: int = 1


@dataclass
class Verden:
    """Everything about the organisations that the case generator needs, as plain values."""

    kommuner: list[Kommune]
    sagsbehandlere: dict[int, list[Medarbejder]]  # jobcenter id → caseworkers
    forloebsfolk: dict[int, list[Medarbejder]]  # provider id → course staff
    erhvervschefer: dict[int, list[Medarbejder]]  # buyer id → Erhvervschefer
    byer: dict[int, str]  # provider id → town
    aftaler: list[Aftale] = field(default_factory=list)
    navne: dict[int, str] = field(default_factory=dict)  # organisation id → name

    def aktive(self, folk: list[Medarbejder], dag: int) -> list[Medarbejder]:
        return [m for m in folk if m.fra <= dag] or folk[:1]


def opret_organisationer() -> dict[str, Organisation]:
    """Jobcenters first: on PostgreSQL a trigger checks that a serving organisation is one."""
    alle = {}
    for navn_ in JOBCENTRE:
        alle[navn_] = _org(navn_, Organisation.Type.JOBCENTER, None)
    for jobcenter, kommuner in JOBCENTRE.items():
        for kommune, *_ in kommuner:
            alle[kommune] = _org(kommune, Organisation.Type.KOMMUNE, alle[jobcenter])
    for leverandoer in LEVERANDOERER:
        alle[leverandoer] = _org(leverandoer, Organisation.Type.KOMMUNE, None)
    return alle


def _org(navn_: str, type_: str, betjent_af: Organisation | None) -> Organisation:
    org, _ = Organisation.objects.get_or_create(navn=navn_, defaults={"type": type_})
    if betjent_af is not None and org.betjent_af_id is None:
        org.betjent_af = betjent_af
        org.save(update_fields=["betjent_af"])
    return org


def opret_brugere(rng, orgs: dict[str, Organisation], start: int, idag: int) -> Verden:
    """The demo users, the load-test users and each organisation's staff; one password hash."""
    kode = make_password(DEMO_ADGANGSKODE)
    grupper = {g.name: g for g in Group.objects.filter(name__in=Rolle.values)}
    eksisterende = set(Bruger.objects.values_list("username", flat=True))
    nye: list[tuple[Bruger, str]] = []
    plan: list[tuple[str, str, str, int, float]] = []  # username, org, role, from, weight

    for demo in BRUGERE:
        plan.append((demo.brugernavn, demo.organisation, demo.rolle, start, 2.0))
    for nr in range(1, LAST_SAGSBEHANDLERE + 1):
        plan.append((f"last-sagsbehandler-{nr}", PILOT_JOBCENTER, Rolle.SAGSBEHANDLER, 0, 1.0))
    for nr in range(1, LAST_FORLOEB + 1):
        plan.append((f"last-forloeb-{nr}", PILOT_LEVERANDOER, Rolle.FORLOEBSMEDARBEJDER, 0, 1.0))
    for nr in range(1, LAST_ERHVERVSCHEFER + 1):
        plan.append((f"last-erhvervschef-{nr}", PILOT_KOEBER, Rolle.ERHVERVSCHEF, 0, 1.0))
    for jobcenter in JOBCENTRE:
        for nr in range(1, _faste(jobcenter) + 1):
            plan.append(
                (_brugernavn("sb", jobcenter, nr), jobcenter, Rolle.SAGSBEHANDLER, -nr, 1.0)
            )
    for leverandoer in LEVERANDOERER:
        for nr in range(1, _faste(leverandoer) + 1):
            plan.append(
                (
                    _brugernavn("fm", leverandoer, nr),
                    leverandoer,
                    Rolle.FORLOEBSMEDARBEJDER,
                    -nr,
                    1.0,
                )
            )
    for kommuner in JOBCENTRE.values():
        for kommune, *_ in kommuner:
            if kommune != PILOT_KOEBER:
                plan.append(
                    (_brugernavn("ec", kommune, 1), kommune, Rolle.ERHVERVSCHEF, start, 1.0)
                )

    brugere: list[tuple[str, str, str, int, float]] = []
    for brugernavn, org, rolle, fra, vaegt in plan:
        # Load-test users (fra 0) joined during the last year; the first two regular staff members
        # of each organisation were there from the start, the others joined over the years.
        if fra == 0:
            fra = idag - rng.randint(30, 365)
        elif fra < 0:
            fra = start if fra >= -2 else start + rng.randint(0, idag - start - 180)
        brugere.append((brugernavn, org, rolle, fra, vaegt))
        if brugernavn in eksisterende:
            continue
        fornavn, efternavn = navn(rng)
        nye.append(
            (
                Bruger(
                    username=brugernavn,
                    first_name=fornavn,
                    last_name=efternavn,
                    email=f"{brugernavn}@example.dk",
                    organisation=orgs[org],
                    is_staff=rolle == Rolle.ADMINISTRATOR,
                    password=kode,
                    date_joined=_dato_tid(fra),
                ),
                rolle,
            )
        )
    Bruger.objects.bulk_create([b for b, _ in nye])
    ider = dict(Bruger.objects.values_list("username", "id"))
    gennem = Bruger.groups.through
    gennem.objects.bulk_create(
        [gennem(bruger_id=ider[b.username], group_id=grupper[r].pk) for b, r in nye]
    )
    for demo in BRUGERE:
        Bruger.objects.get(username=demo.brugernavn).groups.add(grupper[demo.rolle])

    verden = Verden(kommuner=[], sagsbehandlere={}, forloebsfolk={}, erhvervschefer={}, byer={})
    roller = {
        Rolle.SAGSBEHANDLER: verden.sagsbehandlere,
        Rolle.FORLOEBSMEDARBEJDER: verden.forloebsfolk,
        Rolle.ERHVERVSCHEF: verden.erhvervschefer,
    }
    for brugernavn, org, rolle, fra, vaegt in brugere:
        if rolle in roller:
            org_id = orgs[org].pk
            roller[rolle].setdefault(org_id, []).append(
                Medarbejder(ider[brugernavn], org_id, fra, vaegt)
            )
    for folk in (*verden.sagsbehandlere.values(), *verden.forloebsfolk.values()):
        folk.sort(key=lambda m: m.fra)
    for jobcenter, kommuner in JOBCENTRE.items():
        for kommune, vaegt, postnummer, by in kommuner:
            verden.kommuner.append(
                Kommune(
                    id=orgs[kommune].pk,
                    navn=kommune,
                    jobcenter_id=orgs[jobcenter].pk,
                    vaegt=vaegt,
                    postnummer=postnummer,
                    by=by,
                    leverandoerer=[(orgs[lev].pk, v) for lev, v in KOEB[kommune]],
                )
            )
    verden.byer = {orgs[lev].pk: by for lev, by in LEVERANDOERER.items()}
    verden.navne = {org.pk: navn_ for navn_, org in orgs.items()}
    return verden


def _faste(org: str) -> int:
    # The pilot's organisations are the busiest: more staff besides the demo and load-test users.
    return (
        2 * FASTE_MEDARBEJDERE
        if org in (PILOT_JOBCENTER, PILOT_LEVERANDOER)
        else FASTE_MEDARBEJDERE
    )


def _brugernavn(forstavelse: str, org: str, nr: int) -> str:
    kort = org.split()[-1] if org.startswith("Jobcenter") else org.split()[0]
    kort = kort.lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    return f"{forstavelse}-{kort}-{nr}"


def _dato_tid(dag: int) -> datetime.datetime:
    return tidspunkt(dag, 8 * 60)
