"""The staff member's iCalendar feed: fetched by calendar apps without a session."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forloeb.aktiviteter.kalender import nyt_kalenderlink
from forloeb.aktiviteter.services.rettelser import aktivitet_aflys, aktivitet_ret
from mikrolaan.konti.models import Rolle
from tests.byg.aktiviteter import aktivitetsaftale, indskriv, opret_aktivitet
from tests.byg.fabrikker import AktivitetFactory, BrugerFactory
from tests.byg.tid import DAG

KOEBENHAVN = ZoneInfo("Europe/Copenhagen")


def feed_url(bruger) -> str:
    """A new feed link for `bruger` (the one before stops working)."""
    return reverse("forloeb:kalender", args=[nyt_kalenderlink(bruger=bruger)])


@pytest.fixture
def session(pilot):
    """Next week's group session for three admitted citizens, run by the pilot's course staff."""
    idag = timezone.localdate()
    aftale = aktivitetsaftale(
        pilot, antal_pladser=3, gyldig_fra=idag - 365 * DAG, gyldig_til=idag + 365 * DAG
    )
    deltagere = [indskriv(pilot, aftale, navn, idag) for navn in ("Sofie", "Mads", "Ingrid")]
    return opret_aktivitet(
        pilot,
        deltagere,
        type="finansiel_raadgivning",
        dato=idag + 7 * DAG,
        starttid=datetime.time(9, 30),
        varighed=120,
        sted="Jobhuset, lokale 2",
        beskrivelse="Gennemgang af budget med Sofie",
    )


def test_the_feed_is_a_calendar_of_the_staff_members_sessions_without_a_login(pilot, session):
    svar = Client().get(feed_url(pilot.forloebsmedarbejder))

    assert svar.status_code == 200
    assert svar["Content-Type"].startswith("text/calendar")
    kalender = icalendar.Calendar.from_ical(svar.content)
    (begivenhed,) = kalender.walk("VEVENT")
    assert str(begivenhed["SUMMARY"]) == "Finansiel rådgivning"
    assert str(begivenhed["LOCATION"]) == "Jobhuset, lokale 2"
    assert str(begivenhed["DESCRIPTION"]) == "3 deltagere"
    start = begivenhed.decoded("DTSTART")
    assert start == datetime.datetime.combine(session.dato, datetime.time(9, 30), KOEBENHAVN)
    assert begivenhed.decoded("DURATION") == datetime.timedelta(minutes=120)
    assert str(begivenhed["UID"]) == f"aktivitet-{session.pk}@mikrolaan"
    assert kalender.walk("VTIMEZONE")


def test_the_feed_names_no_citizen_and_holds_no_cpr(pilot, session):
    indhold = Client().get(feed_url(pilot.forloebsmedarbejder)).content.decode()

    for raekke in session.deltagelser.select_related("forloeb__borger"):
        borger = raekke.forloeb.borger
        assert borger.fornavn not in indhold
        assert borger.efternavn not in indhold
        assert borger.cpr not in indhold
        assert borger.cpr[:6] not in indhold
    # The free-text description may name someone, so it stays out of the feed.
    assert "budget" not in indhold


def test_the_feed_holds_only_the_users_own_sessions(pilot, session):
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    AktivitetFactory(medarbejder=kollega, dato=timezone.localdate(), sted="Kollegaens lokale")

    egen = icalendar.Calendar.from_ical(Client().get(feed_url(pilot.forloebsmedarbejder)).content)
    kollegaens = icalendar.Calendar.from_ical(Client().get(feed_url(kollega)).content)

    assert [str(e["LOCATION"]) for e in egen.walk("VEVENT")] == ["Jobhuset, lokale 2"]
    assert [str(e["LOCATION"]) for e in kollegaens.walk("VEVENT")] == ["Kollegaens lokale"]


@pytest.mark.parametrize("token", ["not-a-token", "eyJicnVnZXIiOjF9:gammel-signatur", "a" * 43])
def test_a_bad_token_answers_404(pilot, token):
    feed_url(pilot.forloebsmedarbejder)
    svar = Client().get(reverse("forloeb:kalender", args=[token]))
    assert svar.status_code == 404


def test_the_feed_stops_when_the_user_is_deactivated_or_loses_the_role(pilot, session):
    url = feed_url(pilot.forloebsmedarbejder)
    pilot.forloebsmedarbejder.is_active = False
    pilot.forloebsmedarbejder.save()
    assert Client().get(url).status_code == 404

    # A caseworker's token (another role) is no feed either.
    assert Client().get(feed_url(pilot.sagsbehandler)).status_code == 404


def test_the_feed_takes_the_same_number_of_queries_however_many_sessions(
    pilot, session, django_assert_num_queries
):
    url = feed_url(pilot.forloebsmedarbejder)
    klient = Client()
    klient.get(url)
    for i in range(5):
        AktivitetFactory(
            medarbejder=pilot.forloebsmedarbejder,
            dato=timezone.localdate() + datetime.timedelta(days=i),
        )
    # 1 the link with its user, 2 the user's roles, 3 the sessions with their participants and
    # corrections counted (a subquery each).
    with django_assert_num_queries(3):
        svar = klient.get(url)
    assert len(icalendar.Calendar.from_ical(svar.content).walk("VEVENT")) == 6


def _begivenhed(pilot):
    (begivenhed,) = icalendar.Calendar.from_ical(
        Client().get(feed_url(pilot.forloebsmedarbejder)).content
    ).walk("VEVENT")
    return begivenhed


def test_an_active_session_is_confirmed_at_its_first_version(pilot, session):
    begivenhed = _begivenhed(pilot)

    assert str(begivenhed["STATUS"]) == "CONFIRMED"
    assert begivenhed["SEQUENCE"] == 0


def test_a_cancelled_session_is_no_longer_an_active_event_in_the_feed(pilot, session):
    aktivitet_aflys(
        bruger=pilot.forloebsmedarbejder, aktivitet=session, begrundelse="Underviseren er syg"
    )

    begivenhed = _begivenhed(pilot)

    # The same UID with STATUS:CANCELLED and a higher SEQUENCE: a subscribed calendar drops it.
    assert str(begivenhed["UID"]) == f"aktivitet-{session.pk}@mikrolaan"
    assert str(begivenhed["STATUS"]) == "CANCELLED"
    assert begivenhed["SEQUENCE"] == 1
    assert str(begivenhed["SUMMARY"]) == "Aflyst: Finansiel rådgivning"
    # The reason may name someone: it stays out of the feed.
    assert "syg" not in Client().get(feed_url(pilot.forloebsmedarbejder)).content.decode()


def test_a_moved_session_is_a_newer_version_at_its_new_time(pilot, session):
    aktivitet_ret(
        bruger=pilot.forloebsmedarbejder,
        aktivitet=session,
        begrundelse="Lokalet er optaget",
        type=session.type,
        form=session.form,
        dato=session.dato + DAG,
        starttid=datetime.time(13, 0),
        varighed=session.varighed,
        sted=session.sted,
        medarbejder=session.medarbejder,
        deltagere=[d.forloeb for d in session.deltagelser.all()],
        gaester=2,
    )

    begivenhed = _begivenhed(pilot)

    assert begivenhed["SEQUENCE"] == 1
    assert begivenhed.decoded("DTSTART") == datetime.datetime.combine(
        session.dato + DAG, datetime.time(13, 0), KOEBENHAVN
    )
    assert str(begivenhed["DESCRIPTION"]) == "3 deltagere + 2 gæster"
