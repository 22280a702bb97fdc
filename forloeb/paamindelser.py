"""Daily reminders: a phase's planned end is near or passed, and follow-ups are due.

One run (`send_paamindelser`, started by beat at 07:00 through `forloeb.tasks`) costs a fixed
number of queries however many reminders fall due: it reads the phases, the course staff and the
follow-ups, and hands every reminder to `notificer_mange`, which looks up the keys already sent in
one query and inserts the rest in one. Every reminder carries an idempotency key, so a run repeated
the same day, the next day or by two workers at once creates nothing twice:

- `paamindelse:fase:<fase id>:<planlagt slut>` — the end is within PAAMINDELSE_DAGE days;
- `paamindelse:fase-overskredet:<fase id>:<planlagt slut>` — the end has passed;
- `paamindelse:opfoelgning:<opfoelgning id>` — a follow-up is due and not registered.

The planned end is part of the phase keys, so an extended phase is reminded (and escalated) again
for its new end. A day the job does not run loses nothing: the next run finds the same rows. A
follow-up already reminded to its caseworker is not even read (`forfaldne_opfoelgninger`).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import CharField, Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.masse import Besked, notificer_mange
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from mikrolaan.notifikationer.services import koersel
from mikrolaan.tekst import kort_dato

from .models import Fase, Forloeb, Opfoelgning

OPGAVE = "forloeb.paamindelser"
OPFOELGNING_NOEGLE = "paamindelse:opfoelgning:"


@dataclass
class Paamindelser:
    """What one run created: notification rows (one per recipient), by kind."""

    fase_slutter: int = 0
    fase_overskredet: int = 0
    opfoelgning: int = 0

    @property
    def i_alt(self) -> int:
        return self.fase_slutter + self.fase_overskredet + self.opfoelgning


@dataclass
class _Paamindelse:
    noegle: str
    modtagere: list[Bruger]
    emne: str
    tekst: str
    link: str
    art: str  # the Paamindelser field it counts towards


def _borgerlink(borger_id: int) -> str:
    return reverse("borgere:detalje", args=[borger_id])


def _fase_paamindelse(fase: Fase, forloebsfolk: list[Bruger], idag: date) -> _Paamindelse:
    forloeb = fase.forloeb
    navn, slut = forloeb.borger.navn, kort_dato(fase.planlagt_slut)
    opkvalificering = fase.type == Fase.Type.OPKVALIFICERING
    # The programme's own course staff member when it has one (services.rettelser.omfordel_forloeb
    # hands it on); otherwise everyone of the provider's course staff, so the reminder reaches
    # someone.
    ansvarlig = forloeb.forloebsmedarbejder
    if ansvarlig is not None and ansvarlig.is_active:
        forloebsfolk = [ansvarlig]
    modtagere = [*forloebsfolk, forloeb.henvisning.sagsbehandler]
    if fase.planlagt_slut < idag:
        if opkvalificering:
            tekst = _(
                "Det opkvalificerende forløb for %(navn)s skulle efter planen være slut "
                "%(dato)s, men overgangen til hovedforløbet er ikke registreret. Vurder "
                "overgangen, forlæng fasen med en begrundelse, eller udskriv borgeren."
            )
        else:
            tekst = _(
                "Hovedforløbet for %(navn)s skulle efter planen være slut %(dato)s, men "
                "borgeren er ikke udskrevet. Udskriv borgeren, eller forlæng fasen med en "
                "begrundelse."
            )
        return _Paamindelse(
            noegle=f"paamindelse:fase-overskredet:{fase.pk}:{fase.planlagt_slut.isoformat()}",
            modtagere=modtagere,
            emne=_("Fasen er overskredet: %(navn)s") % {"navn": navn},
            tekst=tekst % {"navn": navn, "dato": slut},
            link=_borgerlink(forloeb.borger_id),
            art="fase_overskredet",
        )
    if opkvalificering:
        tekst = _(
            "Det opkvalificerende forløb for %(navn)s slutter efter planen %(dato)s. Vurder "
            "overgangen til hovedforløbet, eller forlæng fasen med en begrundelse."
        )
    else:
        tekst = _(
            "Hovedforløbet for %(navn)s slutter efter planen %(dato)s. Planlæg udskrivningen, "
            "eller forlæng fasen med en begrundelse."
        )
    return _Paamindelse(
        noegle=f"paamindelse:fase:{fase.pk}:{fase.planlagt_slut.isoformat()}",
        modtagere=modtagere,
        emne=_("Fasen slutter snart: %(navn)s") % {"navn": navn},
        tekst=tekst % {"navn": navn, "dato": slut},
        link=_borgerlink(forloeb.borger_id),
        art="fase_slutter",
    )


def _opfoelgning_paamindelse(opfoelgning: Opfoelgning) -> _Paamindelse:
    forloeb = opfoelgning.forloeb
    navn = forloeb.borger.navn
    return _Paamindelse(
        noegle=f"{OPFOELGNING_NOEGLE}{opfoelgning.pk}",
        modtagere=[forloeb.henvisning.sagsbehandler],
        emne=_("Opfølgning forfalden: %(navn)s") % {"navn": navn},
        tekst=_(
            "Opfølgningen %(maaneder)s måneder efter udskrivningen af %(navn)s forfaldt "
            "%(dato)s. Registrér, om borgeren er selvforsørgende."
        )
        % {
            "maaneder": opfoelgning.maaneder,
            "navn": navn,
            "dato": kort_dato(opfoelgning.forfalder),
        },
        link=_borgerlink(forloeb.borger_id),
        art="opfoelgning",
    )


def faser_der_slutter(senest: date) -> QuerySet[Fase]:
    """Current phases of active programmes whose planned end is on or before `senest`.

    "Current" as in `ForloebQuerySet.med_noegletal`: the phase whose type is the programme's
    status (the two enums share their values), so the overview's overdue flag, these reminders
    and the to-do inbox (oversigt.indbakke, which scopes it) agree on which phase is meant.
    """
    return Fase.objects.filter(
        forloeb__status__in=Forloeb.AKTIVE,
        type=F("forloeb__status"),
        planlagt_slut__lte=senest,
    )


def _aktuelle_faser(senest: date) -> list[Fase]:
    return list(
        faser_der_slutter(senest)
        .select_related(
            "forloeb__borger",
            "forloeb__henvisning__sagsbehandler",
            "forloeb__pladsaftale",
            "forloeb__forloebsmedarbejder",
        )
        .order_by("planlagt_slut", "pk")
    )


def forfaldne_opfoelgninger(idag: date) -> QuerySet[Opfoelgning]:
    """Follow-ups due on or before `idag`, not registered, and not yet reminded to the case's
    caseworker; with what the texts need.

    Found through the partial index on open follow-ups (`opfoelgning_aaben_idx`, whose condition
    `registreret IS NULL` this filter repeats). A follow-up nobody registers stays open for good,
    so at national scale most open ones were reminded long ago (24,000 of them): they are left
    out in SQL, one probe each into the notifications' unique (key, recipient) index, instead of
    being read, given texts and looked up again every morning (issue 13: 7 s of a run).
    """
    paamindet = Notifikation.objects.filter(
        noegle=Concat(Value(OPFOELGNING_NOEGLE), Cast(OuterRef("pk"), CharField())),
        modtager_id=OuterRef("forloeb__henvisning__sagsbehandler_id"),
    ).exclude(noegle="")  # the unique index's own condition, so the probe may use it
    return (
        Opfoelgning.objects.filter(forfalder__lte=idag, registreret__isnull=True)
        .filter(~Exists(paamindet))
        .select_related("forloeb__borger", "forloeb__henvisning__sagsbehandler")
        .order_by("forfalder", "pk")
    )


def _forloebsfolk(organisation_ids: set[int]) -> dict[int, list[Bruger]]:
    """Course staff of each providing organisation, in one query for all of them."""
    pr_organisation: dict[int, list[Bruger]] = defaultdict(list)
    if organisation_ids:
        for bruger in Bruger.objects.med_rolle(Rolle.FORLOEBSMEDARBEJDER).filter(
            organisation_id__in=organisation_ids
        ):
            pr_organisation[bruger.organisation_id].append(bruger)
    return pr_organisation


def send_paamindelser(*, idag: date | None = None) -> Paamindelser:
    """Create today's reminders (once each, whenever and however often this runs).

    `idag` defaults to today's date in Denmark (TIME_ZONE), not UTC: at 00:30 Danish time it is
    already the next day. Recorded as a `Koersel` whose `antal` is the notifications created.
    """
    resultat = Paamindelser()
    with koersel(OPGAVE) as k, translation.override(settings.LANGUAGE_CODE):
        idag = idag or timezone.localdate()
        faser = _aktuelle_faser(idag + timedelta(days=settings.PAAMINDELSE_DAGE))
        folk = _forloebsfolk({f.forloeb.pladsaftale.leverandoer_id for f in faser})
        paamindelser = [
            _fase_paamindelse(f, folk[f.forloeb.pladsaftale.leverandoer_id], idag) for f in faser
        ]
        paamindelser += [_opfoelgning_paamindelse(o) for o in forfaldne_opfoelgninger(idag)]

        # One call for the whole run: the keys already sent are found in one query, the new
        # rows inserted in one, whatever the number of reminders (issue 13).
        art = {p.noegle: p.art for p in paamindelser}
        oprettede = notificer_mange(
            beskeder=[
                Besked(
                    haendelse=Haendelse.PAAMINDELSE,
                    modtagere=p.modtagere,
                    emne=p.emne,
                    tekst=p.tekst,
                    link=p.link,
                    noegle=p.noegle,
                )
                for p in paamindelser
            ]
        )
        for n in oprettede:
            setattr(resultat, art[n.noegle], getattr(resultat, art[n.noegle]) + 1)
        k.antal = resultat.i_alt
    return resultat
