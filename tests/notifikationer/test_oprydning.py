"""The nightly clean-up: read or handled notifications go after 180 days, every one after a year,
never one whose email is still to be sent; in bounded batches, each run logged (issue 13)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from mikrolaan.celery import app
from mikrolaan.notifikationer import oprydning, services, tasks
from mikrolaan.notifikationer.models import Koersel, Notifikation
from tests.byg.fabrikker import NotifikationFactory
from tests.byg.proces import DEVELOPMENT_SECRETS, run_python, start_up_error
from tests.byg.tid import DAG, paa

migration_0008 = importlib.import_module(
    "mikrolaan.notifikationer.migrations.0008_oprydning_planlagt"
)

NU = datetime.date(2026, 12, 1)


def oprettet(dage_siden: int, modtager, **felter) -> Notifikation:
    """A notification created `dage_siden` days before NU (at 10:00 Danish time)."""
    with paa(NU - dage_siden * DAG):
        return NotifikationFactory(modtager=modtager, **felter)


def koer() -> Koersel:
    """The scheduled run at 03:15 on NU."""
    with paa(NU, klokken=3):
        return oprydning.ryd_op()


def tilbage() -> set[str]:
    return set(Notifikation.objects.values_list("emne", flat=True))


def test_read_or_handled_notifications_go_after_180_days_unread_ones_after_a_year(pilot):
    sb = pilot.sagsbehandler
    laest = datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    oprettet(181, sb, emne="læst for 181 dage siden", laest=laest)
    oprettet(181, sb, emne="håndteret for 181 dage siden", haandteret=laest)
    oprettet(179, sb, emne="læst for 179 dage siden", laest=laest)
    oprettet(364, sb, emne="ulæst for 364 dage siden")
    oprettet(366, sb, emne="ulæst for 366 dage siden")

    assert koer().antal == 3
    assert tilbage() == {"læst for 179 dage siden", "ulæst for 364 dage siden"}


def test_an_email_still_to_be_sent_is_never_deleted(pilot):
    sb = pilot.sagsbehandler
    oprettet(400, sb, emne="venter på e-mail", email_oensket=True)
    oprettet(
        400,
        sb,
        emne="opgivet, kan prøves igen",
        email_oensket=True,
        email_forsoeg=services.EMAIL_MAKS_FORSOEG,
    )
    sendt = datetime.datetime(2025, 10, 1, tzinfo=datetime.UTC)
    oprettet(400, sb, emne="sendt", email_oensket=True, email_sendt=sendt)

    assert koer().antal == 1
    assert tilbage() == {"venter på e-mail", "opgivet, kan prøves igen"}


def test_the_limits_follow_the_settings(pilot, settings):
    settings.NOTIFIKATIONER_SLET_EFTER_DAGE = 30
    settings.NOTIFIKATIONER_ULAESTE_SLET_EFTER_DAGE = 60
    laest = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
    oprettet(31, pilot.sagsbehandler, emne="læst", laest=laest)
    oprettet(59, pilot.sagsbehandler, emne="ulæst, 59 dage")
    oprettet(61, pilot.sagsbehandler, emne="ulæst, 61 dage")

    assert koer().antal == 2
    assert tilbage() == {"ulæst, 59 dage"}


def test_each_run_is_logged_and_a_second_run_deletes_nothing(pilot):
    for _ in range(3):
        oprettet(400, pilot.sagsbehandler)

    foerste = koer()
    anden = koer()

    assert (foerste.opgave, foerste.antal, foerste.fejl) == (oprydning.OPGAVE, 3, "")
    assert foerste.afsluttet is not None
    assert anden.antal == 0
    assert Koersel.objects.filter(opgave=oprydning.OPGAVE).count() == 2


@pytest.mark.parametrize("antal", [3, 5])
def test_rows_are_deleted_in_bounded_batches(pilot, antal, django_assert_num_queries):
    for _ in range(antal):
        oprettet(400, pilot.sagsbehandler)
    batcher = antal // 2 + 1  # two rows per DELETE; the last (short) one ends the run

    # 1 INSERT Koersel, then one DELETE ... WHERE id IN (SELECT id ... LIMIT 2) per batch,
    # and 1 UPDATE Koersel.
    with paa(NU, klokken=3), django_assert_num_queries(2 + batcher):
        assert oprydning.ryd_op(batch=2).antal == antal
    assert not Notifikation.objects.exists()


def test_a_run_stops_after_its_maximum_number_of_batches(pilot, monkeypatch):
    monkeypatch.setattr(oprydning, "MAKS_BATCHES", 2)
    for _ in range(5):
        oprettet(400, pilot.sagsbehandler)

    with paa(NU, klokken=3):
        assert oprydning.ryd_op(batch=2).antal == 4
        assert oprydning.ryd_op(batch=2).antal == 1


def test_without_a_maximum_every_row_goes_batch_by_batch(pilot, django_assert_num_queries):
    # The retention job's way (databeskyttelse.sletning): all of them, in short statements.
    for _ in range(5):
        oprettet(400, pilot.sagsbehandler)
    beholdes = oprettet(1, pilot.sagsbehandler)

    with django_assert_num_queries(3):  # 2 + 2 + 1 rows: the short DELETE ends it
        assert (
            oprydning.slet_i_portioner(Notifikation.objects.exclude(pk=beholdes.pk), batch=2) == 5
        )
    assert list(Notifikation.objects.all()) == [beholdes]


# --- The schedule and the task ----------------------------------------------------------------


def test_the_clean_up_is_scheduled_nightly_at_a_quarter_past_three_danish_time(db):
    opgave = PeriodicTask.objects.get(task=oprydning.OPGAVE)
    assert opgave.enabled
    assert (opgave.crontab.hour, opgave.crontab.minute) == ("3", "15")
    assert str(opgave.crontab.timezone) == "Europe/Copenhagen"


def test_the_scheduled_task_name_is_a_registered_celery_task():
    app.loader.import_default_modules()
    assert oprydning.OPGAVE in app.tasks
    assert "notifikationer.send_emails" in app.tasks


def test_the_task_runs_the_clean_up_and_returns_how_many_it_deleted(pilot):
    oprettet(400, pilot.sagsbehandler)
    with paa(NU, klokken=3):
        assert tasks.ryd_op() == 1


def test_the_schedule_migration_is_idempotent_and_reversible(db):
    migration_0008.opret(apps, None)
    assert PeriodicTask.objects.filter(task=oprydning.OPGAVE).count() == 1

    migration_0008.fjern(apps, None)
    assert not PeriodicTask.objects.filter(task=oprydning.OPGAVE).exists()
    assert not CrontabSchedule.objects.filter(**migration_0008.KL_3_15).exists()


@pytest.mark.parametrize(
    ("miljoe", "fejl"),
    [
        ({"NOTIFIKATIONER_SLET_EFTER_DAGE": "0"}, "NOTIFIKATIONER_SLET_EFTER_DAGE must be"),
        ({"NOTIFIKATIONER_SLET_EFTER_DAGE": "et halvt år"}, "must be a whole number"),
        (
            {
                "NOTIFIKATIONER_SLET_EFTER_DAGE": "200",
                "NOTIFIKATIONER_ULAESTE_SLET_EFTER_DAGE": "100",
            },
            "NOTIFIKATIONER_ULAESTE_SLET_EFTER_DAGE must be at least",
        ),
    ],
)
def test_a_bad_clean_up_setting_stops_start_up(tmp_path, miljoe, fejl):
    result = run_python(
        tmp_path, DEVELOPMENT_SECRETS | miljoe, "-c", "import django; django.setup()"
    )

    assert fejl in start_up_error(result)
