"""The rows of an existing database the pages are measured on, found once before any timing.

The benchmark reads a populated database (the national data set, `--skala lille`, or `manage.py
demodata`) and chooses what a user would open: the demo caseworker's citizen with the most
programmes, the course worker's session nearest ten participants, the caseworker's place agreement
with the most referrals. Found through `synlige_for`, so every page answers 200 for its user.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import Abs
from django.utils import timezone

from borgere.models import Borger
from forloeb.models import Aktivitet, Deltagelse, Forloeb
from mikrolaan.konti.models import Bruger
from visitation.models import Pladsaftale

# The demo users of demo/data.py (and of the scale data built on it).
BRUGERNAVNE = ("sagsbehandler", "forloeb", "erhvervschef", "admin")
DELTAGERE = 10


class ManglerData(Exception):
    """The database lacks what a page needs (no demo users, no citizen the caseworker sees)."""


@dataclass
class Udvalg:
    brugere: dict[str, Bruger]
    borger: Borger
    cpr: str
    navn: str
    aktivitet: Aktivitet
    antal_deltagere: int
    deltager: Deltagelse
    pladsaftale: Pladsaftale


def find_udvalg() -> Udvalg:
    brugere = {b.username: b for b in Bruger.objects.filter(username__in=BRUGERNAVNE)}
    if mangler := sorted(set(BRUGERNAVNE) - set(brugere)):
        raise ManglerData(f"Demo users missing: {', '.join(mangler)} (run manage.py demodata).")
    sagsbehandler, forloeb = brugere["sagsbehandler"], brugere["forloeb"]
    borger = _borger(sagsbehandler)
    aktivitet, antal = _aktivitet(forloeb)
    deltager = (
        Deltagelse.objects.filter(aktivitet=aktivitet, forloeb__status__in=Forloeb.AKTIVE)
        .order_by("pk")
        .first()
    )
    if deltager is None:
        raise ManglerData(f"Session {aktivitet.pk} has no participant in an active programme.")
    return Udvalg(
        brugere=brugere,
        borger=borger,
        cpr=borger.cpr,
        navn=borger.efternavn,
        aktivitet=aktivitet,
        antal_deltagere=antal,
        deltager=deltager,
        pladsaftale=_pladsaftale(sagsbehandler),
    )


def _borger(sagsbehandler: Bruger) -> Borger:
    """A citizen with a case behind them: the most recent one in a programme, else any."""
    synlige = Borger.objects.synlige_for(sagsbehandler)
    forloeb = (
        Forloeb.objects.synlige_for(sagsbehandler)
        .filter(status__in=Forloeb.AKTIVE)
        .order_by("-pk")
        .values_list("borger_id", flat=True)[:1]
    )
    borger = synlige.filter(pk__in=list(forloeb)).first() or synlige.order_by("pk").first()
    if borger is None:
        raise ManglerData("The caseworker sees no citizen.")
    return borger


def _aktivitet(medarbejder: Bruger) -> tuple[Aktivitet, int]:
    """A held, not cancelled session of the course worker's organisation with ten participants
    (or as near ten as there is) of whom one is in an active programme, so its attendance can be
    set."""
    aktive = Q(deltagelser__forloeb__status__in=Forloeb.AKTIVE)
    sessioner = (
        Aktivitet.objects.synlige_for(medarbejder)
        .filter(aflyst__isnull=True, dato__lte=timezone.localdate())
        .annotate(antal=Count("deltagelser"), aktive=Count("deltagelser", filter=aktive))
        .filter(aktive__gt=0)
    )
    aktivitet = (
        sessioner.annotate(afstand=Abs(F("antal") - DELTAGERE))
        .order_by("afstand", "-antal", "-dato", "-pk")
        .first()
    )
    if aktivitet is None:
        raise ManglerData("The course worker's organisation has held no session.")
    return aktivitet, aktivitet.antal


def _pladsaftale(sagsbehandler: Bruger) -> Pladsaftale:
    aftale = (
        Pladsaftale.objects.synlige_for(sagsbehandler)
        .annotate(antal=Count("henvisninger"))
        .order_by("-antal", "pk")
        .first()
    )
    if aftale is None:
        raise ManglerData("The caseworker sees no place agreement.")
    return aftale
