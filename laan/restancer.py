"""The daily arrears run: instalments that have become overdue are flagged, and the case's
caseworkers and course staff told — once per instalment.

Started by beat at 06:30 Danish time through `laan.tasks` (the schedule is a row made by migration
0002_restancer), before the working day and before the 07:00 reminders. An instalment is overdue
from the day after its due date, while it is not fully paid and its loan is open ("udbetalt").

Told once, twice over: `Afdrag.restance_meldt` is set in the same transaction as the
notifications, so the next run does not even read the instalment; and each notification carries
the idempotency key `laan:restance:<afdrag id>`, so two runs at the same moment (two beat
processes, a manual run) cannot both notify. An instalment paid late and then un-paid again by a
reversal is not told again: the caseworker already knows it was late. A day the job does not run
loses nothing: the next run finds every unflagged overdue instalment.

Each run is a `Koersel` ("did the arrears notices go out this morning?") whose `antal` is the
number of notifications created, as for the reminders.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mikrolaan.konti.models import Bruger
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import koersel, notificer
from mikrolaan.tekst import kort_dato, kroner

from .models import Afdrag, Laan
from .services import faelles

OPGAVE = "laan.restancer"


def nye_restancer(idag: datetime.date) -> list[Afdrag]:
    """Instalments of open loans due before `idag`, not fully paid, and not yet reported; with
    what the texts and the recipients need, in one query."""
    return list(
        Afdrag.objects.filter(
            forfald__lt=idag,
            betalt__lt=F("beloeb"),
            restance_meldt__isnull=True,
            laan__status=Laan.Status.UDBETALT,
        )
        .select_related(
            "laan__forloeb__borger",
            "laan__forloeb__pladsaftale",
            "laan__forloeb__henvisning__sagsbehandler",
            "laan__forloeb__henvisning__visitation",
        )
        .order_by("forfald", "pk")
    )


def meld_restancer(idag: datetime.date | None = None) -> int:
    """Flag and notify the instalments newly overdue on `idag` (default: today in Denmark).
    Returns the number of notifications created."""
    with koersel(OPGAVE) as k, translation.override(settings.LANGUAGE_CODE):
        idag = idag or timezone.localdate()
        oprettet = 0
        # One transaction: the flags and the notifications stand or fall together (a failed run
        # leaves the instalments for the next one), and the emails are sent after commit.
        with transaction.atomic():
            afdrag = nye_restancer(idag)
            modtagere: dict[int, set[Bruger]] = {}
            kursusfolk: dict[int, set[Bruger]] = {}
            for a in afdrag:
                forloeb = a.laan.forloeb
                if forloeb.pk not in modtagere:
                    leverandoer = forloeb.pladsaftale.leverandoer_id
                    if leverandoer not in kursusfolk:
                        kursusfolk[leverandoer] = faelles.forloebsfolk(forloeb)
                    modtagere[forloeb.pk] = (
                        faelles.sagsbehandlere(forloeb) | kursusfolk[leverandoer]
                    )
                oprettet += len(_meld(a, modtagere[forloeb.pk]))
            # Compare-and-swap: a row another run has flagged meanwhile keeps its time.
            Afdrag.objects.filter(
                pk__in=[a.pk for a in afdrag], restance_meldt__isnull=True
            ).update(restance_meldt=timezone.now())
        k.antal = oprettet
    return oprettet


def _meld(afdrag: Afdrag, modtagere: set[Bruger]) -> list:
    laan = afdrag.laan
    navn = laan.forloeb.borger.navn
    return notificer(
        haendelse=Haendelse.LAAN_RESTANCE,
        modtagere=modtagere,
        emne=_("Afdrag i restance: %(navn)s") % {"navn": navn},
        tekst=_(
            "Afdrag nr. %(nummer)s på %(beloeb)s af mikrolånet til %(navn)s forfaldt "
            "%(forfald)s og er ikke betalt; der mangler %(rest)s, så kontakt borgeren, eller "
            "registrér indbetalingen, hvis den er kommet."
        )
        % {
            "nummer": afdrag.nummer,
            "beloeb": kroner(afdrag.beloeb),
            "navn": navn,
            "forfald": kort_dato(afdrag.forfald),
            "rest": kroner(afdrag.rest),
        },
        link=reverse("laan:detalje", args=[laan.pk]),
        noegle=f"laan:restance:{afdrag.pk}",
    )
