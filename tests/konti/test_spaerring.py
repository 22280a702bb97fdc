"""The lockout page: after too many wrong passwords django-axes refuses the login, and the user gets
a Danish page in the application's layout that says when to try again — the same page whether or
not the username exists."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from tests.byg.fabrikker import TEST_ADGANGSKODE

URL = reverse("konti:log_ind")
KL_14_05 = datetime.datetime(2026, 11, 27, 13, 5, tzinfo=datetime.UTC)  # 14:05 in Copenhagen


def _forkert(client, brugernavn: str, gange: int):
    svar = None
    for _ in range(gange):
        svar = client.post(URL, {"username": brugernavn, "password": "forkert-kode"})
    return svar


def _tekst(svar) -> str:
    """The page as a user reads it, without the per-request CSRF token."""
    return re.sub(r'(value="|"X-CSRFToken": ")[^"]*"', "", svar.content.decode())


@pytest.fixture
def fem_forsoeg(settings):
    settings.AXES_FAILURE_LIMIT = 5
    return 5


@time_machine.travel(KL_14_05, tick=False)
def test_the_fifth_wrong_password_gets_a_danish_page_saying_when_to_try_again(
    pilot, client, fem_forsoeg, settings
):
    foer = _forkert(client, "sagsbehandler", fem_forsoeg - 1)
    assert foer.status_code == 200
    assert "Forkert brugernavn eller adgangskode" in foer.content.decode()

    svar = _forkert(client, "sagsbehandler", 1)

    assert svar.status_code == settings.AXES_HTTP_RESPONSE_CODE == 429
    assert "konti/spaerret.html" in [t.name for t in svar.templates]
    tekst = svar.content.decode()
    assert "<h1" in tekst and "Log ind er midlertidigt spærret" in tekst
    # An hour (AXES_COOLOFF_TIME) after the attempt, in Danish time and date.
    assert "Du kan prøve igen kl." in tekst
    assert '<time datetime="2026-11-27T15:05:00+01:00">15:05 den 27.11.2026</time>' in tekst
    assert "Spærringen varer 60 minutter fra det forsøg, der udløste den." in tekst
    assert "no-store" in svar["Cache-Control"]


def test_the_right_password_is_refused_during_the_lockout_which_keeps_its_end(
    pilot, client, fem_forsoeg
):
    with time_machine.travel(KL_14_05, tick=False):
        _forkert(client, "sagsbehandler", fem_forsoeg)
    with time_machine.travel(KL_14_05 + datetime.timedelta(minutes=20), tick=False):
        svar = client.post(URL, {"username": "sagsbehandler", "password": TEST_ADGANGSKODE})

    assert svar.status_code == 429
    assert "_auth_user_id" not in client.session
    # An attempt during the lockout does not restart the hour: still 14:05 + 1 hour.
    assert "15:05 den 27.11.2026" in svar.content.decode()


def test_retrying_during_the_lockout_cannot_keep_a_user_locked_out(pilot, client, fem_forsoeg):
    """An attacker who keeps guessing every few minutes must not renew the lock forever."""
    with time_machine.travel(KL_14_05, tick=False):
        _forkert(client, "sagsbehandler", fem_forsoeg)
    for minutter in (15, 30, 45, 59):
        with time_machine.travel(KL_14_05 + datetime.timedelta(minutes=minutter), tick=False):
            assert _forkert(client, "sagsbehandler", 1).status_code == 429
    # One cool-off after the attempt that locked, the right password works again.
    with time_machine.travel(KL_14_05 + datetime.timedelta(minutes=61), tick=False):
        svar = client.post(URL, {"username": "sagsbehandler", "password": TEST_ADGANGSKODE})
        assert svar.status_code == 302
        assert client.session["_auth_user_id"] == str(pilot.sagsbehandler.pk)


@time_machine.travel(KL_14_05, tick=False)
def test_the_page_does_not_tell_whether_the_username_exists(pilot, client, fem_forsoeg):
    kendt = _forkert(client, "sagsbehandler", fem_forsoeg)
    ukendt = _forkert(client, "findes-ikke", fem_forsoeg)

    assert kendt.status_code == ukendt.status_code == 429
    assert _tekst(kendt) == _tekst(ukendt)
    assert "sagsbehandler" not in _tekst(kendt)
    assert "findes-ikke" not in _tekst(ukendt)


@time_machine.travel(KL_14_05, tick=False)
def test_without_a_cool_off_the_page_says_an_administrator_must_lift_the_lockout(
    pilot, client, fem_forsoeg, settings
):
    settings.AXES_COOLOFF_TIME = None

    svar = _forkert(client, "sagsbehandler", fem_forsoeg)

    assert svar.status_code == 429
    tekst = svar.content.decode()
    assert "En administrator skal ophæve spærringen" in tekst
    assert "Du kan prøve igen" not in tekst
