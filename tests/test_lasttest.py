"""The load test (scripts/lasttest.py, scripts/locustfile.py) keeps working: issue 13, point 4.

The locustfile's tasks run here against Django's test client (CSRF checks on) through a stand-in
for locust's HTTP session, so a changed page that leaves a task finding nothing, or a POST the
server refuses, fails a test rather than quietly shrinking the load. The runner itself runs once,
briefly, against PostgreSQL and Redis: gunicorn, a Celery worker and locust started and stopped.
"""

import contextlib
import importlib.util
import io
import os
import random
import re
import socket
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection
from django.test import Client

from demo.data import DEMO_ADGANGSKODE
from forloeb.models import Deltagelse
from mikrolaan.konti.models import Bruger

from .conftest import genskab_grunddata, mangler

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _indlaes(navn: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(navn, SCRIPTS / f"{navn}.py")
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    return modul


@pytest.fixture
def locustfile(monkeypatch):
    """The locustfile with a stand-in `locust` module: the real one patches the whole process
    (gevent) on import, which this test process must not have."""
    stand_in = types.ModuleType("locust")
    stand_in.HttpUser = object
    stand_in.between = lambda *_graenser: None
    stand_in.task = lambda *_vaegt: lambda metode: metode
    stand_in.exception = types.ModuleType("locust.exception")
    stand_in.exception.StopUser = type("StopUser", (Exception,), {})
    monkeypatch.setitem(sys.modules, "locust", stand_in)
    monkeypatch.setitem(sys.modules, "locust.exception", stand_in.exception)
    monkeypatch.setenv("LASTTEST_LOGINS", "demo")
    modul = _indlaes("locustfile")
    # Its own generator, seeded: the same choices every run, and the process's `random` untouched.
    modul.random = random.Random(13)
    return modul


@pytest.fixture
def demo():
    genskab_grunddata()
    call_command("demodata", stdout=io.StringIO())


class _Svar:
    def __init__(self, svar, metode: str):
        self.status_code = svar.status_code
        self.text = svar.content.decode()
        self.request = types.SimpleNamespace(method=metode)
        self.fejl: list[str] = []

    def failure(self, besked: str) -> None:
        self.fejl.append(besked)


class _Session:
    """What the locustfile uses of locust's HttpSession, over Django's test client."""

    def __init__(self):
        self.django = Client(enforce_csrf_checks=True)
        self.sider: list[str] = []
        self.fejl: list[str] = []

    @contextlib.contextmanager
    def _kald(self, metode: str, url: str, name: str, **kwargs):
        svar = _Svar(getattr(self.django, metode.lower())(url, **kwargs), metode)
        yield svar
        self.sider.append(name)
        self.fejl += [f"{name}: {besked}" for besked in svar.fejl]

    def get(self, url, *, name, headers, allow_redirects, catch_response):
        assert not allow_redirects and catch_response
        return self._kald("GET", url, name, headers=headers)

    def post(self, url, *, data, name, allow_redirects, catch_response, headers=None):
        assert not allow_redirects and catch_response
        return self._kald("POST", url, name, data=data, headers=headers)


def _bruger(klasse):
    bruger = klasse.__new__(klasse)
    bruger.client, bruger.host = _Session(), "http://testserver"
    bruger.on_start()
    return bruger


def _koer(bruger, *opgaver: str, gange: int = 3) -> list[str]:
    for _ in range(gange):
        for opgave in opgaver:
            getattr(bruger, opgave)()
    assert bruger.client.fejl == []
    return bruger.client.sider


@pytest.mark.django_db
def test_the_caseworker_logs_in_searches_by_name_and_cpr_and_opens_citizens(locustfile, demo):
    bruger = _bruger(locustfile.Sagsbehandler)

    sider = _koer(bruger, "mine_borgere", "soeg_navn", "soeg_cpr", "aabn_borger", "forside")

    assert sider[:3] == ["Log ind (side)", "Log ind", "Forside (Sagsbehandler)"]
    # Each search and page was reached; the CPR search found its citizen (checked in the task).
    for side in ("Mine borgere", "Søg: navn", "Vis CPR (htmx)", "Søg: CPR", "Tidslinje"):
        assert side in sider
    assert "Borger: sag (htmx)" in sider
    assert len(bruger.cpr_numre) == 1 and len(bruger.cpr_numre[0].replace("-", "")) == 10


@pytest.mark.django_db
def test_course_staff_open_their_programmes_and_tap_attendance(locustfile, demo):
    bruger = _bruger(locustfile.Forloebsmedarbejder)

    # Everyone absent, so a tap (mostly "deltog") shows as a change.
    Deltagelse.objects.update(status=Deltagelse.Status.UDEBLEV)

    sider = _koer(bruger, "mine_forloeb", "aabn_forloeb", "registrer_fremmoede", "forside")

    assert sider.count("Fremmøde (htmx POST)") == 3
    assert {"Mine forløb", "Forløb", "Tidslinje", "Aktivitet"} <= set(sider)
    # The taps reached the database as the course worker's registrations.
    aendret = Deltagelse.objects.exclude(status=Deltagelse.Status.UDEBLEV)
    assert aendret.exists()
    assert set(aendret.values_list("registreret_af__username", flat=True)) == {"forloeb"}


@pytest.mark.django_db
def test_the_erhvervschef_reads_the_dashboard_and_opens_what_it_links(locustfile, demo):
    bruger = _bruger(locustfile.Erhvervschef)

    _koer(bruger, "dashboard", "aabn_fra_dashboard", gange=6)

    assert any("/visitation/pladsaftaler/" in link for link in bruger.links)
    assert any("/oversigt/evaluering/?fra=" in link for link in bruger.links)


@pytest.mark.django_db
def test_a_refused_attendance_tap_counts_as_a_failure(locustfile, demo):
    bruger = _bruger(locustfile.Forloebsmedarbejder)
    raekke = Deltagelse.objects.first()

    # A status the buttons never send: the row comes back, with 200 and an error message.
    bruger.send(
        f"/forloeb/aktiviteter/{raekke.aktivitet_id}/fremmoede/{raekke.forloeb_id}/",
        "Fremmøde",
        {"status": "sovet"},
        htmx_maal=f"deltagelse-{raekke.forloeb_id}",
        fra=f"/forloeb/aktiviteter/{raekke.aktivitet_id}/",
    )

    assert bruger.client.fejl == ["Fremmøde: the answer is an error message"]


@pytest.mark.django_db
def test_a_wrong_password_fails_the_login_and_stops_the_user(locustfile, demo, monkeypatch):
    monkeypatch.setattr(locustfile, "ADGANGSKODE", "forkert-kodeord")
    bruger = locustfile.Sagsbehandler.__new__(locustfile.Sagsbehandler)
    bruger.client, bruger.host = _Session(), "http://testserver"

    with pytest.raises(sys.modules["locust.exception"].StopUser):
        bruger.on_start()

    assert bruger.client.fejl == ["Log ind: sagsbehandler could not log in (200)"]
    assert bruger.client.sider == ["Log ind (side)", "Log ind"]


def test_the_runner_fails_a_run_with_any_failed_request(tmp_path):
    lasttest = _indlaes("lasttest")
    csv = tmp_path / "locust_stats.csv"
    csv.write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,50%,95%,99%\n"
        "GET,Forside,10,0,20,20,40,50\n"
        "POST,Søg: CPR,4,1,30,30,60,60\n"
        ",Aggregated,14,1,25,25,60,60\n",
        encoding="utf-8",
    )

    raekker = lasttest.laes_statistik(csv)

    assert lasttest.fejl_i_alt(raekker) == 1
    assert "| POST Søg: CPR | 4 | 1 | 30 | 60 | 60 |" in lasttest.tabel(raekker)
    assert lasttest.tabel(raekker).endswith("| **Total** | 14 | 1 | 25 | 60 | 60 |")
    assert lasttest.locust_sekunder("1m30s") == 90


# --- The runner, end to end ---------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_runner_runs_three_roles_against_gunicorn_and_stops(demo, redis_url, tmp_path):
    if connection.vendor != "postgresql":
        mangler("PostgreSQL", "sæt DATABASE_URL=postgresql://… for at køre denne test")
    # gunicorn knows only the default hashers, not the tests' fast MD5 one.
    hasher = PBKDF2PasswordHasher()
    Bruger.objects.update(password=hasher.encode(DEMO_ADGANGSKODE, hasher.salt()))
    db = connection.settings_dict
    database_url = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # The servers must read the citizens' CPR numbers with the keys they were written with.
    miljoe = os.environ | {
        "SECRET_KEY": settings.SECRET_KEY,
        "CPR_ENCRYPTION_KEYS": ",".join(settings.CPR_ENCRYPTION_KEYS),
        "CPR_INDEX_KEY": settings.CPR_INDEX_KEY,
    }

    resultat = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            str(SCRIPTS / "lasttest.py"),
            f"--database-url={database_url}",
            f"--redis-url={redis_url}",
            "--brugere=3",
            "--spawn-rate=3",
            "--tid=10s",
            "--workers=2",
            "--logins=demo",
            f"--ud={tmp_path}",
        ],
        env=miljoe,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    # Weights 2:2:1 give three users one of each role; each logged in and saw its home page.
    assert "| POST Log ind | 3 | 0 |" in resultat.stdout
    for forside in ("Forside (Sagsbehandler)", "Forside (Forløbsmedarbejder)", "Dashboard"):
        assert f"| GET {forside}" in resultat.stdout
    assert "| **Total** |" in resultat.stdout
    # Everything stopped: nothing listens any more on the port the run used.
    port = int(re.search(r"gunicorn 2 workers on http://127\.0\.0\.1:(\d+)", resultat.stdout)[1])
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
