"""Journeys through the real services: a place agreement, a citizen registered and referred, the
joint visitation, admission, the move to the main phase, an extension, the discharge, follow-ups.

Each builder calls the service the application calls, as the user who would act, so a scenario is
always one the application itself can reach and the services' rules hold: a discharge cannot be
dated in the future or before the programme began, a "gennemført" discharge needs the main phase.
A builder that happens on another day than today travels there (`tests.byg.tid.paa`) for the call.
The objects passed in are refreshed afterwards, so the test holds the state the service left.

The standard programme is admitted on START; its qualifying phase is planned to end on SKIFTE and
its main phase on SLUT:

    aftale = lav_pladsaftale(pilot, **PERIODE_2025_2027)
    forloeb = lav_forloeb(pilot, aftale, startdato=START)
    til_hovedforloeb(pilot, forloeb, SKIFTE)
    udskriv(pilot, forloeb, SKIFTE + 40 * DAG, aarsag=Udskrivning.Aarsag.EGEN_VIRKSOMHED)

A place agreement runs from a year before today to two years after unless the test says otherwise,
so the builders' default, "today", is inside it whatever year the tests run in. A test set on fixed
days (START, ...) passes a fixed period, as above.
"""

import datetime
import itertools
from contextlib import nullcontext
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from borgere.models import Borger, Forsoergelsesgrundlag
from borgere.services import borger_opret
from forloeb.models import (
    Aktivitet,
    Deltagelse,
    Fase,
    Faseforlaengelse,
    Forloeb,
    Opfoelgning,
    Udskrivning,
)
from forloeb.services import faser as fase_services
from forloeb.services import indskrivning as indskrivning_services
from forloeb.services import udskrivning as udskrivning_services
from visitation import services as visitation_services
from visitation.models import Henvisning, Pladsaftale, Visitation

from .tid import DAG, paa

START = datetime.date(2026, 1, 15)
SKIFTE = datetime.date(2026, 7, 15)  # START + 6 months: the qualifying phase's planned end
SLUT = datetime.date(2027, 1, 15)  # START + 12 months: the main phase's planned end
# A place agreement period for tests set on fixed days (START, ...), whatever year they run in:
# `lav_pladsaftale(pilot, **PERIODE_2025_2027)`.
PERIODE_2025_2027 = {
    "gyldig_fra": datetime.date(2025, 1, 1),
    "gyldig_til": datetime.date(2027, 12, 31),
}

# A valid CVR number (modulus 11) that belongs to no one in these tests.
CVR = "30000005"

# The joint visitation's assessment: the citizen can complete the programme.
VURDERINGER = {
    "moededato": datetime.date(2026, 11, 20),
    "deltagere": "Sara Sagsbehandler (Jobcenter Vallensbæk), Frederik (Næstved Kommune)",
    "kan_gennemfoere": "ja",
    "kan_gennemfoere_note": "Stabil, har erfaring fra branchen.",
    "motivation": "ja",
    "motivation_note": "",
    "forretningsidee": "maaske",
    "forretningsidee_note": "Markedet skal undersøges nærmere.",
    "personlige_forhold": "ja",
    "personlige_forhold_note": "",
    "oekonomiske_forhold": "ja",
    "oekonomiske_forhold_note": "",
}

# The course staff's assessment for the move to the main phase: one element (skat) left for the
# main phase's sparring, and a recommendation. The checklist is incomplete, so the move is
# confirmed with a reason (forloeb.services.faser.overgangsadvarsler).
OVERGANGSVURDERING = {
    "personlig_vejledning": True,
    "erhvervscoaching": True,
    "finansiel_raadgivning": True,
    "regnskab": True,
    "skat": False,
    "moms": True,
    "forretningsplan_klar": True,
    "anbefaling": "Klar til hovedforløbet; skat tages i sparringen.",
    "bekraeftet": True,
    "begrundelse": "Skat tages i sparringen i hovedforløbet.",
}

# CPR numbers 020290-1000 and up: valid (modulus 11 is not enforced), unique per process, and apart
# from BorgerFactory's (born 1960 and on) and the 010190-1234 that tests type in by hand.
_cpr_loebenr = itertools.count(1000)


def grundlag(navn: str) -> Forsoergelsesgrundlag:
    """A means of support the migrations create (Kontanthjælp, Dagpenge, Selvforsørgende, ...)."""
    return Forsoergelsesgrundlag.objects.get(navn=navn)


# --- Intake ---------------------------------------------------------------------------------


def lav_pladsaftale(pilot, antal_pladser: int = 2, **felter) -> Pladsaftale:
    """Ishøj buys `antal_pladser` at Næstved, from a year before today to two years after.

    Relative to today, so admissions today (every builder's default) fall inside it in any year; a
    test set on fixed days passes `gyldig_fra`/`gyldig_til` (e.g. `**PERIODE_2025_2027`).
    Place agreements are maintained in the Django admin (no service), so this is the ORM.
    """
    idag = timezone.localdate()
    return Pladsaftale.objects.create(
        **{
            "navn": "Mikrolån Næstved 2026",
            "koeber": pilot.ishoej,
            "leverandoer": pilot.naestved,
            "antal_pladser": antal_pladser,
            "gyldig_fra": idag - relativedelta(years=1),
            "gyldig_til": idag + relativedelta(years=2),
            "pris_pr_plads": Decimal("45000.00"),
        }
        | felter
    )


def lav_borger(pilot, fornavn="Anna", efternavn="Jensen", *, bruger=None, **felter) -> Borger:
    """A citizen registered by `bruger` (default the pilot's caseworker) at their jobcenter."""
    return borger_opret(
        bruger=bruger or pilot.sagsbehandler,
        cpr=f"020290{next(_cpr_loebenr)}",
        **{
            "fornavn": fornavn,
            "efternavn": efternavn,
            "forsoergelsesgrundlag": grundlag("Kontanthjælp"),
            "forretningsidee": "Cykelværksted",
        }
        | felter,
    )


def henvis(pilot, aftale, borger=None, *, bruger=None, **felter) -> Henvisning:
    """The caseworker refers the citizen (a new one if none is given) to the agreement."""
    return visitation_services.henvisning_opret(
        bruger=bruger or pilot.sagsbehandler,
        borger=borger or lav_borger(pilot),
        pladsaftale=aftale,
        **{
            "forretningsidee": "Cykelværksted i Ishøj",
            "motivation": "Vil gerne være selvstændig",
            "forsoergelsesgrundlag": grundlag("Kontanthjælp"),
            "vurdering": "Kan gennemføre",
        }
        | felter,
    )


def visiter(pilot, henvisning, beslutning="optaget", *, bruger=None, **vurderinger) -> Visitation:
    """The course staff record the joint visitation (and so sign it for Næstved)."""
    visitation = visitation_services.visitation_opret(
        bruger=bruger or pilot.forloebsmedarbejder,
        henvisning=henvisning,
        **(VURDERINGER | {"beslutning": beslutning} | vurderinger),
    )
    henvisning.refresh_from_db()
    return visitation


def optag(pilot, aftale, borger=None, *, startdato=None, henvist_af=None) -> Forloeb | None:
    """Refer, visit and sign by both parties on `startdato` (default today).

    Returns the new programme, or None when the citizen went on the waiting list instead.
    """
    with _paa(startdato):
        henvisning = henvis(pilot, aftale, borger, bruger=henvist_af)
        visitation = visiter(pilot, henvisning)
        return indskrivning_services.visitation_underskriv(
            bruger=pilot.sagsbehandler, visitation=visitation
        )


def lav_forloeb(
    pilot,
    aftale,
    fornavn="Anna",
    efternavn="Jensen",
    *,
    borger=None,
    henvist_af=None,
    startdato=None,
) -> Forloeb:
    """A citizen admitted on `startdato` (default today); the agreement must have a free place."""
    forloeb = optag(
        pilot,
        aftale,
        borger or lav_borger(pilot, fornavn, efternavn),
        startdato=startdato,
        henvist_af=henvist_af,
    )
    assert forloeb is not None, "the citizen went on the waiting list: the agreement is full"
    return forloeb


# --- The programme's course -----------------------------------------------------------------


def faser(forloeb: Forloeb) -> dict[str, Fase]:
    """The programme's two phases by type, as they are in the database now."""
    return {fase.type: fase for fase in Fase.objects.filter(forloeb=forloeb)}


def til_hovedforloeb(pilot, forloeb: Forloeb, dato=None, *, bruger=None, **vurdering) -> Forloeb:
    """The course staff move the programme to the main phase on `dato` (default today)."""
    with _paa(dato):
        fase_services.skift_til_hovedforloeb(
            bruger=bruger or pilot.forloebsmedarbejder,
            forloeb=forloeb,
            **(OVERGANGSVURDERING | vurdering),
        )
    forloeb.refresh_from_db()
    return forloeb


def forlaeng(
    pilot,
    fase: Fase,
    ny_slut: datetime.date,
    begrundelse="Forretningsplanen mangler budget.",
    *,
    dato=None,
    bruger=None,
) -> Faseforlaengelse:
    """The course staff extend the phase to `ny_slut`, on `dato` (default today)."""
    with _paa(dato):
        forlaengelse = fase_services.forlaeng_fase(
            bruger=bruger or pilot.forloebsmedarbejder,
            fase=fase,
            ny_slut=ny_slut,
            begrundelse=begrundelse,
        )
    fase.refresh_from_db()
    return forlaengelse


def udskriv(
    pilot,
    forloeb: Forloeb,
    dato: datetime.date | None,
    aarsag=Udskrivning.Aarsag.JOB,
    *,
    idag: datetime.date | None = None,
    bruger=None,
    **felter,
) -> Udskrivning:
    """The course staff discharge the citizen as of `dato`, recorded on `idag` (default `dato`).

    Runs the real discharge: the programme ends (afsluttet for a "gennemført" reason, which needs
    the main phase; afbrudt otherwise), the place is freed, the three follow-ups are planned and
    the Erhvervschef is told. `felter` overrides the service's other fields (`cvr`, default a
    valid one for "egen virksomhed", and `virksomhed_startet`, default the discharge date;
    `forsoergelse_efter`, default Selvforsørgende; `note`).
    """
    egen = aarsag == Udskrivning.Aarsag.EGEN_VIRKSOMHED
    felter = {
        "cvr": CVR if egen else "",
        "virksomhed_startet": (dato or forloeb.startdato) if egen else None,
        "forsoergelse_efter": grundlag("Selvforsørgende"),
        "note": "",
    } | felter
    dag = idag or dato
    with _paa(dag):
        udskrivning = udskrivning_services.udskriv(
            bruger=bruger or pilot.forloebsmedarbejder,
            forloeb=forloeb,
            dato=dato,
            aarsag=aarsag,
            **felter,
        )
    forloeb.refresh_from_db()
    return udskrivning


def afsluttet_forloeb_hos(pilot, aftale, borger, *, medarbejder) -> Forloeb:
    """The citizen's earlier programme at another provider, admitted and discharged today:
    visited by `medarbejder` (that provider's course staff) with the pilot's caseworker, and
    discharged by them. That provider keeps the citizen (a rejection or withdrawal alone would
    not), so it can be asked what it sees of a later programme elsewhere."""
    visitation = visiter(pilot, henvis(pilot, aftale, borger), bruger=medarbejder)
    forloeb = indskrivning_services.visitation_underskriv(
        bruger=pilot.sagsbehandler, visitation=visitation
    )
    udskriv(pilot, forloeb, timezone.localdate(), bruger=medarbejder)
    return forloeb


def registrer_opfoelgning(
    pilot, opfoelgning: Opfoelgning, dato=None, *, bruger=None, **felter
) -> Opfoelgning:
    """The caseworker records the follow-up on `dato` (default the day it falls due).

    `felter` overrides the answers: `selvforsoergende` (default True), `forsoergelsesgrundlag`
    (default Selvforsørgende) and `note`.
    """
    felter = {
        "selvforsoergende": True,
        "forsoergelsesgrundlag": grundlag("Selvforsørgende"),
        "note": "",
    } | felter
    with paa(dato or opfoelgning.forfalder):
        udskrivning_services.registrer_opfoelgning(
            bruger=bruger or pilot.sagsbehandler, opfoelgning=opfoelgning, **felter
        )
    opfoelgning.refresh_from_db()
    return opfoelgning


def til_status(pilot, forloeb: Forloeb, status: str) -> Forloeb:
    """Take an admitted programme to `status` the way the application does: to the main phase on
    the qualifying phase's planned end; discharged ten days into the phase it is in, as completed
    (afsluttet, from the main phase) or for a job (afbrudt)."""
    if status in (Forloeb.Status.HOVEDFORLOEB, Forloeb.Status.AFSLUTTET):
        til_hovedforloeb(pilot, forloeb, faser(forloeb)[Fase.Type.OPKVALIFICERING].planlagt_slut)
    if status in (Forloeb.Status.AFSLUTTET, Forloeb.Status.AFBRUDT):
        fase = faser(forloeb)[forloeb.status]
        aarsag = (
            Udskrivning.Aarsag.UDEN_VIRKSOMHED
            if status == Forloeb.Status.AFSLUTTET
            else Udskrivning.Aarsag.JOB
        )
        udskriv(pilot, forloeb, fase.faktisk_start + 10 * DAG, aarsag)
    assert forloeb.status == status, f"{forloeb.status} is not {status}"
    return forloeb


# --- Sessions ---------------------------------------------------------------------------------


def registrer_fremmoede(
    pilot,
    forloeb,
    *statusser,
    type=Aktivitet.Type.PERSONLIG_VEJLEDNING,  # noqa: A002 - the model's field name
    medarbejder=None,
    dato=None,
) -> list[Deltagelse]:
    """One individual session per status ("deltog", "afbud", "udeblev") for the programme, on
    `dato` or on consecutive days from 1 March 2026.

    Written with the ORM for now: the sessions' services are being reshaped (forloeb.aktiviteter);
    once they settle, this builder should call them like the others above.
    """
    medarbejder = medarbejder or pilot.forloebsmedarbejder
    deltagelser = []
    for nr, status in enumerate(statusser):
        aktivitet = Aktivitet.objects.create(
            type=type,
            form=Aktivitet.Form.INDIVIDUEL,
            dato=dato or datetime.date(2026, 3, 1) + datetime.timedelta(days=nr),
            starttid=datetime.time(10, 0),
            varighed=60,
            sted="Jobhuset",
            medarbejder=medarbejder,
            organisation=medarbejder.organisation,
        )
        deltagelser.append(
            Deltagelse.objects.create(
                aktivitet=aktivitet, forloeb=forloeb, status=status, registreret_af=medarbejder
            )
        )
    return deltagelser


def _paa(dato: datetime.date | None):
    """Travel to `dato`; without one, the builder happens today."""
    return paa(dato) if dato else nullcontext()
