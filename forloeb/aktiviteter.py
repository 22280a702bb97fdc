"""Sessions (aktiviteter) and attendance (deltagelse): the writes and reads course staff use.

Writes are services (keyword-only, one transaction each, Danish `ValidationError`s keyed by the
form field they are about, nothing saved on error). Reads are selectors that start from
`synlige_for`, so scoping is decided in mikrolaan/konti/adgang.py as everywhere else.

The rules a session keeps:
- its type is offered by the phase every participant is in on the session date
  (`Aktivitet.TYPER_I_FASE`);
- its date lies inside every participant's programme: not before the start, not after the main
  phase's planned end, not after a discharge;
- its participants are active programmes at the user's own (providing) organisation.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

import icalendar
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.tekst import kort_dato

from .models import Aktivitet, Deltagelse, Fase, Forloeb

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


def _periodefejl(forloeb: Forloeb, dato: datetime.date) -> str | None:
    """Why `dato` lies outside the programme's period, or None when it lies inside."""
    navn = forloeb.borger.navn
    if dato < forloeb.startdato:
        return _("Forløbet for %(navn)s begynder først %(start)s.") % {
            "navn": navn,
            "start": kort_dato(forloeb.startdato),
        }
    udskrivning = getattr(forloeb, "udskrivning", None)
    if udskrivning is not None and dato > udskrivning.dato:
        return _("%(navn)s blev udskrevet %(dato)s.") % {
            "navn": navn,
            "dato": kort_dato(udskrivning.dato),
        }
    hovedforloeb = next((f for f in forloeb.faser.all() if f.type == Fase.Type.HOVEDFORLOEB), None)
    if hovedforloeb is not None and dato > hovedforloeb.planlagt_slut:
        return _("Hovedforløbet for %(navn)s slutter efter planen %(slut)s.") % {
            "navn": navn,
            "slut": kort_dato(hovedforloeb.planlagt_slut),
        }
    return None


# --- Selectors ---------------------------------------------------------------------------------


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


def kursusmedarbejdere(*, bruger: Bruger) -> QuerySet[Bruger]:
    """Active course staff of the user's organisation: who can run a session."""
    if bruger.organisation_id is None:
        return Bruger.objects.none()
    return Bruger.objects.med_rolle(
        Rolle.FORLOEBSMEDARBEJDER, organisation_id=bruger.organisation_id
    ).order_by("first_name", "last_name", "username")


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


# --- Services ----------------------------------------------------------------------------------


def _kraev_kursusmedarbejder(bruger: Bruger, organisation_id: int | None) -> None:
    if (
        organisation_id is None
        or bruger.organisation_id != organisation_id
        or not bruger.har_rolle(Rolle.FORLOEBSMEDARBEJDER)
    ):
        raise ValidationError(
            _("Kun forløbsmedarbejdere hos den organisation, der leverer forløbet, kan det.")
        )


@transaction.atomic
def aktivitet_opret(
    *,
    bruger: Bruger,
    type: str,
    form: str,
    dato: datetime.date,
    starttid: datetime.time,
    varighed: int,
    sted: str,
    medarbejder: Bruger,
    deltagere: Iterable[Forloeb],
    beskrivelse: str = "",
) -> Aktivitet:
    """Create a session at the user's organisation with an attendance row (deltog) per participant.

    Raises ValidationError (keyed by field) when a rule is broken; then nothing is saved.
    """
    _kraev_kursusmedarbejder(bruger, bruger.organisation_id)
    fejl: dict[str, list[str]] = defaultdict(list)

    aktivitet = Aktivitet(
        type=type,
        form=form,
        dato=dato,
        starttid=starttid,
        varighed=varighed,
        sted=sted,
        medarbejder=medarbejder,
        organisation_id=bruger.organisation_id,
        beskrivelse=beskrivelse,
    )
    try:
        aktivitet.full_clean()
    except ValidationError as ugyldig:
        for felt, beskeder in ugyldig.message_dict.items():
            fejl[felt].extend(beskeder)

    if not kursusmedarbejdere(bruger=bruger).filter(pk=medarbejder.pk).exists():
        fejl["medarbejder"].append(
            _("Medarbejderen skal være forløbsmedarbejder i %(org)s.")
            % {"org": bruger.organisation}
        )

    valgte = {forloeb.pk for forloeb in deltagere}
    # Lock the programmes so a discharge cannot slip in between these checks and the insert.
    forloeb_liste = list(
        Forloeb.objects.synlige_for(bruger)
        .filter(pk__in=valgte, pladsaftale__leverandoer_id=bruger.organisation_id)
        .select_related("borger", "udskrivning")
        .prefetch_related("faser")
        .select_for_update(of=("self",))
        .order_by(Lower("borger__fornavn"), Lower("borger__efternavn"), "pk")
    )
    if not valgte:
        fejl["deltagere"].append(_("Vælg mindst én deltager."))
    elif len(forloeb_liste) != len(valgte):
        fejl["deltagere"].append(
            _("Kun borgere i forløb hos %(org)s kan deltage.") % {"org": bruger.organisation}
        )
    if form == Aktivitet.Form.INDIVIDUEL and len(valgte) > 1:
        fejl["form"].append(_("En individuel aktivitet har præcis én deltager."))

    for forloeb in forloeb_liste:
        navn = forloeb.borger.navn
        if not forloeb.er_aktiv:
            fejl["deltagere"].append(
                _("Forløbet for %(navn)s er %(status)s.")
                % {"navn": navn, "status": forloeb.get_status_display().lower()}
            )
            continue
        if dato is None:
            continue
        if periodefejl := _periodefejl(forloeb, dato):
            fejl["dato"].append(periodefejl)
            continue
        fase = fase_paa_dato(forloeb=forloeb, dato=dato)
        if fase is None:
            fejl["dato"].append(
                _("%(navn)s er ikke i en fase %(dato)s.") % {"navn": navn, "dato": kort_dato(dato)}
            )
        elif type in Aktivitet.Type.values and type not in Aktivitet.TYPER_I_FASE[fase.type]:
            fejl["type"].append(
                _("»%(type)s« tilbydes ikke i %(fase)s, som %(navn)s er i %(dato)s.")
                % {
                    "type": Aktivitet.Type(type).label,
                    "fase": fase.get_type_display().lower(),
                    "navn": navn,
                    "dato": kort_dato(dato),
                }
            )

    if fejl:
        raise ValidationError(dict(fejl))

    aktivitet.save()
    # One by one rather than bulk_create, so the change history records each row's creation.
    for forloeb in forloeb_liste:
        Deltagelse.objects.create(
            aktivitet=aktivitet,
            forloeb=forloeb,
            status=Deltagelse.Status.DELTOG,
            registreret_af=bruger,
        )
    return aktivitet


@transaction.atomic
def deltagelse_registrer(
    *,
    bruger: Bruger,
    aktivitet: Aktivitet,
    forloeb: Forloeb,
    status: str,
    note: str | None = None,
) -> Deltagelse:
    """Set (or correct) one citizen's attendance at a session; `note=None` keeps the note.

    A change is saved with who and when (`registreret`, `registreret_af`) and recorded in the
    change history; setting what is already there changes nothing.
    """
    _kraev_kursusmedarbejder(bruger, aktivitet.organisation_id)
    if status not in Deltagelse.Status.values:
        raise ValidationError({"status": _("Vælg deltog, afbud eller udeblev.")})
    # The row is locked: two staff members tapping the same row at once are applied in turn.
    raekke = (
        Deltagelse.objects.select_for_update(of=("self",))
        # The session too: the change history names the row by it (Deltagelse.__str__).
        .select_related("aktivitet", "forloeb__borger", "registreret_af")
        .filter(aktivitet=aktivitet, forloeb=forloeb)
        .first()
    )
    if raekke is None:
        raise ValidationError(
            _("%(navn)s deltager ikke i denne aktivitet.") % {"navn": forloeb.borger.navn}
        )
    if not raekke.forloeb.er_aktiv:
        raise ValidationError(
            _("Forløbet for %(navn)s er %(status)s, så fremmødet kan ikke ændres.")
            % {
                "navn": raekke.forloeb.borger.navn,
                "status": raekke.forloeb.get_status_display().lower(),
            }
        )
    note = raekke.note if note is None else note.strip()
    if len(note) > Deltagelse._meta.get_field("note").max_length:
        raise ValidationError({"note": _("Noten må højst være 500 tegn.")})
    if (raekke.status, raekke.note) == (status, note):
        return raekke
    raekke.status = status
    raekke.note = note
    raekke.registreret_af = bruger
    raekke.save(update_fields=["status", "note", "registreret", "registreret_af"])
    raekke.rettet = True
    return raekke


# --- The calendar feed -------------------------------------------------------------------------

# A fixed salt: a token signed for anything else (another feature's signed value) is not a feed.
KALENDER_SALT = "forloeb.aktiviteter.kalender"
# How far back the feed reaches; older sessions are history, not a calendar.
KALENDER_DAGE_TILBAGE = 180


def kalender_token(*, bruger: Bruger) -> str:
    """The user's feed token: signed, without a timestamp, so the link stays the same."""
    return signing.Signer(salt=KALENDER_SALT).sign_object({"bruger": bruger.pk})


def kalender_bruger(*, token: str) -> Bruger | None:
    """The active course staff member a token was signed for, or None for any bad token."""
    try:
        indhold = signing.Signer(salt=KALENDER_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    pk = indhold.get("bruger") if isinstance(indhold, dict) else None
    if not isinstance(pk, int):
        return None
    bruger = Bruger.objects.filter(pk=pk, is_active=True).first()
    if bruger is None or not bruger.har_rolle(Rolle.FORLOEBSMEDARBEJDER):
        return None
    return bruger


def kalender_ical(*, bruger: Bruger) -> bytes:
    """The user's sessions as iCalendar: type, time, duration, place and number of participants.

    Calendar apps fetch this without a login and keep copies, so it holds no citizen names, no
    CPR numbers and not the free-text description (which may name someone).
    """
    fra = timezone.localdate() - datetime.timedelta(days=KALENDER_DAGE_TILBAGE)
    sessioner = (
        Aktivitet.objects.synlige_for(bruger)
        .filter(medarbejder=bruger, dato__gte=fra)
        .annotate(antal_deltagere=Count("deltagelser"))
        .order_by("dato", "starttid", "pk")
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    nu = timezone.now()
    kalender = icalendar.Calendar()
    with translation.override(settings.LANGUAGE_CODE):
        kalender.add("prodid", "-//Mikrolån//Aktiviteter//DA")
        kalender.add("version", "2.0")
        kalender.add("calscale", "GREGORIAN")
        kalender.add("x-wr-calname", _("Mikrolån – mine aktiviteter"))
        kalender.add("x-published-ttl", "PT1H")
        for aktivitet in sessioner:
            begivenhed = icalendar.Event()
            begivenhed.add("uid", f"aktivitet-{aktivitet.pk}@mikrolaan")
            begivenhed.add("dtstamp", nu)
            begivenhed.add(
                "dtstart", datetime.datetime.combine(aktivitet.dato, aktivitet.starttid, zone)
            )
            begivenhed.add("duration", datetime.timedelta(minutes=aktivitet.varighed))
            begivenhed.add("summary", aktivitet.get_type_display())
            begivenhed.add("location", aktivitet.sted)
            begivenhed.add(
                "description",
                ngettext("%(antal)d deltager", "%(antal)d deltagere", aktivitet.antal_deltagere)
                % {"antal": aktivitet.antal_deltagere},
            )
            kalender.add_component(begivenhed)
    kalender.add_missing_timezones()
    return kalender.to_ical()
