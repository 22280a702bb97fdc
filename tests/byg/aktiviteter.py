"""Sessions and attendance through the real services (forloeb.aktiviteter.services): citizens
admitted on a chosen day, a session for them, attendance set or corrected.

Built on the journeys in `tests.byg.sager`: a citizen is referred, visited and signed in on the
day the programme starts (travelling there), so every scenario is one the application can reach.
A session's date is not "today" to the services (a session may be planned ahead and its attendance
set later), so `opret_aktivitet` and `registrer_deltagelse` happen today; `registrer_fremmoede`,
which stands for attendance taken on the day, travels to the session's day.

The sessions' standard participant is admitted on START; on I_OPKVALIFICERING they are in the
qualifying phase, whose accounting class is `opret_aktivitet`'s default:

    aftale = aktivitetsaftale(pilot)
    anna, bo = indskriv(pilot, aftale, "Anna"), indskriv(pilot, aftale, "Bo")
    aktivitet = opret_aktivitet(pilot, [anna, bo])
    registrer_deltagelse(pilot, aktivitet, bo, Deltagelse.Status.UDEBLEV, note="Syg")
"""

import datetime

from forloeb.aktiviteter.services.fremmoede import deltagelse_registrer
from forloeb.aktiviteter.services.oprettelse import aktivitet_opret
from forloeb.models import Aktivitet, Deltagelse, Forloeb
from forloeb.services.indskrivning import visitation_underskriv
from visitation.models import Pladsaftale

from .sager import henvis, lav_borger, lav_pladsaftale, visiter
from .tid import DAG, paa

# Admitted 2 March 2026: the qualifying phase is planned until 2 September 2026, the main phase
# until 2 March 2027.
START = datetime.date(2026, 3, 2)
I_OPKVALIFICERING = datetime.date(2026, 4, 15)
# Admitted on this day, a citizen's planned main phase (1 March – 1 September 2026) holds
# I_OPKVALIFICERING.
START_FOER = datetime.date(2025, 9, 1)
KL_10 = datetime.time(10, 0)


def aktivitetsaftale(pilot, **felter) -> Pladsaftale:
    """Twelve places at Næstved, valid 2025–2027: room for every start the session tests use."""
    return lav_pladsaftale(
        pilot,
        **{
            "antal_pladser": 12,
            "gyldig_fra": datetime.date(2025, 1, 1),
            "gyldig_til": datetime.date(2027, 12, 31),
        }
        | felter,
    )


def indskriv(
    pilot,
    aftale: Pladsaftale,
    fornavn: str,
    start: datetime.date = START,
    *,
    efternavn: str = "Jensen",
    visiteret_af=None,
) -> Forloeb:
    """`fornavn efternavn` registered, referred, visited (by `visiteret_af`, default the pilot's
    course staff member; another provider's agreement needs its own) and admitted on `start`."""
    with paa(start):
        henvisning = henvis(pilot, aftale, lav_borger(pilot, fornavn, efternavn))
        visitation = visiter(pilot, henvisning, bruger=visiteret_af)
        forloeb = visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
    assert forloeb is not None, "the citizen went on the waiting list: the agreement is full"
    return forloeb


def opret_aktivitet(pilot, deltagere, **felter) -> Aktivitet:
    """An accounting class on I_OPKVALIFICERING for `deltagere`, created and run by the pilot's
    course staff member; `felter` overrides any of `aktivitet_opret`'s arguments."""
    data = {
        "bruger": pilot.forloebsmedarbejder,
        "type": Aktivitet.Type.REGNSKAB,
        "form": Aktivitet.Form.GRUPPE,
        "dato": I_OPKVALIFICERING,
        "starttid": KL_10,
        "varighed": 90,
        "sted": "Jobhuset, Næstved",
        "medarbejder": pilot.forloebsmedarbejder,
        "deltagere": deltagere,
    }
    return aktivitet_opret(**(data | felter))


def registrer_deltagelse(
    pilot, aktivitet: Aktivitet, forloeb: Forloeb, status: str, *, note=None, bruger=None
) -> Deltagelse:
    """`bruger` (default the pilot's course staff member) sets the citizen's attendance."""
    return deltagelse_registrer(
        bruger=bruger or pilot.forloebsmedarbejder,
        aktivitet=aktivitet,
        forloeb=forloeb,
        status=status,
        note=note,
    )


def registrer_fremmoede(
    pilot,
    forloeb: Forloeb,
    *statusser,
    type=Aktivitet.Type.PERSONLIG_VEJLEDNING,  # noqa: A002 - the service's argument name
    medarbejder=None,
    dato=None,
) -> list[Deltagelse]:
    """One individual session per status ("deltog", "afbud", "udeblev") for the programme, on
    `dato` or on consecutive days from the programme's start, by `medarbejder` (default the
    pilot's course staff member, who creates the session and takes the attendance on its day).

    The services' rules hold: the programme must be active, the date inside it and the type one
    its phase that day offers. A session begins with everyone attending, so "afbud" and "udeblev"
    are set afterwards, as staff do: the change history has them as corrections.
    """
    medarbejder = medarbejder or pilot.forloebsmedarbejder
    deltagelser = []
    for nr, status in enumerate(statusser):
        dag = dato or forloeb.startdato + nr * DAG
        with paa(dag):
            aktivitet = aktivitet_opret(
                bruger=medarbejder,
                type=type,
                form=Aktivitet.Form.INDIVIDUEL,
                dato=dag,
                starttid=KL_10,
                varighed=60,
                sted="Jobhuset",
                medarbejder=medarbejder,
                deltagere=[forloeb],
            )
            deltagelser.append(
                registrer_deltagelse(pilot, aktivitet, forloeb, status, bruger=medarbejder)
            )
    return deltagelser
