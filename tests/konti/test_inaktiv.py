"""Sessions end after 30 minutes without activity, and 8 hours after login whatever the activity.

The clock is time-machine's: the user logs in at 10:00 and the test moves the clock on between
requests, as a caseworker who leaves for a meeting would.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mikrolaan.konti.sessioner import SIDST_AKTIV

START = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)
MINUT = datetime.timedelta(minutes=1)
STATUS = reverse("konti:session_status")
FORLAENG = reverse("konti:session_forlaeng")
INAKTIV = reverse("konti:inaktiv")


@pytest.fixture
def ur():
    with time_machine.travel(START, tick=False) as rejse:
        yield rejse


@pytest.fixture
def sagsbehandler(ur, pilot) -> Client:
    klient = Client()
    klient.force_login(pilot.sagsbehandler)
    return klient


def _logget_ind(klient) -> bool:
    return klient.get(STATUS).json()["logget_ind"]


def test_thirty_idle_minutes_end_the_session_on_the_danish_page(ur, sagsbehandler):
    ur.shift(30 * MINUT)

    svar = sagsbehandler.get(reverse("borgere:liste"))

    assert svar.status_code == 302
    assert svar["Location"] == f"{INAKTIV}?next=%2Fborgere%2F"
    side = sagsbehandler.get(svar["Location"]).content.decode()
    assert "Du er blevet logget ud, fordi du ikke har været aktiv i 30 minutter." in side
    assert reverse("konti:log_ind") + "?next=%2Fborgere%2F" in side
    assert not _logget_ind(sagsbehandler)


def test_a_page_within_the_thirty_minutes_keeps_the_session(ur, sagsbehandler):
    ur.shift(29 * MINUT)
    assert sagsbehandler.get("/").status_code == 200

    ur.shift(29 * MINUT)
    assert sagsbehandler.get("/").status_code == 200


def test_the_browsers_status_check_is_not_activity(ur, sagsbehandler):
    ur.shift(20 * MINUT)
    assert sagsbehandler.get(STATUS).json() == {"logget_ind": True, "tilbage": 10 * 60}
    ur.shift(9 * MINUT)
    assert sagsbehandler.get(STATUS).json() == {"logget_ind": True, "tilbage": 60}

    ur.shift(MINUT)

    # The status check itself ends the session, and says so instead of redirecting.
    assert sagsbehandler.get(STATUS).json() == {"logget_ind": False}
    assert sagsbehandler.get("/")["Location"].startswith(reverse("konti:log_ind"))


def test_stay_logged_in_restarts_the_thirty_minutes(ur, sagsbehandler):
    ur.shift(29 * MINUT + datetime.timedelta(seconds=30))
    assert sagsbehandler.get(FORLAENG).json() == {"logget_ind": True, "tilbage": 30 * 60}

    ur.shift(29 * MINUT)

    assert _logget_ind(sagsbehandler)


def test_page_views_within_a_minute_do_not_write_the_session_again(ur, sagsbehandler):
    sagsbehandler.get("/")
    ur.shift(datetime.timedelta(seconds=59))
    sagsbehandler.get("/")
    assert sagsbehandler.session[SIDST_AKTIV] == int(START.timestamp())

    ur.shift(datetime.timedelta(seconds=1))
    sagsbehandler.get("/")
    assert sagsbehandler.session[SIDST_AKTIV] == int(START.timestamp()) + 60


def test_eight_hours_after_login_the_session_ends_however_active(ur, sagsbehandler):
    for _ in range(8 * 3 - 1):
        ur.shift(20 * MINUT)
        assert sagsbehandler.get("/").status_code == 200

    ur.shift(20 * MINUT)
    svar = sagsbehandler.get("/", follow=True)

    assert svar.redirect_chain[0][0].startswith(reverse("konti:log_ind"))
    assert "Du er blevet logget ud, fordi du har været logget ind i 8 timer." in (
        svar.content.decode()
    )


def test_an_htmx_request_after_the_timeout_sends_the_whole_tab_to_the_idle_page(ur, sagsbehandler):
    ur.shift(31 * MINUT)

    svar = sagsbehandler.get(reverse("borgere:liste"), HTTP_HX_REQUEST="true")

    assert svar.status_code == 204
    assert svar["HX-Redirect"] == INAKTIV


def test_a_post_after_the_timeout_saves_nothing_and_ends_on_the_idle_page(ur, sagsbehandler):
    ur.shift(31 * MINUT)

    svar = sagsbehandler.post(reverse("konti:skift_adgangskode"), {})

    assert svar["Location"] == INAKTIV


def test_the_layout_tells_the_browser_how_long_is_left_and_when_to_warn(
    settings, ur, sagsbehandler
):
    ur.shift(10 * MINUT)
    # The page view is activity: the thirty minutes start again from it.
    html = sagsbehandler.get("/").content.decode()

    assert 'data-tilbage="1800" data-advarsel="60"' in html
    assert '<dialog id="inaktiv-advarsel"' in html
    assert "Forbliv logget ind" in html


def test_the_idle_page_sends_a_logged_in_user_home(sagsbehandler):
    assert sagsbehandler.get(INAKTIV)["Location"] == reverse("forside")


def test_the_idle_page_does_not_send_the_user_to_another_site(client):
    svar = client.get(INAKTIV + "?next=https://example.com/")

    assert svar.context["log_ind_url"] == reverse("konti:log_ind") + "?next=%2F"
