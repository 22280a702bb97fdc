"""Fixtures for the overview tests; the builders are in tests/byg/sager.py."""

import pytest

from tests.byg.sager import PERIODE_2025_2027, lav_pladsaftale


@pytest.fixture
def aftale(pilot):
    """Ishøj buys plenty of places at Næstved, so capacity never gets in a test's way; from a
    year before today to two years after, for tests set around today."""
    return lav_pladsaftale(pilot, antal_pladser=50)


@pytest.fixture
def fast_aftale(pilot):
    """The same for 2025–2027, for tests set on fixed days (they pass in any year)."""
    return lav_pladsaftale(pilot, antal_pladser=50, **PERIODE_2025_2027)
