"""Shared fixtures: the organisations and users of the pilot, and the services tests may need.

Tests that need PostgreSQL, Redis or Chromium skip with a reason when those are missing — unless
REQUIRE_SERVICES=1 (as in CI), where a missing service fails the test instead.
"""

import importlib
import os
import shutil
import uuid
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.utils import translation
from playwright.sync_api import expect, sync_playwright

from borgere.models import Borger, Dokument, Journalnotat
from mikrolaan.konti.models import Bruger, Organisation, Rolle
from visitation.models import Henvisning, Pladsaftale

from .byg.celery import celery_broker
from .byg.fabrikker import (
    TEST_ADGANGSKODE,
    BorgerFactory,
    BrugerFactory,
    DokumentFactory,
    JournalnotatFactory,
    OrganisationFactory,
)
from .byg.sager import henvis, lav_pladsaftale

# Playwright's sync API runs an event loop in the test thread; without this, ORM calls in a browser
# test body raise SynchronousOnlyOperation. Only the test process sets it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") == "1"
CHROMIUM = "/usr/bin/chromium"


def mangler(tjeneste: str, hvorfor: str):
    """Skip (locally) or fail (REQUIRE_SERVICES=1) a test whose service is missing."""
    besked = f"{tjeneste} mangler: {hvorfor}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{besked} (REQUIRE_SERVICES=1)")
    pytest.skip(besked)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, and Django's one-time check whether SQLite supports JSON asked here:
    it costs three queries on the process's first JSON read, which a query-count test that
    happened to be first in its xdist worker counted as its own."""
    with django_db_blocker.unblock():
        connection.features.supports_json_field  # noqa: B018 - a cached check, asked for effect


@pytest.fixture
def kraever_postgres(db):
    if connection.vendor != "postgresql":
        mangler("PostgreSQL", "sæt DATABASE_URL=postgresql://… for at køre denne test")


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        mangler("Redis", "sæt REDIS_URL=redis://127.0.0.1:6379/1 for at køre denne test")
    return url


@pytest.fixture(scope="session")
def chromium_sti():
    if not shutil.which(CHROMIUM):
        mangler("Chromium", "installer Debians chromium (apt-get install -y chromium)")
    return CHROMIUM


@pytest.fixture(autouse=True)
def _hurtig_hashing(settings):
    # PBKDF2's deliberate slowness is for production; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _dansk():
    """Every test starts in Danish. The language middleware activates the request's language in
    the thread and leaves it there (harmless in production, where every request activates its
    own), so a test that switched to English would otherwise leak English into the next test."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


# --- Celery: tests publish to memory unless a test asks for a real broker -------------------


@pytest.fixture(autouse=True)
def _celery_i_hukommelsen():
    """Messages published by a test stay in this process instead of littering a real broker."""
    with celery_broker("memory://"):
        yield


# --- Rows the migrations seed --------------------------------------------------------------
# A transactional test (live server, threads, a real worker) ends by emptying every table, also
# the roles, means of support and beat schedule the data migrations created. Re-running those
# idempotent migration functions brings them back, instead of Django's serialized rollback
# (which Playwright's event loop in the test thread defeats).
DATAMIGRATIONER = [
    ("mikrolaan.konti.migrations.0002_roller", "opret_roller"),
    ("borgere.migrations.0002_forsoergelsesgrundlag", "opret"),
    ("visitation.migrations.0002_rettigheder", "tildel"),
    ("mikrolaan.notifikationer.migrations.0002_fejning_og_rettigheder", "opret"),
    ("forloeb.migrations.0004_paamindelser", "opret"),
    ("laan.migrations.0002_restancer", "opret"),
    ("oversigt.migrations.0001_ugebrev", "opret"),
    ("databeskyttelse.migrations.0002_sletning_planlagt", "opret"),
]


def genskab_grunddata() -> None:
    if Group.objects.filter(name=Rolle.ADMINISTRATOR).exists():
        return
    for modul, funktion in DATAMIGRATIONER:
        getattr(importlib.import_module(modul), funktion)(apps, None)


@dataclass
class Pilot:
    """The three organisations of the pilot, an unrelated one, and a user per role."""

    ishoej: Organisation
    jobcenter: Organisation
    naestved: Organisation
    fremmed_org: Organisation
    sagsbehandler: Bruger
    forloebsmedarbejder: Bruger
    erhvervschef: Bruger
    administrator: Bruger
    # A caseworker at a jobcenter that takes no part in the pilot's cases.
    fremmed: Bruger


@pytest.fixture
def pilot(db) -> Pilot:
    genskab_grunddata()
    jobcenter = OrganisationFactory(navn="Jobcenter Vallensbæk", type=Organisation.Type.JOBCENTER)
    # The jobcenter refers Ishøj's citizens, so its caseworker may refer to the places Ishøj buys.
    ishoej = OrganisationFactory(
        navn="Ishøj Kommune", type=Organisation.Type.KOMMUNE, betjent_af=jobcenter
    )
    naestved = OrganisationFactory(navn="Næstved Kommune", type=Organisation.Type.KOMMUNE)
    fremmed_org = OrganisationFactory(navn="Jobcenter Andetsteds", type=Organisation.Type.JOBCENTER)
    return Pilot(
        ishoej=ishoej,
        jobcenter=jobcenter,
        naestved=naestved,
        fremmed_org=fremmed_org,
        sagsbehandler=BrugerFactory(
            username="sagsbehandler", organisation=jobcenter, rolle=Rolle.SAGSBEHANDLER
        ),
        forloebsmedarbejder=BrugerFactory(
            username="forloeb", organisation=naestved, rolle=Rolle.FORLOEBSMEDARBEJDER
        ),
        erhvervschef=BrugerFactory(
            username="erhvervschef", organisation=ishoej, rolle=Rolle.ERHVERVSCHEF
        ),
        administrator=BrugerFactory(
            username="admin", organisation=ishoej, rolle=Rolle.ADMINISTRATOR
        ),
        fremmed=BrugerFactory(
            username="fremmed", organisation=fremmed_org, rolle=Rolle.SAGSBEHANDLER
        ),
    )


@pytest.fixture(autouse=True)
def _egne_hastighedsgraenser(settings):
    """Each test counts its own hourly limits (mikrolaan/hastighed.py): the cache outlives the
    test database, and user ids repeat from one run (or xdist worker) to the next."""
    settings.RATELIMIT_CACHE_PREFIX = f"test:{uuid.uuid4()}:"


@pytest.fixture(autouse=True)
def _dokumenter_i_tmp(settings, tmp_path):
    # Uploaded documents go to a temporary folder, never into the checkout's data/dokumenter.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "dokumenter", "base_url": None},
        },
    }


@dataclass
class Sagsdata:
    """Case objects in the pilot's scope. The pilot's users and organisations read through, so
    `sagsdata.sagsbehandler` is `sagsdata.pilot.sagsbehandler`."""

    pilot: Pilot
    # Registered by the pilot's caseworker at Jobcenter Vallensbæk and referred to a place at
    # Næstved, so both case roles of the pilot see the citizen; `fremmed` does not.
    borger: Borger
    # From a year before today to two years after (lav_pladsaftale's default), so the citizen can
    # be admitted today in any year.
    pladsaftale: Pladsaftale
    henvisning: Henvisning
    journalnotat: Journalnotat
    dokument: Dokument

    def __getattr__(self, navn):
        if navn == "pilot":  # not set yet (copying, unpickling): no recursion
            raise AttributeError(navn)
        return getattr(self.pilot, navn)


@pytest.fixture
def sagsdata(pilot) -> Sagsdata:
    """Case objects in the pilot's scope, for URLs that take an id. Grows with each issue."""
    borger = BorgerFactory(
        fornavn="Anna",
        efternavn="Testesen",
        jobcenter=pilot.jobcenter,
        oprettet_af=pilot.sagsbehandler,
    )
    pladsaftale = lav_pladsaftale(pilot, navn="Mikrolån Næstved (test)")
    henvisning = henvis(pilot, pladsaftale, borger, forretningsidee="Cykelværksted")
    return Sagsdata(
        pilot=pilot,
        borger=borger,
        pladsaftale=pladsaftale,
        henvisning=henvisning,
        journalnotat=JournalnotatFactory(borger=borger, forfatter=pilot.sagsbehandler),
        dokument=DokumentFactory(borger=borger, uploadet_af=pilot.sagsbehandler),
    )


@pytest.fixture
def klient():
    """A test client logged in as the given user: `klient(pilot.sagsbehandler)`."""

    def klient(bruger) -> Client:
        ny = Client()
        ny.force_login(bruger)
        return ny

    return klient


@pytest.fixture
def pilotens_borger(pilot):
    """A factory for citizens registered by the pilot's caseworker (visible to them only)."""

    def lav(**felter):
        felter.setdefault("jobcenter", pilot.jobcenter)
        felter.setdefault("oprettet_af", pilot.sagsbehandler)
        return BorgerFactory(**felter)

    return lav


# --- Browser: Playwright + Debian's Chromium against the live server, and axe ---------------

# Chromium is started as on the CI machine: root needs --no-sandbox, and the background-networking
# flags keep it from trying to reach Google through this machine's closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# axe impact levels that fail a test; "minor"/"moderate" findings are tolerated.
ALVORLIGE = {"serious", "critical"}


# Pages load more slowly with two test workers on two cores; assertions wait up to 10 s.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def chromium(chromium_sti):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_sti, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Every journey runs under the Content-Security-Policy and fails on any violation of it (issue 12):
# the page reports each one as a `securitypolicyviolation` event, which this script, run before
# any of the page's own, passes on to the console with a marker. Chromium also logs "Refused to …".
CSP_LYTTER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP-overtrædelse: " + e.violatedDirective + " " + e.blockedURI
    + " i " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _csp_overtraedelse(besked) -> bool:
    tekst = besked.text
    return tekst.startswith("CSP-overtrædelse:") or (
        besked.type == "error" and "Content Security Policy" in tekst
    )


@pytest.fixture
def side(chromium, live_server):
    kontekst = chromium.new_context(base_url=live_server.url, locale="da-DK")
    kontekst.set_default_timeout(10_000)
    kontekst.add_init_script(CSP_LYTTER)
    overtraedelser = []
    page = kontekst.new_page()
    page.on(
        "console",
        lambda besked: (
            overtraedelser.append(f"{page.url}: {besked.text}")
            if _csp_overtraedelse(besked)
            else None
        ),
    )
    # For tests/browser/test_csp.py, which checks that a violation is caught (and then clears it).
    page.csp_overtraedelser = overtraedelser
    yield page
    kontekst.close()
    assert not overtraedelser, "CSP-overtrædelser:\n" + "\n".join(overtraedelser)


@pytest.fixture
def log_ind(side):
    def log_ind(bruger, adgangskode=TEST_ADGANGSKODE):
        side.goto("/konti/log-ind/")
        side.get_by_label("Brugernavn").fill(bruger.username)
        side.get_by_label("Adgangskode").fill(adgangskode)
        side.get_by_role("button", name="Log ind").click()
        side.wait_for_load_state()

    return log_ind


@pytest.fixture
def menu(side):
    """Follow a main-menu item, opening the collapsed menu first on a narrow (tablet) screen."""

    def menu(navn: str):
        knap = side.get_by_role("button", name="Vis menu")
        if knap.is_visible():
            knap.click()
            # Wait until Bootstrap's collapse animation has finished, or the click may miss.
            side.locator("#hovedmenu.collapse.show").wait_for()
        with side.expect_navigation():
            side.locator("#hovedmenu").get_by_role("link", name=navn, exact=True).click()

    return menu


@pytest.fixture
def log_ud(side):
    def log_ud():
        side.context.clear_cookies()

    return log_ud


@pytest.fixture
def tjek_tilgaengelighed():
    axe = Axe()

    def tjek(page):
        """Fail on serious or critical axe-core violations on the page as it is now."""
        resultat = axe.run(page)
        alvorlige = [v for v in resultat.response["violations"] if v["impact"] in ALVORLIGE]
        beskrivelser = [
            f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']]}"
            for v in alvorlige
        ]
        assert not alvorlige, f"axe på {page.url}:\n" + "\n".join(beskrivelser)

    return tjek
