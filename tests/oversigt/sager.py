"""Builders for the overview tests: admitted programmes, sessions with attendance, discharges.

Admission goes through the real services (tests/intake.py). Discharges and follow-ups belong to a
service of the lifecycle work, so they are written directly with the ORM here, with the
programme's status set to match.
"""

import datetime

from borgere.models import Forsoergelsesgrundlag
from forloeb import services as forloeb_services
from forloeb.models import Aktivitet, Deltagelse, Fase, Forloeb, Opfoelgning, Udskrivning
from tests.intake import henvis, lav_borger, visiter
from visitation import services as visitation_services


def lav_forloeb(pilot, aftale, fornavn="Anna", efternavn="Jensen", *, borger=None, henvist_af=None):
    """A citizen referred (by `henvist_af`, default the caseworker), visited and admitted."""
    borger = borger or lav_borger(pilot, fornavn, efternavn)
    henvisning = henvis(pilot, aftale, borger, bruger=henvist_af or pilot.sagsbehandler)
    visitation = visiter(pilot, henvisning)
    forloeb = forloeb_services.visitation_underskriv(
        bruger=pilot.sagsbehandler, visitation=visitation
    )
    assert forloeb is not None
    return forloeb


def saet_fase_slut(forloeb: Forloeb, slut: datetime.date) -> None:
    """Move the current phase so it ends on `slut` (its start 180 days before)."""
    Fase.objects.filter(forloeb=forloeb, type=forloeb.status).update(
        planlagt_start=slut - datetime.timedelta(days=180), planlagt_slut=slut
    )


def registrer_fremmoede(pilot, forloeb, *statusser, medarbejder=None, dato=None) -> None:
    """One individual session per status ("deltog", "afbud", "udeblev") for the programme."""
    for nr, status in enumerate(statusser):
        aktivitet = Aktivitet.objects.create(
            type=Aktivitet.Type.PERSONLIG_VEJLEDNING,
            form=Aktivitet.Form.INDIVIDUEL,
            dato=dato or datetime.date(2026, 3, 1) + datetime.timedelta(days=nr),
            starttid=datetime.time(10, 0),
            varighed=60,
            sted="Jobhuset",
            medarbejder=medarbejder or pilot.forloebsmedarbejder,
            organisation=pilot.naestved,
        )
        Deltagelse.objects.create(
            aktivitet=aktivitet,
            forloeb=forloeb,
            status=status,
            registreret_af=medarbejder or pilot.forloebsmedarbejder,
        )


def udskriv(pilot, forloeb, dato, aarsag=Udskrivning.Aarsag.JOB, note="") -> Udskrivning:
    """Discharge directly (the lifecycle service may not exist yet) and end the programme."""
    udskrivning = Udskrivning.objects.create(
        forloeb=forloeb,
        dato=dato,
        aarsag=aarsag,
        cvr="12345678" if aarsag == Udskrivning.Aarsag.EGEN_VIRKSOMHED else "",
        forsoergelse_efter=Forsoergelsesgrundlag.objects.get(navn="Kontanthjælp"),
        note=note,
        oprettet_af=pilot.forloebsmedarbejder,
    )
    status = (
        Forloeb.Status.AFSLUTTET if aarsag in Udskrivning.GENNEMFOERT else Forloeb.Status.AFBRUDT
    )
    Forloeb.objects.filter(pk=forloeb.pk).update(status=status)
    forloeb.status = status
    # The referral gives up its place, as the discharge service does.
    visitation_services.frigiv_plads(henvisning=forloeb.henvisning)
    return udskrivning


def opfoelgning(forloeb, maaneder, forfalder, **felter) -> Opfoelgning:
    return Opfoelgning.objects.create(
        forloeb=forloeb, maaneder=maaneder, forfalder=forfalder, **felter
    )
