"""Fixtures for the overview tests; the builders are in tests/oversigt/sager.py."""

import pytest

from tests.intake import lav_pladsaftale


@pytest.fixture
def aftale(pilot):
    """Ishøj buys plenty of places at Næstved, so capacity never gets in a test's way."""
    return lav_pladsaftale(pilot, antal_pladser=50)
