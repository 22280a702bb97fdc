"""Writes for sessions and attendance: keyword-only, typed, one transaction each.

Only the providing organisation's course staff may write (`regler.kan_holde_aktiviteter`); anyone
else gets PermissionDenied. A broken rule raises a Danish `ValidationError` keyed by the form field
it is about, and then nothing is saved.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mikrolaan.datoer import datofejl
from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import marker_haandteret, notificer
from mikrolaan.tekst import kort_dato

from .. import regler
from ..models import Aktivitet, Aktivitetsrettelse, Deltagelse, Fase, Forloeb
from .selectors import fase_paa_dato, kursusmedarbejdere, type_passer_ikke


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
    gaester: int = 0,
) -> Aktivitet:
    """Create a session at the user's organisation with an attendance row (deltog) per participant.

    Raises ValidationError (keyed by field) when a rule is broken; then nothing is saved.
    """
    kraev(regler.kan_holde_aktiviteter(bruger, bruger.organisation_id))
    aktivitet = Aktivitet(organisation_id=bruger.organisation_id)
    _saet_felter(
        aktivitet,
        type=type,
        form=form,
        dato=dato,
        starttid=starttid,
        varighed=varighed,
        sted=sted,
        medarbejder=medarbejder,
        beskrivelse=beskrivelse,
        gaester=gaester,
    )
    forloeb_liste = _valider(bruger=bruger, aktivitet=aktivitet, deltagere=deltagere)

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


def _saet_felter(aktivitet: Aktivitet, **felter) -> None:
    for navn, vaerdi in felter.items():
        setattr(aktivitet, navn, vaerdi)
    # A number field left empty in the form means no guests.
    aktivitet.gaester = aktivitet.gaester or 0


def _valider(
    *,
    bruger: Bruger,
    aktivitet: Aktivitet,
    deltagere: Iterable[Forloeb],
    nuvaerende: frozenset[int] = frozenset(),
) -> list[Forloeb]:
    """Check a session about to be saved (new or corrected) with its participants; return them
    locked, by name. Raises one ValidationError keyed by field with every broken rule.

    `nuvaerende` are the programmes already on the session: they may stay on it after their
    programme has ended (a past session is corrected), but the date must still lie inside their
    programme and their phase must offer the type.
    """
    fejl: dict[str, list[str]] = defaultdict(list)
    try:
        # The constraints are checked below with Danish messages by field (and by the database).
        aktivitet.full_clean(validate_constraints=False)
    except ValidationError as ugyldig:
        for felt, beskeder in ugyldig.message_dict.items():
            fejl[felt].extend(beskeder)

    if aktivitet.medarbejder_id is not None and (
        not kursusmedarbejdere(bruger=bruger).filter(pk=aktivitet.medarbejder_id).exists()
    ):
        fejl["medarbejder"].append(
            _("Medarbejderen skal være forløbsmedarbejder i %(org)s.")
            % {"org": bruger.organisation}
        )
    # The shared sanity check (a year ahead at most); the earliest date is each participant's
    # start, checked below with the citizen's name.
    if fremtidsfejl := datofejl(aktivitet.dato, felt=_("Dato")):
        fejl["dato"].append(fremtidsfejl)
    if aktivitet.form == Aktivitet.Form.INDIVIDUEL and aktivitet.gaester:
        fejl["gaester"].append(_("Gæster kan kun deltage i en gruppeaktivitet."))

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
    if aktivitet.form == Aktivitet.Form.INDIVIDUEL and len(valgte) > 1:
        fejl["form"].append(_("En individuel aktivitet har præcis én deltager."))
    for forloeb in forloeb_liste:
        if deltagerfejl := _deltagerfejl(
            forloeb, dato=aktivitet.dato, blev_paa=forloeb.pk in nuvaerende
        ):
            felt, besked = deltagerfejl
            fejl[felt].append(besked)
    # The type is judged for all participants at once, so one message names everyone it does
    # not fit (and only once the dates are right: outside a programme its phase means nothing).
    kan_vurderes = (
        not fejl.get("dato") and aktivitet.dato and aktivitet.type in Aktivitet.Type.values
    )
    if kan_vurderes and (
        besked := type_passer_ikke(
            type=aktivitet.type, deltagere=forloeb_liste, dato=aktivitet.dato
        )
    ):
        fejl["type"].append(besked)

    if fejl:
        raise ValidationError(dict(fejl))
    return forloeb_liste


def _deltagerfejl(
    forloeb: Forloeb, *, dato: datetime.date | None, blev_paa: bool = False
) -> tuple[str, str] | None:
    """Why this programme cannot take part on `dato`, as (field, message); None when it can.

    A programme no longer active cannot be put on a session, but one that already is (`blev_paa`)
    may stay when the session is corrected. The first reason found is enough: a date outside the
    programme makes its phase meaningless.
    """
    navn = forloeb.borger.navn
    if not forloeb.er_aktiv and not blev_paa:
        return "deltagere", _("Forløbet for %(navn)s er %(status)s.") % {
            "navn": navn,
            "status": forloeb.get_status_display().lower(),
        }
    if dato is None:
        return None
    if periodefejl := _periodefejl(forloeb, dato):
        return "dato", periodefejl
    if fase_paa_dato(forloeb=forloeb, dato=dato) is None:
        return "dato", _("%(navn)s er ikke i en fase %(dato)s.") % {
            "navn": navn,
            "dato": kort_dato(dato),
        }
    return None


def _periodefejl(forloeb: Forloeb, dato: datetime.date) -> str | None:
    """Why `dato` lies outside the programme's period, or None when it lies inside."""
    navn = forloeb.borger.navn
    if dato < forloeb.startdato:
        return _("Datoen ligger før forløbet for %(navn)s begynder %(start)s.") % {
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
    kraev(regler.kan_holde_aktiviteter(bruger, aktivitet.organisation_id))
    if status not in Deltagelse.Status.values:
        raise ValidationError({"status": _("Vælg deltog, afbud eller udeblev.")})
    aktivitet = _laas(aktivitet)
    _kraev_ikke_aflyst(aktivitet)
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
    # A tap is a registration, also one that confirms what the row already says.
    _fremmoede_registreret(aktivitet, bruger)
    if (raekke.status, raekke.note) == (status, note):
        return raekke
    raekke.status = status
    raekke.note = note
    raekke.registreret_af = bruger
    raekke.save(update_fields=["status", "note", "registreret", "registreret_af"])
    raekke.rettet = True
    return raekke


@transaction.atomic
def alle_deltog(*, bruger: Bruger, aktivitet: Aktivitet) -> int:
    """ "Alle deltog": every participant whose programme is active is marked present in one go,
    and the session's attendance counts as registered. Returns how many rows changed.

    Exceptions are then one tap each (`deltagelse_registrer`). A programme no longer active keeps
    its row as it is, as a single tap would.
    """
    kraev(regler.kan_holde_aktiviteter(bruger, aktivitet.organisation_id))
    aktivitet = _laas(aktivitet)
    _kraev_ikke_aflyst(aktivitet)
    raekker = (
        Deltagelse.objects.select_for_update(of=("self",))
        # The session too: the change history names each row by it (Deltagelse.__str__).
        .select_related("aktivitet", "forloeb__borger", "registreret_af")
        .filter(aktivitet=aktivitet)
        .exclude(status=Deltagelse.Status.DELTOG)
    )
    rettet = 0
    # One by one rather than .update(), so the change history records each correction.
    for raekke in raekker:
        if raekke.forloeb.er_aktiv:
            raekke.status = Deltagelse.Status.DELTOG
            raekke.registreret_af = bruger
            raekke.save(update_fields=["status", "registreret", "registreret_af"])
            rettet += 1
    _fremmoede_registreret(aktivitet, bruger)
    return rettet


# The fields a correction may change, in the order the history lists them.
RETTELIGE_FELTER = (
    "dato",
    "starttid",
    "varighed",
    "form",
    "type",
    "sted",
    "medarbejder",
    "gaester",
    "beskrivelse",
)


@transaction.atomic
def aktivitet_ret(
    *,
    bruger: Bruger,
    aktivitet: Aktivitet,
    begrundelse: str,
    type: str,
    form: str,
    dato: datetime.date,
    starttid: datetime.time,
    varighed: int,
    sted: str,
    medarbejder: Bruger,
    deltagere: Iterable[Forloeb],
    beskrivelse: str = "",
    gaester: int = 0,
) -> Aktivitetsrettelse:
    """Correct a session under the rules of creating one, with a reason kept in its history.

    Participants taken off lose their attendance row; new ones get one (deltog). When the date or
    the time changes for a session not yet over, the participants' course staff are told.
    Raises ValidationError (keyed by field) when a rule is broken or nothing changed.
    """
    kraev(regler.kan_holde_aktiviteter(bruger, aktivitet.organisation_id))
    aktivitet = _laas(aktivitet)
    _kraev_ikke_aflyst(aktivitet)
    foer_raa = {navn: _raa(aktivitet, navn) for navn in RETTELIGE_FELTER}
    foer = {navn: _vist(aktivitet, navn) for navn in RETTELIGE_FELTER}
    foer_tid = (aktivitet.dato, aktivitet.starttid)
    foer_medarbejder = aktivitet.medarbejder
    raekker = {
        raekke.forloeb_id: raekke
        for raekke in Deltagelse.objects.select_for_update(of=("self",))
        .select_related("aktivitet", "forloeb__borger", "registreret_af")
        .filter(aktivitet=aktivitet)
    }

    _saet_felter(
        aktivitet,
        type=type,
        form=form,
        dato=dato,
        starttid=starttid,
        varighed=varighed,
        sted=sted,
        medarbejder=medarbejder,
        beskrivelse=beskrivelse,
        gaester=gaester,
    )
    begrundelse = begrundelse.strip()
    fejl: dict[str, list[str]] = {}
    forloeb_liste: list[Forloeb] = []
    try:
        forloeb_liste = _valider(
            bruger=bruger, aktivitet=aktivitet, deltagere=deltagere, nuvaerende=frozenset(raekker)
        )
    except ValidationError as ugyldig:
        fejl = ugyldig.message_dict
    if not begrundelse:
        fejl.setdefault("begrundelse", []).append(_("Skriv, hvorfor aktiviteten rettes."))
    if fejl:
        raise ValidationError(fejl)

    aendringer = [
        {
            "felt": str(Aktivitet._meta.get_field(navn).verbose_name),
            "foer": foer[navn],
            "efter": _vist(aktivitet, navn),
        }
        for navn in RETTELIGE_FELTER
        if _raa(aktivitet, navn) != foer_raa[navn]
    ]
    valgte = {forloeb.pk for forloeb in forloeb_liste}
    nye = [forloeb for forloeb in forloeb_liste if forloeb.pk not in raekker]
    fjernede = [raekke for pk, raekke in raekker.items() if pk not in valgte]
    if nye or fjernede:
        aendringer.append(
            {
                "felt": _("deltagere"),
                "foer": _antal_deltagere(len(raekker)),
                "efter": _antal_deltagere(len(valgte)),
            }
        )
    if not aendringer:
        raise ValidationError(_("Du har ikke ændret noget."))

    aktivitet.save()
    # One by one, so the change history records each row taken off or put on.
    for raekke in fjernede:
        raekke.delete()
    for forloeb in nye:
        Deltagelse.objects.create(
            aktivitet=aktivitet,
            forloeb=forloeb,
            status=Deltagelse.Status.DELTOG,
            registreret_af=bruger,
        )
    rettelse = Aktivitetsrettelse.objects.create(
        aktivitet=aktivitet, aendringer=aendringer, begrundelse=begrundelse, oprettet_af=bruger
    )

    efter_tid = (aktivitet.dato, aktivitet.starttid)
    if efter_tid != foer_tid and max(foer_tid[0], efter_tid[0]) >= timezone.localdate():
        notificer(
            haendelse=Haendelse.AKTIVITET_FLYTTET,
            modtagere=_kursusmedarbejdere_for(
                aktivitet,
                forloeb_liste + [raekke.forloeb for raekke in fjernede],
                bruger=bruger,
                ogsaa={foer_medarbejder},
            ),
            emne=_("Aktivitet flyttet: %(type)s %(dato)s")
            % {"type": aktivitet.get_type_display(), "dato": kort_dato(foer_tid[0])},
            tekst=_(
                "%(type)s %(fra)s kl. %(fra_tid)s er flyttet til %(til)s kl. %(til_tid)s "
                "af %(bruger)s. Begrundelse: %(begrundelse)s"
            )
            % {
                "type": aktivitet.get_type_display(),
                "fra": kort_dato(foer_tid[0]),
                "fra_tid": foer_tid[1].strftime("%H:%M"),
                "til": kort_dato(efter_tid[0]),
                "til_tid": efter_tid[1].strftime("%H:%M"),
                "bruger": bruger,
                "begrundelse": begrundelse,
            },
            link=reverse("forloeb:aktivitet", args=[aktivitet.pk]),
            noegle=f"aktivitet_flyttet:{rettelse.pk}",
        )
    return rettelse


@transaction.atomic
def aktivitet_aflys(*, bruger: Bruger, aktivitet: Aktivitet, begrundelse: str) -> Aktivitet:
    """Cancel a session with a reason: it stays, marked aflyst with who, when and why, its
    attendance is no longer counted, the calendar feed marks it cancelled, and the participants'
    course staff are told.

    Refused once the attendance has been registered with anyone present: the session took place.
    (Registered with everyone absent, it may still be cancelled: nobody came.)
    """
    kraev(regler.kan_holde_aktiviteter(bruger, aktivitet.organisation_id))
    aktivitet = _laas(aktivitet)
    _kraev_ikke_aflyst(aktivitet)
    begrundelse = begrundelse.strip()
    if not begrundelse:
        raise ValidationError({"begrundelse": _("Skriv, hvorfor aktiviteten aflyses.")})
    raekker = list(
        Deltagelse.objects.filter(aktivitet=aktivitet).select_related(
            "forloeb__forloebsmedarbejder"
        )
    )
    deltog = sum(1 for raekke in raekker if raekke.status == Deltagelse.Status.DELTOG)
    if aktivitet.fremmoede_registreret is not None and deltog:
        raise ValidationError(
            ngettext(
                "Fremmødet er registreret, og %(antal)d deltog, så aktiviteten er holdt og kan "
                "ikke aflyses. Er fremmødet registreret ved en fejl, så ret det først.",
                "Fremmødet er registreret, og %(antal)d deltog, så aktiviteten er holdt og kan "
                "ikke aflyses. Er fremmødet registreret ved en fejl, så ret det først.",
                deltog,
            )
            % {"antal": deltog}
        )
    aktivitet.aflyst = timezone.now()
    aktivitet.aflyst_af = bruger
    aktivitet.aflysningsgrund = begrundelse
    aktivitet.save(update_fields=["aflyst", "aflyst_af", "aflysningsgrund"])

    notificer(
        haendelse=Haendelse.AKTIVITET_AFLYST,
        modtagere=_kursusmedarbejdere_for(
            aktivitet, [raekke.forloeb for raekke in raekker], bruger=bruger
        ),
        emne=_("Aktivitet aflyst: %(type)s %(dato)s")
        % {"type": aktivitet.get_type_display(), "dato": kort_dato(aktivitet.dato)},
        tekst=_(
            "%(type)s %(dato)s kl. %(tid)s med %(antal)s er aflyst af %(bruger)s. "
            "Begrundelse: %(begrundelse)s"
        )
        % {
            "type": aktivitet.get_type_display(),
            "dato": kort_dato(aktivitet.dato),
            "tid": aktivitet.starttid.strftime("%H:%M"),
            "antal": _antal_deltagere(len(raekker)),
            "bruger": bruger,
            "begrundelse": begrundelse,
        },
        link=reverse("forloeb:aktivitet", args=[aktivitet.pk]),
        noegle=f"aktivitet_aflyst:{aktivitet.pk}",
    )
    return aktivitet


# --- Helpers -----------------------------------------------------------------------------------


def _laas(aktivitet: Aktivitet) -> Aktivitet:
    """The session's row, locked: a correction, a cancellation, "Alle deltog" and a tap on the
    same session are applied one after the other, each seeing what the one before it left."""
    return (
        Aktivitet.objects.select_for_update(of=("self",))
        .select_related("medarbejder")
        .get(pk=aktivitet.pk)
    )


def _kraev_ikke_aflyst(aktivitet: Aktivitet) -> None:
    if aktivitet.er_aflyst:
        raise ValidationError(
            _("Aktiviteten blev aflyst %(dato)s, så den kan ikke ændres.")
            % {"dato": kort_dato(timezone.localdate(aktivitet.aflyst))}
        )


def _fremmoede_registreret(aktivitet: Aktivitet, bruger: Bruger) -> None:
    """Stamp the session's attendance as registered, by whom and when, the first time only."""
    if aktivitet.fremmoede_registreret is None:
        aktivitet.fremmoede_registreret = timezone.now()
        aktivitet.fremmoede_registreret_af = bruger
        # Bookkeeping beside the attendance rows, whose own changes are in the change history.
        Aktivitet.objects.filter(pk=aktivitet.pk).update(
            fremmoede_registreret=aktivitet.fremmoede_registreret,
            fremmoede_registreret_af=bruger,
        )
        # The session has been held and registered: what its page asked for is done.
        marker_haandteret(link=reverse("forloeb:aktivitet", args=[aktivitet.pk]))


def _kursusmedarbejdere_for(
    aktivitet: Aktivitet, forloeb_liste: Iterable[Forloeb], *, bruger: Bruger, ogsaa=()
) -> set[Bruger]:
    """Who is told of a change to a session: its staff member and each participant's responsible
    course staff member (who will tell the citizen), not the user who made the change.

    The caseworkers are not told: a session is the provider's day-to-day planning, and their
    timeline shows the cancelled session (not counted) where it matters to them.
    """
    personer = {aktivitet.medarbejder, *ogsaa}
    personer |= {f.forloebsmedarbejder for f in forloeb_liste if f.forloebsmedarbejder_id}
    return {person for person in personer if person.pk != bruger.pk}


def _antal_deltagere(antal: int) -> str:
    return ngettext("%(antal)d deltager", "%(antal)d deltagere", antal) % {"antal": antal}


def _vist(aktivitet: Aktivitet, navn: str) -> str:
    """A correctable field's value as the history shows it (the description only as changed)."""
    vaerdi = getattr(aktivitet, navn)
    if navn == "dato":
        return kort_dato(vaerdi)
    if navn == "starttid":
        return vaerdi.strftime("%H:%M")
    if navn == "varighed":
        return ngettext("%(antal)d minut", "%(antal)d minutter", vaerdi) % {"antal": vaerdi}
    if navn in ("form", "type"):
        return str(getattr(aktivitet, f"get_{navn}_display")())
    if navn == "medarbejder":
        return str(vaerdi)
    if navn == "beskrivelse":
        # The free text may name someone, so the history keeps only that it changed.
        return ""
    return str(vaerdi)


def _raa(aktivitet: Aktivitet, navn: str):
    """A correctable field's value for comparing (the staff member by id)."""
    return aktivitet.medarbejder_id if navn == "medarbejder" else getattr(aktivitet, navn)
