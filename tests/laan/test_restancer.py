"""The daily arrears run: each instalment that falls overdue is flagged and its case's caseworkers
and course staff told exactly once, whatever the number of runs; each run is logged.

The loan: 10,000 kr. over 4 months, paid out on 20.07.2026; 2,500 kr. due on 20.08, 21.09,
20.10 and 20.11.2026.
"""

import datetime
import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from laan import restancer, tasks
from laan.models import Afdrag, Laan
from laan.services import livsforloeb
from mikrolaan.celery import app
from mikrolaan.konti.models import Rolle
from mikrolaan.notifikationer.models import Haendelse, Koersel, Notifikation
from tests.byg.fabrikker import BrugerFactory
from tests.byg.laan import forloeb_paa_faste_dage, indbetal, tilbagefoer, udbetalt_laan
from tests.byg.sager import PERIODE_2025_2027, lav_pladsaftale
from tests.byg.tid import DAG, paa

migration_0002 = importlib.import_module("laan.migrations.0002_restancer")

UDBETALT = datetime.date(2026, 7, 20)
FORFALD = [
    datetime.date(2026, 8, 20),
    datetime.date(2026, 9, 21),
    datetime.date(2026, 10, 20),
    datetime.date(2026, 11, 20),
]


def koer(dato: datetime.date) -> int:
    """The daily run at the beat schedule's 06:30 on `dato`."""
    with paa(dato, klokken=6) as rejse:
        rejse.shift(datetime.timedelta(minutes=30))
        return restancer.meld_restancer()


def restancer_() -> list[Notifikation]:
    return list(Notifikation.objects.filter(haendelse=Haendelse.LAAN_RESTANCE).order_by("pk"))


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot, antal_pladser=20, **PERIODE_2025_2027)


@pytest.fixture
def laan(pilot, aftale) -> Laan:
    forloeb = forloeb_paa_faste_dage(pilot, aftale)
    return udbetalt_laan(
        pilot, forloeb, Decimal("10000.00"), dato=UDBETALT, loebetid=4, afdragsfri=0
    )


def afdrag(laan: Laan, nummer: int) -> Afdrag:
    return laan.afdrag.get(nummer=nummer)


# --- The schedule --------------------------------------------------------------------------


def test_the_arrears_run_is_scheduled_daily_at_half_past_six_danish_time_after_migrate(db):
    opgave = PeriodicTask.objects.get(name="Restancer på mikrolån")

    assert opgave.task == "laan.restancer"
    assert opgave.enabled
    assert opgave.interval is None
    assert (opgave.args, opgave.kwargs) == ("[]", "{}")
    kl = opgave.crontab
    assert (kl.minute, kl.hour, kl.day_of_month, kl.month_of_year, kl.day_of_week) == (
        "30",
        "6",
        "*",
        "*",
        "*",
    )
    assert str(kl.timezone) == "Europe/Copenhagen"


def test_the_scheduled_task_name_is_a_registered_celery_task():
    app.loader.import_default_modules()

    assert "laan.restancer" in app.tasks
    assert tasks.meld_restancer.name == "laan.restancer"


def test_the_schedule_migration_is_idempotent_and_reversible(db):
    migration_0002.opret(apps, None)
    migration_0002.opret(apps, None)
    assert PeriodicTask.objects.filter(task="laan.restancer").count() == 1
    assert CrontabSchedule.objects.filter(hour="6", minute="30").count() == 1

    migration_0002.fjern(apps, None)
    assert not PeriodicTask.objects.filter(task="laan.restancer").exists()
    assert not CrontabSchedule.objects.filter(hour="6", minute="30").exists()
    # The reminders' 07:00 schedule is not touched.
    assert PeriodicTask.objects.filter(task="forloeb.paamindelser").exists()

    migration_0002.opret(apps, None)
    assert PeriodicTask.objects.get(task="laan.restancer").crontab.minute == "30"


def test_the_task_runs_the_arrears_and_returns_how_many_it_created(pilot, laan):
    with paa(FORFALD[0] + DAG, klokken=6):
        assert tasks.meld_restancer.apply().get() == 2


# --- Once per instalment -------------------------------------------------------------------


def test_each_overdue_instalment_is_told_exactly_once_over_many_daily_runs(pilot, laan):
    # On the due date itself the instalment is not overdue.
    assert koer(FORFALD[0]) == 0
    assert koer(FORFALD[0] + DAG) == 2  # the caseworker and the course staff member
    assert koer(FORFALD[0] + 2 * DAG) == 0
    indbetal(pilot, laan, "2500.00", FORFALD[0] + 5 * DAG)  # paid late: not told again
    assert koer(FORFALD[0] + 6 * DAG) == 0
    assert koer(FORFALD[1]) == 0
    assert koer(FORFALD[1] + DAG) == 2
    # The job does not run for a month and more: the next run catches up on both.
    assert koer(FORFALD[3] + 3 * DAG) == 4
    for dag in range(4, 10):
        assert koer(FORFALD[3] + dag * DAG) == 0

    noegler = [n.noegle for n in restancer_()]
    forventet = [f"laan:restance:{afdrag(laan, nr).pk}" for nr in (2, 3, 4)]
    assert sorted(set(noegler)) == sorted([f"laan:restance:{afdrag(laan, 1).pk}", *forventet])
    # Exactly once per instalment and person.
    par = [(n.modtager_id, n.noegle) for n in restancer_()]
    assert len(par) == len(set(par)) == 8
    assert all(a.restance_meldt is not None for a in laan.afdrag.all())


def test_the_instalment_is_flagged_when_told(pilot, laan):
    with paa(FORFALD[0] + DAG, klokken=6):
        restancer.meld_restancer()

    foerste = afdrag(laan, 1)
    assert foerste.restance_meldt is not None
    assert [a.restance_meldt for a in laan.afdrag.exclude(pk=foerste.pk)] == [None] * 3


def test_a_run_twice_the_same_morning_tells_nobody_twice(pilot, laan):
    assert koer(FORFALD[0] + DAG) == 2
    # A second run that does not see the flag (another worker, the same moment) finds the
    # notifications' idempotency key instead.
    Afdrag.objects.filter(laan=laan).update(restance_meldt=None)

    assert koer(FORFALD[0] + DAG) == 0
    assert len(restancer_()) == 2


def test_the_notice_says_which_instalment_what_is_missing_and_links_to_the_loan(pilot, laan):
    indbetal(pilot, laan, "1000.00", FORFALD[0] - 5 * DAG)

    koer(FORFALD[0] + DAG)

    for bruger in (pilot.sagsbehandler, pilot.forloebsmedarbejder):
        (n,) = Notifikation.objects.filter(modtager=bruger, haendelse=Haendelse.LAAN_RESTANCE)
        assert n.emne == "Afdrag i restance: Anna Jensen"
        assert n.tekst.startswith(
            "Afdrag nr. 1 på 2.500 kr. af mikrolånet til Anna Jensen forfaldt 20.08.2026 og er "
            "ikke betalt; der mangler 1.500 kr."
        )
        assert n.link == reverse("laan:detalje", args=[laan.pk])
        assert n.noegle == f"laan:restance:{afdrag(laan, 1).pk}"


def test_the_notices_contain_no_cpr_number(pilot, laan):
    koer(FORFALD[3] + DAG)

    cpr = laan.forloeb.borger.cpr
    for n in restancer_():
        tekst = f"{n.emne} {n.tekst} {n.link}"
        assert cpr[:6] not in tekst
        assert not re.search(r"\d{6}-?\d{4}", tekst)
        assert "[CPR]" not in tekst


def test_the_cases_caseworker_and_every_course_staff_member_of_the_provider_are_told(pilot, laan):
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    # Not told: another provider's course staff, a deactivated colleague, the Erhvervschef, a
    # caseworker of another jobcenter.
    BrugerFactory(organisation=pilot.ishoej, rolle=Rolle.FORLOEBSMEDARBEJDER)
    BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER, is_active=False)

    assert koer(FORFALD[0] + DAG) == 3

    assert {n.modtager for n in restancer_()} == {
        pilot.sagsbehandler,
        pilot.forloebsmedarbejder,
        kollega,
    }


def test_an_instalment_paid_on_time_is_not_told(pilot, laan):
    indbetal(pilot, laan, "2500.00", FORFALD[0])

    assert koer(FORFALD[0] + DAG) == 0
    assert afdrag(laan, 1).restance_meldt is None


def test_an_instalment_unpaid_again_by_a_reversal_after_its_notice_is_not_told_twice(pilot, laan):
    koer(FORFALD[0] + DAG)
    indbetaling = indbetal(pilot, laan, "2500.00", FORFALD[0] + 2 * DAG)
    tilbagefoer(pilot, indbetaling, dato=FORFALD[0] + 3 * DAG)

    assert koer(FORFALD[0] + 4 * DAG) == 0
    assert len(restancer_()) == 2


def test_a_paid_back_or_written_off_loan_is_not_in_arrears(pilot, aftale, laan):
    indbetal(pilot, laan, "10000.00", FORFALD[0] - DAG)
    afskrevet = udbetalt_laan(
        pilot,
        laan.forloeb,
        Decimal("4000.00"),
        dato=UDBETALT,
        loebetid=4,
        afdragsfri=0,
    )
    livsforloeb.indstil_afskrivning(
        bruger=pilot.forloebsmedarbejder, laan=afskrevet, begrundelse="Konkurs"
    )
    livsforloeb.afskriv(bruger=pilot.sagsbehandler, laan=afskrevet)

    assert koer(FORFALD[3] + DAG) == 0


# --- The run -------------------------------------------------------------------------------


def test_each_run_is_logged_with_the_number_of_notifications_created(pilot, laan):
    koer(FORFALD[0] + DAG)
    koer(FORFALD[0] + 2 * DAG)

    foerste, anden = Koersel.objects.filter(opgave="laan.restancer").order_by("pk")
    assert (foerste.antal, foerste.fejl) == (2, "")
    assert (anden.antal, anden.fejl) == (0, "")
    assert foerste.afsluttet is not None and anden.afsluttet is not None


def test_the_day_is_the_danish_date_not_the_utc_date(pilot, laan):
    # 00:30 in Copenhagen on 21 August is still 20 August in UTC, the due date itself.
    with paa(FORFALD[0] + DAG, klokken=0) as rejse:
        rejse.shift(datetime.timedelta(minutes=30))
        assert restancer.meld_restancer() == 2


@pytest.mark.parametrize("antal", [2, 6])
def test_a_run_with_nothing_new_costs_the_same_queries_for_any_number_of_loans(
    pilot, aftale, antal, django_assert_num_queries
):
    forloeb = forloeb_paa_faste_dage(pilot, aftale)
    for _ in range(antal):
        udbetalt_laan(pilot, forloeb, Decimal("5000.00"), dato=UDBETALT, loebetid=4, afdragsfri=0)
    assert koer(FORFALD[0] + DAG) == 2 * antal

    # Every overdue instalment has been told: 1 INSERT Koersel, 2 SAVEPOINT, 3 SELECT the
    # unflagged overdue instalments (+ loan, programme, citizen, agreement, referral, its
    # caseworker, visitation), 4 RELEASE SAVEPOINT, 5 UPDATE Koersel.
    with paa(FORFALD[0] + 2 * DAG), django_assert_num_queries(5):
        assert restancer.meld_restancer() == 0
