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
number of notifications created, as for the reminders. A run costs a fixed number of queries
however many instalments fall overdue (issue 13): the instalments, their recipients and the
notifications are each read or written once for all of them.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forloeb.models import Forloeb
from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.masse import Besked, notificer_mange
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import koersel
from mikrolaan.tekst import kort_dato, kroner
from visitation.models import Underskrift

from .models import Afdrag, Laan

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


def modtagere(forloeb: list[Forloeb]) -> dict[int, set[Bruger]]:
    """Who is told about each programme's arrears, in at most three queries for all of them.

    The same people as `services.faelles.sagsbehandlere(f) | services.faelles.forloebsfolk(f)`
    (which a loan's other notices use one programme at a time): the jobcenter's active people on
    the case (the responsible caseworker and whoever signed the visitation) or, when none is
    active, every caseworker of the jobcenter; and the provider's course staff. The programmes
    come with their referral, its caseworker and visitation, and their place agreement loaded.
    """
    if not forloeb:
        return {}
    visitationer = {
        f.henvisning.visitation.pk: f.henvisning
        for f in forloeb
        if getattr(f.henvisning, "visitation", None) is not None
    }
    underskrivere: dict[int, set[Bruger]] = defaultdict(set)
    for u in Underskrift.objects.filter(visitation_id__in=visitationer).select_related("bruger"):
        underskrivere[u.visitation_id].add(u.bruger)

    paa_sagen: dict[int, set[Bruger]] = {}
    for f in forloeb:
        henvisning = f.henvisning
        visitation = getattr(henvisning, "visitation", None)
        personer = {henvisning.sagsbehandler}
        if visitation is not None:
            personer |= underskrivere[visitation.pk]
        paa_sagen[f.pk] = {
            p for p in personer if p.organisation_id == henvisning.jobcenter_id and p.is_active
        }
    uden_nogen = {f.henvisning.jobcenter_id for f in forloeb if not paa_sagen[f.pk]}
    alle_sagsbehandlere = _pr_organisation(Rolle.SAGSBEHANDLER, uden_nogen)
    kursusfolk = _pr_organisation(
        Rolle.FORLOEBSMEDARBEJDER, {f.pladsaftale.leverandoer_id for f in forloeb}
    )
    return {
        f.pk: (paa_sagen[f.pk] or alle_sagsbehandlere[f.henvisning.jobcenter_id])
        | kursusfolk[f.pladsaftale.leverandoer_id]
        for f in forloeb
    }


def _pr_organisation(rolle: Rolle, organisation_ids: set[int]) -> dict[int, set[Bruger]]:
    """The active users of `rolle` in each organisation: one query for all, none for no one."""
    pr_organisation: dict[int, set[Bruger]] = defaultdict(set)
    if organisation_ids:
        for b in Bruger.objects.med_rolle(rolle).filter(organisation_id__in=organisation_ids):
            pr_organisation[b.organisation_id].add(b)
    return pr_organisation


def meld_restancer(idag: datetime.date | None = None) -> int:
    """Flag and notify the instalments newly overdue on `idag` (default: today in Denmark).
    Returns the number of notifications created."""
    with koersel(OPGAVE) as k, translation.override(settings.LANGUAGE_CODE):
        idag = idag or timezone.localdate()
        # One transaction: the flags and the notifications stand or fall together (a failed run
        # leaves the instalments for the next one), and the emails are sent after commit.
        with transaction.atomic():
            afdrag = nye_restancer(idag)
            pr_forloeb = modtagere(
                list({a.laan.forloeb.pk: a.laan.forloeb for a in afdrag}.values())
            )
            oprettede = notificer_mange(
                beskeder=[_besked(a, pr_forloeb[a.laan.forloeb.pk]) for a in afdrag]
            )
            # Compare-and-swap: a row another run has flagged meanwhile keeps its time.
            Afdrag.objects.filter(
                pk__in=[a.pk for a in afdrag], restance_meldt__isnull=True
            ).update(restance_meldt=timezone.now())
        k.antal = len(oprettede)
    return len(oprettede)


def _besked(afdrag: Afdrag, modtagere: set[Bruger]) -> Besked:
    laan = afdrag.laan
    navn = laan.forloeb.borger.navn
    return Besked(
        haendelse=Haendelse.LAAN_RESTANCE,
        modtagere=sorted(modtagere, key=lambda b: b.pk),
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
