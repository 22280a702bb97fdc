"""Hourly limits per user on CPR reveals, searches and exports (issue 12.5, mikrolaan/hastighed.py):
the (limit + 1)th in the hour answers 429 with a Danish page and an access-log row, nobody else is
affected, and the next hour it works again."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from mikrolaan.konti.models import Rolle
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import BrugerFactory
from tests.byg.sager import lav_borger

NU = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)
TIME = datetime.timedelta(hours=1)


@pytest.fixture
def graenser(settings):
    settings.HASTIGHEDSGRAENSER = {"vis_cpr": 3, "soeg": 2, "eksport": 2}


@pytest.fixture
def ur():
    with time_machine.travel(NU, tick=False) as rejse:
        yield rejse


@pytest.fixture
def kollega(pilot):
    return BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)


def afviste(bruger):
    return AdgangsLog.objects.filter(bruger=bruger, kriterier__afvist=True)


def test_the_fourth_cpr_reveal_in_an_hour_is_refused_and_logged(pilot, klient, graenser, ur):
    borger = lav_borger(pilot)
    url = reverse("borgere:vis_cpr", args=[borger.pk])
    sagsbehandler = klient(pilot.sagsbehandler)

    svar = [sagsbehandler.post(url) for _ in range(4)]

    assert [s.status_code for s in svar] == [200, 200, 200, 429]
    html = svar[-1].content.decode()
    assert "Du har vist 3 CPR-numre inden for den seneste time, som er grænsen." in html
    assert "020290" not in html
    assert (
        AdgangsLog.objects.filter(
            bruger=pilot.sagsbehandler, handling=AdgangsLog.Handling.VIS_CPR
        ).count()
        == 4
    )  # three reveals and the refusal
    (afvist,) = afviste(pilot.sagsbehandler)
    assert afvist.handling == AdgangsLog.Handling.VIS_CPR
    assert afvist.objekt_id == str(borger.pk)
    assert afvist.kriterier == {"graense": "vis_cpr", "maks_pr_time": 3, "afvist": True}


def test_one_users_limit_does_not_touch_a_colleague(pilot, klient, kollega, graenser, ur):
    borger = lav_borger(pilot)
    url = reverse("borgere:vis_cpr", args=[borger.pk])
    sagsbehandler = klient(pilot.sagsbehandler)
    for _ in range(4):
        sagsbehandler.post(url)

    assert klient(kollega).post(url).status_code == 200
    assert not afviste(kollega).exists()


def test_the_next_hour_the_cpr_can_be_shown_again(pilot, klient, graenser, ur):
    borger = lav_borger(pilot)
    url = reverse("borgere:vis_cpr", args=[borger.pk])
    sagsbehandler = klient(pilot.sagsbehandler)
    for _ in range(4):
        sagsbehandler.post(url)

    ur.shift(TIME)

    # A new login: the session ended while idle.
    assert klient(pilot.sagsbehandler).post(url).status_code == 200


def test_the_third_search_in_an_hour_is_refused_and_paging_is_no_search(
    pilot, klient, kollega, graenser, ur
):
    lav_borger(pilot)
    url = reverse("borgere:liste")
    sagsbehandler = klient(pilot.sagsbehandler)

    svar = [sagsbehandler.post(url, {"q": "Anna"}) for _ in range(3)]
    bladring = sagsbehandler.get(url)

    assert [s.status_code for s in svar] == [200, 200, 429]
    assert "Du har søgt 2 gange inden for den seneste time, som er grænsen." in (
        svar[-1].content.decode()
    )
    assert bladring.status_code == 200
    (afvist,) = afviste(pilot.sagsbehandler)
    assert afvist.handling == AdgangsLog.Handling.SOEG
    assert klient(kollega).post(url, {"q": "Anna"}).status_code == 200
    ur.shift(TIME)
    assert klient(pilot.sagsbehandler).post(url, {"q": "Anna"}).status_code == 200


def test_the_third_export_in_an_hour_is_refused_and_logged(pilot, klient, kollega, graenser, ur):
    lav_borger(pilot)
    url = reverse("borgere:eksport")
    sagsbehandler = klient(pilot.sagsbehandler)

    svar = [sagsbehandler.post(url, {"format": "csv"}) for _ in range(3)]

    assert [s.status_code for s in svar] == [200, 200, 429]
    assert "Content-Disposition" not in svar[-1]
    assert "Du har hentet 2 udtræk inden for den seneste time, som er grænsen." in (
        svar[-1].content.decode()
    )
    (afvist,) = afviste(pilot.sagsbehandler)
    assert afvist.handling == AdgangsLog.Handling.EKSPORT
    assert klient(kollega).post(url, {"format": "csv"}).status_code == 200
    ur.shift(TIME)
    assert klient(pilot.sagsbehandler).post(url, {"format": "csv"}).status_code == 200


def test_the_limits_are_settings_with_generous_defaults():
    from django.conf import settings

    assert settings.HASTIGHEDSGRAENSER == {"vis_cpr": 60, "soeg": 300, "eksport": 30}
