"""The daily reminders: a phase's end approaching or passed, and follow-ups due — each sent once."""

import datetime
import importlib
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from forloeb import paamindelser, tasks
from forloeb.models import Fase, Faseforlaengelse, Forloeb, Opfoelgning
from mikrolaan.celery import app
from mikrolaan.konti.models import Rolle
from mikrolaan.notifikationer.models import Haendelse, Koersel, Notifikation
from tests.factories import BrugerFactory
from tests.intake import lav_borger, lav_pladsaftale, optag
from tests.test_settings import DEVELOPMENT_SECRETS, run_python, start_up_error

KBH = ZoneInfo("Europe/Copenhagen")
START = datetime.date(2026, 1, 15)
# optag() plans the qualifying phase to end six months after START, the main phase six later.
SKIFTE = datetime.date(2026, 7, 15)
SLUT = datetime.date(2027, 1, 15)
DAG = datetime.timedelta(days=1)

migration_0004 = importlib.import_module("forloeb.migrations.0004_paamindelser")


def paa(dato: datetime.date, klokken: int = 7):
    """Travel to `dato` at `klokken` Danish time (the beat schedule's 07:00 by default)."""
    return time_machine.travel(
        datetime.datetime.combine(dato, datetime.time(klokken), KBH), tick=False
    )


def koer(dato: datetime.date) -> paamindelser.Paamindelser:
    with paa(dato):
        return paamindelser.send_paamindelser()


def paamindelser_til(bruger) -> list[Notifikation]:
    return list(
        Notifikation.objects.filter(modtager=bruger, haendelse=Haendelse.PAAMINDELSE).order_by("pk")
    )


def alle_paamindelser() -> list[Notifikation]:
    return list(Notifikation.objects.filter(haendelse=Haendelse.PAAMINDELSE))


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot, antal_pladser=10)


@pytest.fixture
def indskriv(pilot, aftale):
    """Admit a citizen on START (optag admits "today"), with both phases planned from then."""

    def indskriv(fornavn="Anna", efternavn="Jensen") -> Forloeb:
        with paa(START, klokken=10):
            return optag(pilot, aftale, lav_borger(pilot, fornavn, efternavn))

    return indskriv


@pytest.fixture
def forloeb(indskriv) -> Forloeb:
    return indskriv()


def til_hovedforloeb(forloeb: Forloeb) -> None:
    # The lifecycle service is someone else's; the state it leaves behind is what matters here.
    forloeb.faser.filter(type=Fase.Type.OPKVALIFICERING).update(faktisk_slut=SKIFTE)
    forloeb.faser.filter(type=Fase.Type.HOVEDFORLOEB).update(faktisk_start=SKIFTE)
    Forloeb.objects.filter(pk=forloeb.pk).update(status=Forloeb.Status.HOVEDFORLOEB)


def forlaeng(fase: Fase, ny_slut: datetime.date, bruger) -> None:
    Faseforlaengelse.objects.create(
        fase=fase,
        tidligere_slut=fase.planlagt_slut,
        ny_slut=ny_slut,
        begrundelse="Forretningsplanen mangler markedsanalyse.",
        oprettet_af=bruger,
    )
    Fase.objects.filter(pk=fase.pk).update(planlagt_slut=ny_slut)


# --- The schedule --------------------------------------------------------------------------


def test_the_reminders_are_scheduled_daily_at_seven_danish_time_after_migrate(db):
    opgave = PeriodicTask.objects.get(name="Påmindelser om faser og opfølgninger")

    assert opgave.task == "forloeb.paamindelser"
    assert opgave.enabled
    assert opgave.interval is None
    assert (opgave.args, opgave.kwargs) == ("[]", "{}")
    kl = opgave.crontab
    assert (kl.minute, kl.hour, kl.day_of_month, kl.month_of_year, kl.day_of_week) == (
        "0",
        "7",
        "*",
        "*",
        "*",
    )
    assert str(kl.timezone) == "Europe/Copenhagen"


def test_the_scheduled_task_name_is_a_registered_celery_task():
    app.loader.import_default_modules()

    assert "forloeb.paamindelser" in app.tasks
    assert tasks.send_paamindelser.name == "forloeb.paamindelser"


def test_the_schedule_migration_is_idempotent_and_reversible(db):
    migration_0004.opret(apps, None)
    migration_0004.opret(apps, None)
    assert PeriodicTask.objects.filter(task="forloeb.paamindelser").count() == 1
    assert CrontabSchedule.objects.filter(hour="7", minute="0").count() == 1

    migration_0004.fjern(apps, None)
    assert not PeriodicTask.objects.filter(task="forloeb.paamindelser").exists()
    assert not CrontabSchedule.objects.filter(hour="7", minute="0").exists()

    migration_0004.opret(apps, None)
    assert PeriodicTask.objects.get(task="forloeb.paamindelser").crontab.hour == "7"


def test_the_task_runs_the_reminders_and_returns_how_many_it_created(pilot, forloeb):
    with paa(SKIFTE - 14 * DAG):
        assert tasks.send_paamindelser.apply().get() == 2


# --- Phase end approaching -----------------------------------------------------------------


def test_nothing_is_sent_fifteen_days_before_the_planned_end(pilot, forloeb):
    resultat = koer(SKIFTE - 15 * DAG)

    assert resultat.i_alt == 0
    assert alle_paamindelser() == []


def test_fourteen_days_before_the_end_course_staff_and_caseworker_are_reminded_once(pilot, forloeb):
    resultat = koer(SKIFTE - 14 * DAG)

    assert resultat == paamindelser.Paamindelser(fase_slutter=2)
    for bruger in (pilot.forloebsmedarbejder, pilot.sagsbehandler):
        (n,) = paamindelser_til(bruger)
        assert n.emne == "Fasen slutter snart: Anna Jensen"
        assert "Anna Jensen" in n.tekst
        assert "15.07.2026" in n.tekst
        assert "opkvalificerende forløb" in n.tekst
        assert n.link == reverse("borgere:detalje", args=[forloeb.borger_id])
        assert (
            n.noegle
            == f"paamindelse:fase:{forloeb.faser.get(type='opkvalificering').pk}:2026-07-15"
        )
    # The Erhvervschef and a caseworker outside the case hear nothing.
    assert {n.modtager for n in alle_paamindelser()} == {
        pilot.forloebsmedarbejder,
        pilot.sagsbehandler,
    }

    assert koer(SKIFTE - 14 * DAG).i_alt == 0
    assert koer(SKIFTE - 13 * DAG).i_alt == 0
    assert koer(SKIFTE).i_alt == 0
    assert len(alle_paamindelser()) == 2


def test_every_course_staff_member_of_the_provider_is_reminded(pilot, forloeb):
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    # Course staff of another provider and a deactivated colleague are not.
    BrugerFactory(organisation=pilot.ishoej, rolle=Rolle.FORLOEBSMEDARBEJDER)
    BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER, is_active=False)

    koer(SKIFTE - 10 * DAG)

    assert {n.modtager for n in alle_paamindelser()} == {
        pilot.forloebsmedarbejder,
        kollega,
        pilot.sagsbehandler,
    }


def test_the_day_is_the_danish_date_not_the_utc_date(pilot, forloeb):
    # 00:30 in Copenhagen on 1 July is still 30 June in UTC (15 days before the end).
    with paa(SKIFTE - 14 * DAG, klokken=0) as rejse:
        rejse.shift(datetime.timedelta(minutes=30))
        resultat = paamindelser.send_paamindelser()

    assert resultat.fase_slutter == 2


def test_only_the_current_phase_counts(pilot, forloeb):
    # Fourteen days before the main phase's planned end the programme is still qualifying: only
    # the current phase counts (the qualifying phase is long overdue and escalated instead).
    resultat = koer(SLUT - 14 * DAG)

    assert resultat == paamindelser.Paamindelser(fase_overskredet=2)


def test_in_the_main_phase_the_main_phase_end_is_reminded(pilot, forloeb):
    til_hovedforloeb(forloeb)

    assert koer(SKIFTE + DAG).i_alt == 0
    resultat = koer(SLUT - 14 * DAG)

    assert resultat == paamindelser.Paamindelser(fase_slutter=2)
    (n,) = paamindelser_til(pilot.sagsbehandler)
    assert "Hovedforløbet for Anna Jensen slutter efter planen 15.01.2027" in n.tekst


def test_an_extended_phase_is_reminded_again_for_its_new_end(pilot, forloeb):
    koer(SKIFTE - 14 * DAG)
    fase = forloeb.faser.get(type=Fase.Type.OPKVALIFICERING)
    ny_slut = datetime.date(2026, 9, 15)
    with paa(SKIFTE - 5 * DAG):
        forlaeng(fase, ny_slut, pilot.forloebsmedarbejder)

    # The old end passes without an escalation: it is no longer the plan.
    assert koer(SKIFTE + DAG).i_alt == 0
    assert koer(ny_slut - 15 * DAG).i_alt == 0
    resultat = koer(ny_slut - 14 * DAG)

    assert resultat == paamindelser.Paamindelser(fase_slutter=2)
    gammel, ny = paamindelser_til(pilot.sagsbehandler)
    assert "15.07.2026" in gammel.tekst
    assert "15.09.2026" in ny.tekst
    assert ny.noegle == f"paamindelse:fase:{fase.pk}:2026-09-15"
    assert koer(ny_slut - 13 * DAG).i_alt == 0


# --- Overdue phase -------------------------------------------------------------------------


def test_an_overdue_phase_is_escalated_once_to_course_staff_and_caseworker(pilot, forloeb):
    koer(SKIFTE - 14 * DAG)
    # On the planned end date itself the phase is not overdue yet.
    assert koer(SKIFTE).i_alt == 0

    resultat = koer(SKIFTE + DAG)

    assert resultat == paamindelser.Paamindelser(fase_overskredet=2)
    for bruger in (pilot.forloebsmedarbejder, pilot.sagsbehandler):
        _paamindelse, eskalering = paamindelser_til(bruger)
        assert eskalering.emne == "Fasen er overskredet: Anna Jensen"
        assert "skulle efter planen være slut 15.07.2026" in eskalering.tekst
        assert eskalering.noegle.startswith("paamindelse:fase-overskredet:")
    assert koer(SKIFTE + DAG).i_alt == 0
    assert koer(SKIFTE + 30 * DAG).i_alt == 0
    assert len(alle_paamindelser()) == 4


def test_an_overdue_phase_extended_and_overdue_again_is_escalated_again(pilot, forloeb):
    koer(SKIFTE + DAG)
    fase = forloeb.faser.get(type=Fase.Type.OPKVALIFICERING)
    with paa(SKIFTE + 2 * DAG):
        forlaeng(fase, SKIFTE + 10 * DAG, pilot.forloebsmedarbejder)

    assert koer(SKIFTE + 2 * DAG) == paamindelser.Paamindelser(fase_slutter=2)
    assert koer(SKIFTE + 11 * DAG) == paamindelser.Paamindelser(fase_overskredet=2)
    assert koer(SKIFTE + 12 * DAG).i_alt == 0


@pytest.mark.parametrize("status", [Forloeb.Status.AFSLUTTET, Forloeb.Status.AFBRUDT])
def test_a_discharged_or_broken_off_programme_gets_no_phase_reminders(pilot, forloeb, status):
    if status == Forloeb.Status.AFSLUTTET:
        til_hovedforloeb(forloeb)
    Forloeb.objects.filter(pk=forloeb.pk).update(status=status)

    for dato in (SKIFTE - 14 * DAG, SKIFTE + DAG, SLUT - 14 * DAG, SLUT + DAG):
        assert koer(dato).i_alt == 0
    assert alle_paamindelser() == []


# --- Follow-ups ----------------------------------------------------------------------------


def test_a_due_follow_up_reminds_the_referring_caseworker_once(pilot, forloeb):
    Forloeb.objects.filter(pk=forloeb.pk).update(status=Forloeb.Status.AFBRUDT)
    forfalder = datetime.date(2026, 6, 1)
    opfoelgning = Opfoelgning.objects.create(forloeb=forloeb, maaneder=3, forfalder=forfalder)

    assert koer(forfalder - DAG).i_alt == 0
    resultat = koer(forfalder)

    assert resultat == paamindelser.Paamindelser(opfoelgning=1)
    (n,) = alle_paamindelser()
    assert n.modtager == pilot.sagsbehandler
    assert n.emne == "Opfølgning forfalden: Anna Jensen"
    assert "3 måneder efter udskrivningen af Anna Jensen forfaldt 01.06.2026" in n.tekst
    assert n.noegle == f"paamindelse:opfoelgning:{opfoelgning.pk}"
    assert n.link == reverse("borgere:detalje", args=[forloeb.borger_id])
    assert koer(forfalder).i_alt == 0
    assert koer(forfalder + 7 * DAG).i_alt == 0


def test_a_registered_follow_up_is_not_reminded(pilot, forloeb):
    Forloeb.objects.filter(pk=forloeb.pk).update(status=Forloeb.Status.AFBRUDT)
    with paa(datetime.date(2026, 5, 30)):
        Opfoelgning.objects.create(
            forloeb=forloeb,
            maaneder=3,
            forfalder=datetime.date(2026, 6, 1),
            selvforsoergende=True,
            registreret=datetime.datetime(2026, 5, 30, 12, tzinfo=KBH),
            registreret_af=pilot.sagsbehandler,
        )

    assert koer(datetime.date(2026, 6, 2)).i_alt == 0


# --- The run -------------------------------------------------------------------------------


def test_each_run_is_logged_with_the_number_of_notifications_created(pilot, forloeb):
    koer(SKIFTE - 14 * DAG)
    koer(SKIFTE - 13 * DAG)

    foerste, anden = Koersel.objects.filter(opgave="forloeb.paamindelser").order_by("pk")
    assert (foerste.antal, foerste.fejl) == (2, "")
    assert (anden.antal, anden.fejl) == (0, "")
    assert foerste.afsluttet is not None and anden.afsluttet is not None


def test_the_reminder_texts_contain_no_cpr_number(pilot, forloeb):
    cpr = forloeb.borger.cpr
    Opfoelgning.objects.create(forloeb=forloeb, maaneder=3, forfalder=SKIFTE - 20 * DAG)
    koer(SKIFTE - 14 * DAG)
    koer(SKIFTE + DAG)

    notifikationer = alle_paamindelser()
    assert len(notifikationer) == 5
    for n in notifikationer:
        tekst = f"{n.emne} {n.tekst} {n.link}"
        assert cpr[:6] not in tekst
        assert cpr[6:] not in tekst
        assert not re.search(r"\d{6}-?\d{4}", tekst)
        # notificer masks CPR-like numbers; a mask here would mean our text had one.
        assert "[CPR]" not in tekst


@pytest.mark.parametrize("antal", [3, 10])
def test_a_run_costs_the_same_queries_for_three_or_ten_programmes(
    pilot, indskriv, antal, django_assert_num_queries
):
    alle = [indskriv(f"Borger{i}") for i in range(antal)]
    for forloeb in alle:
        # Not a real discharge, just rows for the follow-up query to read.
        Opfoelgning.objects.create(forloeb=forloeb, maaneder=3, forfalder=SKIFTE - 20 * DAG)
    assert koer(SKIFTE - 14 * DAG).i_alt == 3 * antal

    # Every phase and follow-up is in scope and read, but everybody has had the reminder:
    # 1 INSERT Koersel, 2 SELECT current phases (+ programme, citizen, referral, caseworker,
    # agreement), 3 SELECT the providers' course staff, 4 SELECT due follow-ups (+ programme,
    # citizen, referral, caseworker), 5 SELECT keys already sent, 6 UPDATE Koersel.
    with paa(SKIFTE - 13 * DAG), django_assert_num_queries(6):
        assert paamindelser.send_paamindelser().i_alt == 0


def test_a_run_with_nothing_in_scope_is_four_queries(pilot, indskriv, django_assert_num_queries):
    for i in range(3):
        indskriv(f"Borger{i}")

    # INSERT Koersel, SELECT phases, SELECT follow-ups, UPDATE Koersel: empty lists ask nothing.
    with paa(SKIFTE - 30 * DAG), django_assert_num_queries(4):
        assert paamindelser.send_paamindelser().i_alt == 0


# --- The setting ---------------------------------------------------------------------------


def test_the_window_follows_the_paamindelse_dage_setting(pilot, forloeb, settings):
    settings.PAAMINDELSE_DAGE = 30

    assert koer(SKIFTE - 31 * DAG).i_alt == 0
    assert koer(SKIFTE - 30 * DAG).fase_slutter == 2


@pytest.mark.parametrize("vaerdi", ["0", "fjorten"])
def test_a_paamindelse_dage_that_is_not_a_positive_number_stops_start_up(tmp_path, vaerdi):
    result = run_python(
        tmp_path,
        DEVELOPMENT_SECRETS | {"PAAMINDELSE_DAGE": vaerdi},
        "-c",
        "import django; django.setup()",
    )

    assert "PAAMINDELSE_DAGE must be" in start_up_error(result)
