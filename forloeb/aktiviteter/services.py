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
from django.utils.translation import gettext as _

from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger
from mikrolaan.tekst import kort_dato

from .. import regler
from ..models import Aktivitet, Deltagelse, Fase, Forloeb
from .selectors import fase_paa_dato, kursusmedarbejdere


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
    kraev(regler.kan_holde_aktiviteter(bruger, bruger.organisation_id))
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
        if deltagerfejl := _deltagerfejl(forloeb, dato=dato, type=type):
            felt, besked = deltagerfejl
            fejl[felt].append(besked)

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


def _deltagerfejl(
    forloeb: Forloeb, *, dato: datetime.date | None, type: str
) -> tuple[str, str] | None:
    """Why this programme cannot take part on `dato` in a session of `type`, as (field, message).

    None when it can. The first reason found is enough: a date outside the programme makes its
    phase (and so the type) meaningless.
    """
    navn = forloeb.borger.navn
    if not forloeb.er_aktiv:
        return "deltagere", _("Forløbet for %(navn)s er %(status)s.") % {
            "navn": navn,
            "status": forloeb.get_status_display().lower(),
        }
    if dato is None:
        return None
    if periodefejl := _periodefejl(forloeb, dato):
        return "dato", periodefejl
    fase = fase_paa_dato(forloeb=forloeb, dato=dato)
    if fase is None:
        return "dato", _("%(navn)s er ikke i en fase %(dato)s.") % {
            "navn": navn,
            "dato": kort_dato(dato),
        }
    if type in Aktivitet.Type.values and type not in Aktivitet.TYPER_I_FASE[fase.type]:
        return "type", _("»%(type)s« tilbydes ikke i %(fase)s, som %(navn)s er i %(dato)s.") % {
            "type": Aktivitet.Type(type).label,
            "fase": fase.get_type_display().lower(),
            "navn": navn,
            "dato": kort_dato(dato),
        }
    return None


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
