"""Corrections of a session: correcting it with a reason kept in its history, and cancelling it;
the participants' course staff are told."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import notificer
from mikrolaan.tekst import kort_dato

from ... import regler
from ...models import Aktivitet, Aktivitetsrettelse, Deltagelse, Forloeb
from .faelles import _kraev_ikke_aflyst, _laas
from .oprettelse import _saet_felter, _valider

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
