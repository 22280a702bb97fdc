"""Shared fixtures: the organisations and users of the pilot, and the services tests may need.

Tests that need PostgreSQL, Redis or Chromium skip with a reason when those are missing — unless
REQUIRE_SERVICES=1 (as in CI), where a missing service fails the test instead.
"""

import os
import shutil
from dataclasses import dataclass

import pytest
from django.db import connection

from mikrolaan.konti.models import Bruger, Organisation, Rolle

from .factories import BrugerFactory, OrganisationFactory

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
    ishoej = OrganisationFactory(navn="Ishøj Kommune", type=Organisation.Type.KOMMUNE)
    jobcenter = OrganisationFactory(navn="Jobcenter Vallensbæk", type=Organisation.Type.JOBCENTER)
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


@pytest.fixture
def sagsdata(pilot):
    """Case objects in the pilot's scope, for URLs that take an id. Grows with each issue."""
    return pilot
