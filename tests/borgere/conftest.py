import pytest
from django.test import Client


@pytest.fixture
def klient():
    """A test client logged in as the given user: `klient(pilot.sagsbehandler)`."""

    def klient(bruger) -> Client:
        ny = Client()
        ny.force_login(bruger)
        return ny

    return klient
