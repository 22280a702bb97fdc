"""The calendar link (issue 12.9): a random token stored as its SHA-256, revocable by "Ny
kalenderlink", by deactivation, a role or organisation change and a password change, and kept out
of every log."""

import datetime
import hashlib
import io
import logging
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils.log import ServerFormatter
from gunicorn.config import Config

from forloeb.aktiviteter.kalender import nyt_kalenderlink
from forloeb.kalenderlinks import Kalenderlink
from mikrolaan.konti.models import Rolle
from mikrolaan.logning import GunicornLogger, SkjulHemmeligheder, skjul_hemmeligheder
from tests.byg.fabrikker import OrganisationFactory


def feed(token: str) -> str:
    return reverse("forloeb:kalender", args=[token])


def virker(token: str) -> bool:
    return Client().get(feed(token)).status_code == 200


@pytest.fixture
def medarbejder(pilot):
    return pilot.forloebsmedarbejder


@pytest.fixture
def token(medarbejder):
    return nyt_kalenderlink(bruger=medarbejder)


def test_new_link_on_the_list_page_shows_a_working_link_once_and_ends_the_old(
    medarbejder, token, klient
):
    svar = klient(medarbejder).post(reverse("forloeb:nyt_kalenderlink"))

    (ny,) = re.findall(r"/kalender/([^/\"]+)\.ics", svar.content.decode())
    assert svar.status_code == 200
    assert "Kopiér linket nu: det vises kun denne ene gang." in svar.content.decode()
    assert "no-store" in svar["Cache-Control"]
    assert virker(ny)
    assert Client().get(feed(token)).status_code == 404
    assert token not in klient(medarbejder).get(reverse("forloeb:aktiviteter")).content.decode()


def test_the_token_is_stored_hashed_never_in_clear(medarbejder, token):
    link = Kalenderlink.objects.get(bruger=medarbejder)

    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Kalenderlink.objects.filter(token_hash__contains=token).exists()
    assert len(token) >= 43  # 256 random bits
    assert str(medarbejder.pk) != token


def test_deactivation_ends_the_link_and_reactivation_does_not_revive_it(medarbejder, token):
    medarbejder.is_active = False
    medarbejder.save()
    medarbejder.is_active = True
    medarbejder.save()

    assert not virker(token)


def test_a_role_change_ends_the_link(medarbejder, token):
    medarbejder.groups.add(Group.objects.get(name=Rolle.SAGSBEHANDLER))

    assert not virker(token)


def test_a_role_change_from_the_groups_side_ends_the_link(medarbejder, token):
    Group.objects.get(name=Rolle.SAGSBEHANDLER).user_set.add(medarbejder)

    assert not virker(token)


def test_an_organisation_change_ends_the_link(medarbejder, token):
    medarbejder.organisation = OrganisationFactory(navn="Holbæk Kommune")
    medarbejder.save()

    assert not virker(token)


def test_a_password_change_ends_the_link(medarbejder, token):
    medarbejder.set_password("et-helt-nyt-kodeord-2026")
    medarbejder.save()

    assert not virker(token)


def test_a_login_and_other_saves_keep_the_link(medarbejder, token, klient):
    klient(medarbejder)
    medarbejder.first_name = "Mette"
    medarbejder.save()
    medarbejder.save(update_fields=["last_login"])

    assert virker(token)


# --- Out of the logs --------------------------------------------------------------------------


@pytest.fixture
def konsollog():
    """The root logger's console handler (settings.LOGGING), writing to a buffer for the test."""
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, SkjulHemmeligheder) for f in h.filters)
    ]
    buffer = io.StringIO()
    gammel = handler.setStream(buffer)
    yield buffer
    handler.setStream(gammel)


def test_django_logs_a_failed_feed_request_with_the_token_masked(medarbejder, token, konsollog):
    medarbejder.is_active = False
    medarbejder.save()

    assert Client().get(feed(token)).status_code == 404

    linje = konsollog.getvalue()
    assert "Not Found: /forloeb/aktiviteter/kalender/***.ics" in linje
    assert token not in linje


def test_a_percent_encoded_feed_path_is_masked_too(token):
    # "%6B" is "k": the same view answers, and gunicorn and nginx log the raw request line.
    linje = f"GET {feed(token).replace('/kalender/', '/%6Balender/')} HTTP/1.1"

    maskeret = skjul_hemmeligheder(linje)

    assert token not in maskeret
    assert maskeret == "GET /forloeb/aktiviteter/%6Balender/***.ics HTTP/1.1"


def test_runserver_request_lines_go_through_the_masking_handler():
    handlers = logging.getLogger("django.server").handlers
    assert any(isinstance(f, SkjulHemmeligheder) for h in handlers for f in h.filters)
    # Not Django's own handler for it, which would print the request line in full.
    assert not any(isinstance(h.formatter, ServerFormatter) for h in handlers)
    assert not logging.getLogger("django.server").propagate


def test_gunicorns_access_log_masks_the_token(token):
    sti = feed(token)
    atomer = GunicornLogger(Config()).atoms(
        SimpleNamespace(status="200 OK", sent=10, headers=[], response_length=10),
        SimpleNamespace(headers=[("USER-AGENT", "Outlook")]),
        {
            "REQUEST_METHOD": "GET",
            "RAW_URI": sti,
            "PATH_INFO": sti,
            "QUERY_STRING": "",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "10.0.0.5",
        },
        datetime.timedelta(seconds=0.1),
    )

    assert atomer["r"] == "GET /forloeb/aktiviteter/kalender/***.ics HTTP/1.1"
    assert token not in repr(atomer)
