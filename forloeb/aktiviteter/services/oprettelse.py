"""Creating a session with its participants, and the rules every saved session keeps (checked
again when one is corrected, by `rettelser.aktivitet_ret`)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from mikrolaan.datoer import datofejl
from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger
from mikrolaan.tekst import kort_dato

from ... import regler
from ...models import Aktivitet, Deltagelse, Fase, Forloeb
from ..selectors import fase_paa_dato, kursusmedarbejdere, type_passer_ikke


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
