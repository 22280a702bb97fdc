"""Fixtures for the overview tests; the builders are in tests/oversigt/sager.py."""

import pytest
from django.test import Client

from tests.intake import lav_pladsaftale


@pytest.fixture
def klient():
    """A test client logged in as the given user: `klient(pilot.sagsbehandler)`."""

    def klient(bruger) -> Client:
        ny = Client()
        ny.force_login(bruger)
        return ny

    return klient


@pytest.fixture
def aftale(pilot):
    """Ishøj buys plenty of places at Næstved, so capacity never gets in a test's way."""
    return lav_pladsaftale(pilot, antal_pladser=50)
