"""Retention (issue 11, point 7): closed cases are anonymised after SLETNING_EFTER_AAR years, loans
only once settled, and the access log after its own ADGANGSLOG_OPBEVARING_AAR years.

The cases are built in the past with time-machine (tests.byg.sletning) and the job runs today, as
the database's own clock (which the audit functions consult) also says.
"""

import datetime
from io import StringIO

import pytest
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

import databeskyttelse.tasks  # noqa: F401 - registers the task
from borgere.models import Borger, Dokument, Journalnotat
from databeskyttelse import sletning
from databeskyttelse.models import Anonymisering
from forloeb.models import Forloeb, Udskrivning
from laan.models import Laan
from mikrolaan.celery import app
from mikrolaan.notifikationer.models import Koersel, Notifikation
from mikrolaan.revision.models import AdgangsLog, Sletningslog
from mikrolaan.revision.services import log_adgang
from tests.byg.sager import henvis, lav_borger, lav_pladsaftale
from tests.byg.sletning import NOTAT, lukket_sag
from tests.byg.tid import paa

pytestmark = pytest.mark.django_db


def _aar_siden(aar: int, dage: int = 0) -> datetime.date:
    return timezone.localdate() - relativedelta(years=aar) - datetime.timedelta(days=dage)


@pytest.fixture
def seks_aar(pilot, kraever_postgres):
    return lukket_sag(pilot, _aar_siden(6), fornavn="Gammel", efternavn="Sagsen")


def test_a_case_closed_six_years_ago_is_anonymised(
    pilot, seks_aar, django_capture_on_commit_callbacks
):
    borger = seks_aar.borger
    cpr_indeks = borger.cpr_indeks
    assert default_storage.exists(seks_aar.dokumentfil)
    assert LogEntry.objects.get_for_object(borger).exists()

    # The document's file goes when the anonymisation commits, not before.
    with django_capture_on_commit_callbacks(execute=True):
        plan = sletning.slet_udloebne()
        assert default_storage.exists(seks_aar.dokumentfil)

    assert plan.borgere == [borger.pk]
    borger.refresh_from_db()
    assert (borger.fornavn, borger.efternavn) == ("Anonymiseret", "borger")
    assert borger.cpr == ""
    assert borger.cpr_indeks != cpr_indeks
    assert not Borger.objects.filter(cpr_indeks=cpr_indeks).exists()
    assert (borger.adresse, borger.telefon, borger.email, borger.forretningsidee) == ("",) * 4
    assert not Journalnotat.objects.filter(borger=borger).exists()
    assert not Dokument.objects.filter(borger=borger).exists()
    assert not default_storage.exists(seks_aar.dokumentfil)
    henvisning = borger.henvisninger.get()
    assert henvisning.forretningsidee == sletning.FJERNET
    # Nothing in the change history quotes the citizen any more, and the anonymisation wrote none.
    assert not LogEntry.objects.get_for_object(borger).exists()
    assert not LogEntry.objects.get_for_object(henvisning).exists()
    assert not LogEntry.objects.filter(changes_text__icontains="Sagsen").exists()
    assert not LogEntry.objects.filter(object_repr__icontains="Sagsen").exists()
    # The statistics' rows stay.
    assert Forloeb.objects.get(pk=seks_aar.forloeb.pk).status == Forloeb.Status.AFBRUDT
    assert Udskrivning.objects.filter(forloeb=seks_aar.forloeb).exists()
    anonymisering = Anonymisering.objects.get(borger=borger)
    assert (anonymisering.journalnotater, anonymisering.dokumenter) == (1, 1)
    assert anonymisering.logposter > 0
    assert Sletningslog.objects.filter(
        tabel="auditlog_logentry", antal=anonymisering.logposter
    ).exists()


def test_a_case_closed_four_years_ago_stays(pilot, kraever_postgres):
    sag = lukket_sag(pilot, _aar_siden(4))

    plan = sletning.slet_udloebne()

    assert plan.borgere == []
    sag.borger.refresh_from_db()
    assert sag.borger.fornavn == "Anna"
    assert Journalnotat.objects.filter(borger=sag.borger, tekst=NOTAT).exists()
    assert default_storage.exists(sag.dokumentfil)
    assert LogEntry.objects.get_for_object(sag.borger).exists()


def test_a_loan_not_yet_repaid_keeps_the_case(pilot, kraever_postgres):
    sag = lukket_sag(pilot, _aar_siden(6), laan="udestaaende")
    assert sag.laan.status == Laan.Status.UDBETALT

    assert sletning.slet_udloebne().borgere == []
    sag.borger.refresh_from_db()
    assert sag.borger.fornavn == "Anna"


def test_a_settled_loan_is_anonymised_with_its_case_and_keeps_its_amount(pilot, kraever_postgres):
    sag = lukket_sag(pilot, _aar_siden(6), laan="afviklet")
    assert sag.laan.status == Laan.Status.INDFRIET

    assert sletning.slet_udloebne().borgere == [sag.borger.pk]
    sag.laan.refresh_from_db()
    assert sag.laan.formaal == sletning.FJERNET
    assert sag.laan.budget == sletning.FJERNET
    assert sag.laan.beloeb == 1000


def test_a_referral_never_closed_keeps_the_citizen(pilot, kraever_postgres):
    with paa(_aar_siden(7)):
        borger = lav_borger(pilot, "Aaben", "Henvisning")
        henvis(pilot, lav_pladsaftale(pilot), borger)

    assert sletning.slet_udloebne().borgere == []


def test_a_note_written_after_the_discharge_starts_the_clock_again(pilot, seks_aar):
    with paa(_aar_siden(2)):
        Journalnotat.objects.create(
            borger=seks_aar.borger, tekst="Ringede igen", forfatter=pilot.sagsbehandler
        )

    assert sletning.slet_udloebne().borgere == []


def test_the_retention_period_is_a_setting(pilot, seks_aar, settings):
    settings.SLETNING_EFTER_AAR = 7
    assert sletning.planlaeg().borgere == []
    settings.SLETNING_EFTER_AAR = 5
    assert sletning.planlaeg().borgere == [seks_aar.borger.pk]


def test_a_second_run_takes_no_one_again(pilot, seks_aar):
    sletning.slet_udloebne()
    assert sletning.slet_udloebne().borgere == []
    assert Anonymisering.objects.count() == 1


def test_the_access_log_is_kept_for_its_own_years(pilot, kraever_postgres, settings):
    settings.ADGANGSLOG_OPBEVARING_AAR = 3
    with paa(_aar_siden(3, dage=2)):
        gammel = log_adgang(bruger=pilot.sagsbehandler, handling=AdgangsLog.Handling.SOEG)
    with paa(_aar_siden(3, dage=-2)):
        ny = log_adgang(bruger=pilot.sagsbehandler, handling=AdgangsLog.Handling.SOEG)

    plan = sletning.slet_udloebne()

    assert plan.adgangslog == 1
    assert list(AdgangsLog.objects.filter(pk__in=[gammel.pk, ny.pk])) == [ny]
    assert Sletningslog.objects.filter(tabel="revision_adgangslog", antal=1).exists()


def test_old_notifications_go_with_the_cases(pilot, seks_aar):
    assert Notifikation.objects.filter(oprettet__date__lt=_aar_siden(5)).exists()

    sletning.slet_udloebne()

    assert not Notifikation.objects.filter(oprettet__date__lt=_aar_siden(5)).exists()


def test_expired_login_sessions_go_and_live_ones_stay(pilot, kraever_postgres):
    nu = timezone.now()
    for noegle, udloeber in (
        ("udloebet", nu - datetime.timedelta(minutes=1)),
        ("aktiv", nu + datetime.timedelta(hours=1)),
    ):
        Session.objects.create(session_key=noegle, session_data="", expire_date=udloeber)

    assert sletning.planlaeg().sessioner == 1
    assert sletning.slet_udloebne().sessioner == 1

    assert list(Session.objects.values_list("session_key", flat=True)) == ["aktiv"]


def test_dry_run_lists_ids_and_counts_and_changes_nothing(pilot, seks_aar):
    ud = StringIO()
    call_command("slet_udloebne", "--dry-run", stdout=ud)

    tekst = ud.getvalue()
    assert "Ville anonymisere 1 borgere" in tekst
    assert f"id {seks_aar.borger.pk}" in tekst
    assert "Gammel" not in tekst and "Sagsen" not in tekst
    assert seks_aar.borger.cpr not in tekst and seks_aar.borger.cpr[:6] not in tekst
    seks_aar.borger.refresh_from_db()
    assert seks_aar.borger.fornavn == "Gammel"
    assert not Anonymisering.objects.exists()


def test_the_command_without_dry_run_anonymises(pilot, seks_aar):
    ud = StringIO()
    call_command("slet_udloebne", stdout=ud)

    assert "Anonymiserede 1 borgere" in ud.getvalue()
    assert Anonymisering.objects.filter(borger=seks_aar.borger).exists()


def test_the_nightly_task_is_scheduled_and_logs_its_run(pilot, seks_aar):
    planlagt = PeriodicTask.objects.get(task=sletning.OPGAVE)
    assert planlagt.enabled

    assert sletning.OPGAVE in app.tasks
    # Run as the worker would (the beat's message names the task; the worker calls it).
    assert app.tasks[sletning.OPGAVE]() == 1

    assert Anonymisering.objects.filter(borger=seks_aar.borger).exists()

    koersel = Koersel.objects.get(opgave=sletning.OPGAVE)
    assert koersel.afsluttet is not None
    assert koersel.antal >= 1
