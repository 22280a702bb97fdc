import pytest
from django.test import Client

from tests.factories import BorgerFactory


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
