"""Reads for sessions and attendance: who can take part, who can run a session, which types a
phase offers, the session list and a session's attendance rows.

Every case read starts from `synlige_for`, so scoping is decided in mikrolaan/konti/adgang.py as
everywhere else.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.tekst import kort_dato

from ..models import Aktivitet, Deltagelse, Fase, Forloeb

# --- Phases on a date --------------------------------------------------------------------------


def _periode(fase: Fase) -> tuple[datetime.date, datetime.date]:
    """A phase's period: the actual dates where recorded, the planned ones otherwise."""
    return (fase.faktisk_start or fase.planlagt_start, fase.faktisk_slut or fase.planlagt_slut)


def fase_paa_dato(*, forloeb: Forloeb, dato: datetime.date) -> Fase | None:
    """The phase `forloeb` is in on `dato`: the Fase whose period contains the date.

    Reads `forloeb.faser.all()`, so prefetch the phases when asking for many programmes. Two
    periods can contain the same date: on the hand-over day (the qualifying phase's end is the
    main phase's start), and when an extended qualifying phase overlaps the main phase's original
    plan. A phase that has actually begun wins over one that is only planned, and then the later
    start wins, so the hand-over day belongs to the main phase once it has begun.
    """
    kandidater = [
        fase for fase in forloeb.faser.all() if _periode(fase)[0] <= dato <= _periode(fase)[1]
    ]
    if not kandidater:
        return None
    return max(kandidater, key=lambda fase: (fase.faktisk_start is not None, _periode(fase)[0]))


def tilladte_typer(*, deltagere: Iterable[Forloeb], dato: datetime.date) -> list[Aktivitet.Type]:
    """The session types every participant's phase on `dato` offers (all types without any).

    A participant without a phase on the date offers nothing, so the list is then empty; the
    service explains why when the session is saved.
    """
    typer = list(Aktivitet.Type)
    for forloeb in deltagere:
        fase = fase_paa_dato(forloeb=forloeb, dato=dato)
        tilbudt = set(Aktivitet.TYPER_I_FASE[Fase.Type(fase.type)]) if fase else set()
        typer = [t for t in typer if t in tilbudt]
    return typer


# A phase named as a sentence needs it: "passer kun til deltagere i hovedforløbet".
FASE_BESTEMT = {
    Fase.Type.OPKVALIFICERING: gettext_lazy("det opkvalificerende forløb"),
    Fase.Type.HOVEDFORLOEB: gettext_lazy("hovedforløbet"),
}


def _navne(navne: list[str]) -> str:
    """ "Anna Jensen, Bo Hansen og Carl Lund"."""
    return str(get_text_list(navne, _("og")))


def _faser_paa_dato(
    deltagere: Iterable[Forloeb], dato: datetime.date
) -> dict[str | None, list[str]]:
    """The participants' names grouped by the phase each is in on `dato` (None: no phase)."""
    faser: dict[str | None, list[str]] = defaultdict(list)
    for forloeb in deltagere:
        fase = fase_paa_dato(forloeb=forloeb, dato=dato)
        faser[fase.type if fase else None].append(forloeb.borger.navn)
    return faser


def type_passer_ikke(*, type: str, deltagere: Iterable[Forloeb], dato: datetime.date) -> str | None:
    """Why a session of `type` does not fit some of the participants on `dato`, naming whom and
    the phase they are in; None when it fits everyone with a phase that day.

    "»Kollektiv kursusdag« passer kun til deltagere i hovedforløbet; Anna Jensen er i det
    opkvalificerende forløb den 15.04.2026."
    """
    typens_fase = next(fase for fase, typer in Aktivitet.TYPER_I_FASE.items() if type in typer)
    andre = {
        fase: navne
        for fase, navne in _faser_paa_dato(deltagere, dato).items()
        if fase is not None and fase != typens_fase
    }
    if not andre:
        return None
    hvem = "; ".join(
        _("%(navne)s er i %(fase)s") % {"navne": _navne(navne), "fase": FASE_BESTEMT[fase]}
        for fase, navne in andre.items()
    )
    return _("»%(type)s« passer kun til deltagere i %(fase)s; %(hvem)s den %(dato)s.") % {
        "type": Aktivitet.Type(type).label,
        "fase": FASE_BESTEMT[typens_fase],
        "hvem": hvem,
        "dato": kort_dato(dato),
    }


def faseforklaring(*, deltagere: Iterable[Forloeb], dato: datetime.date) -> str | None:
    """When no type fits all the participants on `dato`: who is in which phase and which types
    that phase offers, so the form can say why instead of a bare "required". None otherwise."""
    faser = _faser_paa_dato(deltagere, dato)
    if len(faser) < 2 and None not in faser:
        return None
    dele = []
    for fase, navne in faser.items():
        if fase is None:
            dele.append(_("%(navne)s er ikke i en fase den dato") % {"navne": _navne(navne)})
        else:
            dele.append(
                _("%(navne)s er i %(fase)s, som tilbyder %(typer)s")
                % {
                    "navne": _navne(navne),
                    "fase": FASE_BESTEMT[fase],
                    "typer": _navne(
                        [str(t.label).lower() for t in Aktivitet.TYPER_I_FASE[Fase.Type(fase)]]
                    ),
                }
            )
    forklaring = _("Ingen type passer til alle de valgte deltagere den %(dato)s: %(dele)s.") % {
        "dato": kort_dato(dato),
        "dele": "; ".join(dele),
    }
    if len([fase for fase in faser if fase is not None]) > 1:
        forklaring += " " + _("Opret en aktivitet for hver fase.")
    return forklaring


# --- Participants and staff --------------------------------------------------------------------


def aktive_deltagere(*, bruger: Bruger) -> QuerySet[Forloeb]:
    """The active programmes the user's organisation provides: who can take part in a session."""
    return (
        Forloeb.objects.synlige_for(bruger)
        .aktive()
        .filter(pladsaftale__leverandoer_id=bruger.organisation_id)
        .select_related("borger")
        .prefetch_related("faser")
        .order_by(Lower("borger__fornavn"), Lower("borger__efternavn"), "pk")
    )


def mulige_deltagere(*, bruger: Bruger, aktivitet: Aktivitet | None = None) -> QuerySet[Forloeb]:
    """Who can be ticked on the session form: the active programmes the user's organisation
    provides, and, when correcting `aktivitet`, its current participants whatever their status."""
    if aktivitet is None:
        return aktive_deltagere(bruger=bruger)
    paa_aktiviteten = Deltagelse.objects.filter(aktivitet=aktivitet).values("forloeb_id")
    return (
        Forloeb.objects.synlige_for(bruger)
        .filter(Q(status__in=Forloeb.AKTIVE) | Q(pk__in=paa_aktiviteten))
        .filter(pladsaftale__leverandoer_id=bruger.organisation_id)
        .select_related("borger")
        .prefetch_related("faser")
        .order_by(Lower("borger__fornavn"), Lower("borger__efternavn"), "pk")
    )


def kursusmedarbejdere(*, bruger: Bruger) -> QuerySet[Bruger]:
    """Active course staff of the user's organisation: who can run a session."""
    if bruger.organisation_id is None:
        return Bruger.objects.none()
    return Bruger.objects.med_rolle(
        Rolle.FORLOEBSMEDARBEJDER, organisation_id=bruger.organisation_id
    ).order_by("first_name", "last_name", "username")


# --- Sessions and attendance -------------------------------------------------------------------


def aktiviteter(
    *,
    bruger: Bruger,
    afholdte: bool = False,
    type: str = "",
    fra: datetime.date | None = None,
    til: datetime.date | None = None,
) -> QuerySet[Aktivitet]:
    """The organisation's sessions for the list page, with attendance counted in the same query.

    Upcoming sessions (today and later) come soonest first; past sessions newest first.
    """
    idag = timezone.localdate()
    qs = (
        Aktivitet.objects.synlige_for(bruger)
        .select_related("medarbejder")
        .annotate(
            antal_deltagere=Count("deltagelser"),
            antal_deltog=Count("deltagelser", filter=Q(deltagelser__status="deltog")),
            antal_afbud=Count("deltagelser", filter=Q(deltagelser__status="afbud")),
            antal_udeblev=Count("deltagelser", filter=Q(deltagelser__status="udeblev")),
        )
    )
    if afholdte:
        qs = qs.filter(dato__lt=idag).order_by("-dato", "-starttid", "-pk")
    else:
        qs = qs.filter(dato__gte=idag).order_by("dato", "starttid", "pk")
    if type:
        qs = qs.filter(type=type)
    if fra:
        qs = qs.filter(dato__gte=fra)
    if til:
        qs = qs.filter(dato__lte=til)
    return qs


def marker_rettede(deltagelser: Sequence[Deltagelse]) -> None:
    """Set `.rettet` on each attendance: True when it has been changed since it was created.

    The change history (django-auditlog) is the record of corrections, so it is asked, in one
    query however many rows there are.
    """
    if not deltagelser:
        return
    rettede = set(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Deltagelse),
            object_id__in=[d.pk for d in deltagelser],
            action=LogEntry.Action.UPDATE,
        ).values_list("object_id", flat=True)
    )
    for deltagelse in deltagelser:
        deltagelse.rettet = deltagelse.pk in rettede


def deltagelser(*, aktivitet: Aktivitet) -> list[Deltagelse]:
    """A session's attendance rows by the citizen's name, each marked `.rettet` or not."""
    raekker = list(
        aktivitet.deltagelser.select_related("forloeb__borger", "registreret_af").order_by(
            Lower("forloeb__borger__fornavn"), Lower("forloeb__borger__efternavn"), "pk"
        )
    )
    marker_rettede(raekker)
    return raekker


def deltagelse(*, aktivitet: Aktivitet, forloeb: Forloeb) -> Deltagelse | None:
    """One attendance row (for re-rendering it), marked `.rettet` or not; None if there is none."""
    raekke = (
        aktivitet.deltagelser.select_related("forloeb__borger", "registreret_af")
        .filter(forloeb=forloeb)
        .first()
    )
    if raekke is not None:
        marker_rettede([raekke])
    return raekke
