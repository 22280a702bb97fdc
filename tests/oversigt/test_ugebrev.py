"""The Erhvervschef's weekly digest: Monday 08:00 by beat, once per week and recipient whatever
runs twice, last week's intake and discharge by name, occupancy and what is overdue; off when she
turns its email off."""

import datetime

import pytest
from django_celery_beat.models import PeriodicTask

from forloeb.models import Udskrivning
from mikrolaan.notifikationer.models import EmailValg, Haendelse, Koersel, Notifikation
from oversigt.ugebrev import forrige_uge, send_ugebreve
from tests.byg.sager import PERIODE_2025_2027, lav_forloeb, lav_pladsaftale, udskriv
from tests.byg.tid import DAG, paa

pytestmark = pytest.mark.django_db

MANDAG = datetime.date(2026, 3, 9)  # week 11; the digest covers 2–8 March (week 10)


@pytest.fixture
def uge(pilot):
    aftale = lav_pladsaftale(pilot, **PERIODE_2025_2027)
    gammel = lav_forloeb(pilot, aftale, "Gitte", "Gammel", startdato=datetime.date(2026, 1, 5))
    lav_forloeb(pilot, aftale, "Nina", "Ny", startdato=datetime.date(2026, 3, 4))
    udskriv(pilot, gammel, datetime.date(2026, 3, 6), Udskrivning.Aarsag.JOB)
    # Outside the week: an intake on the Monday the digest goes out.
    lav_forloeb(pilot, aftale, "Senere", "Sen", startdato=MANDAG)
    return aftale


def ugebreve():
    return Notifikation.objects.filter(haendelse=Haendelse.UGEBREV)


def test_last_week_is_monday_to_sunday_before_this_week():
    assert forrige_uge(MANDAG) == (datetime.date(2026, 3, 2), datetime.date(2026, 3, 8))
    assert forrige_uge(MANDAG + 3 * DAG) == forrige_uge(MANDAG)


def test_the_erhvervschef_gets_last_weeks_intake_discharge_occupancy_and_overdue(pilot, uge):
    with paa(MANDAG, klokken=8):
        assert send_ugebreve() == 1

    (brev,) = ugebreve()
    assert brev.modtager == pilot.erhvervschef
    assert brev.emne == "Ugebrev: ind- og udskrivning uge 10"
    assert brev.email_oensket
    assert brev.noegle == "ugebrev:2026-U11"
    linjer = brev.tekst.splitlines()
    assert linjer[0] == (
        "Ind- og udskrivning i ugen 02.03.2026–08.03.2026 på de pladsaftaler, du følger."
    )
    assert "Indskrevet: 1" in linjer
    assert "  04.03.2026  Nina Ny (Mikrolån Næstved 2026)" in linjer
    assert "Udskrevet: 1" in linjer
    assert "  06.03.2026  Gitte Gammel (Mikrolån Næstved 2026): Job" in linjer
    assert "  Mikrolån Næstved 2026: 2 af 2 pladser i brug, 0 på venteliste" in linjer
    assert linjer[-1] == ("Overskredet: 0 forløb efter fasens planlagte slut, 0 lån i restance.")
    assert "Senere" not in brev.tekst


def test_the_digest_goes_once_per_week_also_when_beat_fires_twice(pilot, uge):
    with paa(MANDAG, klokken=8):
        send_ugebreve()
    with paa(MANDAG, klokken=9):
        assert send_ugebreve() == 0
    with paa(MANDAG + 2 * DAG):
        assert send_ugebreve() == 0
    with paa(MANDAG + 7 * DAG, klokken=8):
        assert send_ugebreve() == 1

    assert list(ugebreve().values_list("noegle", flat=True).order_by("noegle")) == [
        "ugebrev:2026-U11",
        "ugebrev:2026-U12",
    ]
    koersler = Koersel.objects.filter(opgave="oversigt.ugebrev").order_by("startet")
    assert [k.antal for k in koersler] == [1, 0, 0, 1]


def test_a_user_who_turned_the_digest_off_gets_none(pilot, uge):
    EmailValg.objects.create(bruger=pilot.erhvervschef, haendelse=Haendelse.UGEBREV, email=False)

    with paa(MANDAG, klokken=8):
        assert send_ugebreve() == 0

    assert not ugebreve().exists()


def test_only_the_erhvervschef_gets_a_digest(pilot, uge):
    with paa(MANDAG, klokken=8):
        send_ugebreve()

    assert set(ugebreve().values_list("modtager", flat=True)) == {pilot.erhvervschef.pk}


def test_the_schedule_is_monday_at_eight_danish_time():
    opgave = PeriodicTask.objects.get(task="oversigt.ugebrev")

    assert opgave.enabled
    krontab = opgave.crontab
    assert (krontab.minute, krontab.hour, krontab.day_of_week) == ("0", "8", "1")
    assert str(krontab.timezone) == "Europe/Copenhagen"


def test_the_worker_finds_the_task_under_the_schedules_name_and_it_sends(pilot, uge):
    from mikrolaan.celery import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks.py

    with paa(MANDAG, klokken=8):
        assert app.tasks["oversigt.ugebrev"].apply().get() == 1
