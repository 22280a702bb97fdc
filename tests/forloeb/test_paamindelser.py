"""The daily reminders: a phase's end approaching or passed, and follow-ups due — each sent once."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from forloeb import paamindelser, tasks
from forloeb.models import Fase, Forloeb, Opfoelgning
from mikrolaan.celery import app
from mikrolaan.konti.models import Rolle
from mikrolaan.notifikationer.models import Haendelse, Koersel, Notifikation
from tests.byg.fabrikker import BrugerFactory
from tests.byg.proces import DEVELOPMENT_SECRETS, run_python, start_up_error
from tests.byg.sager import (
    PERIODE_2025_2027,
    SKIFTE,
    SLUT,
    START,
    forlaeng,
    lav_forloeb,
    lav_pladsaftale,
    registrer_opfoelgning,
    til_hovedforloeb,
    til_status,
    udskriv,
)
from tests.byg.tid import DAG, paa

migration_0004 = importlib.import_module("forloeb.migrations.0004_paamindelser")


def koer(dato: datetime.date) -> paamindelser.Paamindelser:
    """The daily run at the beat schedule's 07:00 on `dato`."""
    with paa(dato, klokken=7):
        return paamindelser.send_paamindelser()


def paamindelser_til(bruger) -> list[Notifikation]:
    return list(
        Notifikation.objects.filter(modtager=bruger, haendelse=Haendelse.PAAMINDELSE).order_by("pk")
    )


def alle_paamindelser() -> list[Notifikation]:
    return list(Notifikation.objects.filter(haendelse=Haendelse.PAAMINDELSE))


@pytest.fixture
def aftale(pilot):
    # Room for the query-count test's twenty programmes; the tests are set around START.
    return lav_pladsaftale(pilot, antal_pladser=25, **PERIODE_2025_2027)


@pytest.fixture
def indskriv(pilot, aftale):
    """Admit a citizen on START, with both phases planned from then."""

    def indskriv(fornavn="Anna", efternavn="Jensen") -> Forloeb:
        return lav_forloeb(pilot, aftale, fornavn, efternavn, startdato=START)

    return indskriv


@pytest.fixture
def forloeb(indskriv) -> Forloeb:
    return indskriv()


def udskrevet_i_januar(pilot, forloeb: Forloeb) -> Opfoelgning:
    """Broken off on 25 January: its 3-month follow-up falls due 25 April, before SKIFTE."""
    udskriv(pilot, forloeb, START + 10 * DAG)
    return Opfoelgning.objects.get(forloeb=forloeb, maaneder=3)


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
    with paa(SKIFTE - 14 * DAG, klokken=7):
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


def test_the_programmes_own_course_staff_member_is_reminded_not_the_colleagues(pilot, forloeb):
    # The Næstved signer of the visitation runs the programme (Forloeb.forloebsmedarbejder).
    BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)

    koer(SKIFTE - 10 * DAG)

    assert {n.modtager for n in alle_paamindelser()} == {
        pilot.forloebsmedarbejder,
        pilot.sagsbehandler,
    }


def test_without_an_active_responsible_every_course_staff_member_of_the_provider_is_reminded(
    pilot, forloeb
):
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    # Course staff of another provider and a deactivated colleague are not.
    BrugerFactory(organisation=pilot.ishoej, rolle=Rolle.FORLOEBSMEDARBEJDER)
    BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER, is_active=False)
    # The responsible course staff member has left.
    pilot.forloebsmedarbejder.is_active = False
    pilot.forloebsmedarbejder.save(update_fields=["is_active"])

    koer(SKIFTE - 10 * DAG)

    assert {n.modtager for n in alle_paamindelser()} == {kollega, pilot.sagsbehandler}


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
    til_hovedforloeb(pilot, forloeb, SKIFTE)

    assert koer(SKIFTE + DAG).i_alt == 0
    resultat = koer(SLUT - 14 * DAG)

    assert resultat == paamindelser.Paamindelser(fase_slutter=2)
    (n,) = paamindelser_til(pilot.sagsbehandler)
    assert "Hovedforløbet for Anna Jensen slutter efter planen 15.01.2027" in n.tekst


def test_an_extended_phase_is_reminded_again_for_its_new_end(pilot, forloeb):
    koer(SKIFTE - 14 * DAG)
    fase = forloeb.faser.get(type=Fase.Type.OPKVALIFICERING)
    ny_slut = datetime.date(2026, 9, 15)
    forlaeng(pilot, fase, ny_slut, dato=SKIFTE - 5 * DAG)

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
    forlaeng(pilot, fase, SKIFTE + 10 * DAG, dato=SKIFTE + 2 * DAG)

    assert koer(SKIFTE + 2 * DAG) == paamindelser.Paamindelser(fase_slutter=2)
    assert koer(SKIFTE + 11 * DAG) == paamindelser.Paamindelser(fase_overskredet=2)
    assert koer(SKIFTE + 12 * DAG).i_alt == 0


@pytest.mark.parametrize("status", [Forloeb.Status.AFSLUTTET, Forloeb.Status.AFBRUDT])
def test_a_discharged_or_broken_off_programme_gets_no_phase_reminders(pilot, forloeb, status):
    til_status(pilot, forloeb, status)

    for dato in (SKIFTE - 14 * DAG, SKIFTE + DAG, SLUT - 14 * DAG, SLUT + DAG):
        resultat = koer(dato)
        assert (resultat.fase_slutter, resultat.fase_overskredet) == (0, 0)
    # Only the follow-ups after the discharge are reminded of.
    assert {n.noegle.split(":")[1] for n in alle_paamindelser()} <= {"opfoelgning"}


# --- Follow-ups ----------------------------------------------------------------------------


def test_a_due_follow_up_reminds_the_referring_caseworker_once(pilot, forloeb):
    opfoelgning = udskrevet_i_januar(pilot, forloeb)
    forfalder = opfoelgning.forfalder

    assert koer(forfalder - DAG).i_alt == 0
    resultat = koer(forfalder)

    assert resultat == paamindelser.Paamindelser(opfoelgning=1)
    (n,) = alle_paamindelser()
    assert n.modtager == pilot.sagsbehandler
    assert n.emne == "Opfølgning forfalden: Anna Jensen"
    assert "3 måneder efter udskrivningen af Anna Jensen forfaldt 25.04.2026" in n.tekst
    assert n.noegle == f"paamindelse:opfoelgning:{opfoelgning.pk}"
    assert n.link == reverse("borgere:detalje", args=[forloeb.borger_id])
    assert koer(forfalder).i_alt == 0
    assert koer(forfalder + 7 * DAG).i_alt == 0


def test_a_registered_follow_up_is_not_reminded(pilot, forloeb):
    opfoelgning = udskrevet_i_januar(pilot, forloeb)
    registrer_opfoelgning(pilot, opfoelgning, opfoelgning.forfalder - 2 * DAG)

    assert koer(opfoelgning.forfalder + DAG).i_alt == 0


# --- The run -------------------------------------------------------------------------------


def test_each_run_is_logged_with_the_number_of_notifications_created(pilot, forloeb):
    koer(SKIFTE - 14 * DAG)
    koer(SKIFTE - 13 * DAG)

    foerste, anden = Koersel.objects.filter(opgave="forloeb.paamindelser").order_by("pk")
    assert (foerste.antal, foerste.fejl) == (2, "")
    assert (anden.antal, anden.fejl) == (0, "")
    assert foerste.afsluttet is not None and anden.afsluttet is not None


def test_the_reminder_texts_contain_no_cpr_number(pilot, forloeb, indskriv):
    udskrevet = indskriv("Bo")
    udskrevet_i_januar(pilot, udskrevet)
    koer(SKIFTE - 14 * DAG)
    koer(SKIFTE + DAG)

    notifikationer = alle_paamindelser()
    # Phase ending and overdue to two people each, and Bo's follow-up to his caseworker.
    assert len(notifikationer) == 5
    for n in notifikationer:
        tekst = f"{n.emne} {n.tekst} {n.link}"
        for cpr in (forloeb.borger.cpr, udskrevet.borger.cpr):
            # The birth date part, which a masked number would show too; the last four digits
            # alone could be any number in a text ("2026").
            assert cpr[:6] not in tekst
        assert not re.search(r"\d{6}-?\d{4}", tekst)
        # notificer masks CPR-like numbers; a mask here would mean our text had one.
        assert "[CPR]" not in tekst


@pytest.mark.parametrize("antal", [3, 10])
def test_a_run_costs_the_same_queries_for_three_or_ten_programmes(
    pilot, indskriv, antal, django_assert_num_queries
):
    for i in range(antal):
        indskriv(f"Aktiv{i}")
        udskrevet_i_januar(pilot, indskriv(f"Udskrevet{i}"))
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
