"""The funnel: of the referrals made in a period on the agreements the Erhvervschef follows, how
many reached each step — hand-counted on a fixture, suppressed for publication, in one query."""

import datetime
from decimal import Decimal

import pytest

from forloeb.models import Opfoelgning, Udskrivning
from forloeb.services.indskrivning import visitation_underskriv
from oversigt.smaa_tal import SKJULT
from oversigt.tragt import tragt
from tests.byg.fabrikker import OrganisationFactory
from tests.byg.laan import bevilget_laan
from tests.byg.sager import (
    PERIODE_2025_2027,
    SKIFTE,
    START,
    henvis,
    lav_forloeb,
    lav_pladsaftale,
    registrer_opfoelgning,
    til_hovedforloeb,
    udskriv,
    visiter,
)
from tests.byg.tid import DAG, paa

pytestmark = pytest.mark.django_db

JANUAR = {"fra": datetime.date(2026, 1, 1), "til": datetime.date(2026, 1, 31)}


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot, antal_pladser=10, **PERIODE_2025_2027)


def _gennemfoer(pilot, forloeb, *, laan: bool, virksomhed: bool, selvforsoergende_6: bool):
    til_hovedforloeb(pilot, forloeb, SKIFTE)
    if laan:
        bevilget_laan(pilot, forloeb, Decimal("20000.00"), dato=SKIFTE + DAG)
    aarsag = Udskrivning.Aarsag.EGEN_VIRKSOMHED if virksomhed else Udskrivning.Aarsag.JOB
    udskriv(pilot, forloeb, SKIFTE + 40 * DAG, aarsag)
    seks = Opfoelgning.objects.get(forloeb=forloeb, maaneder=6)
    registrer_opfoelgning(pilot, seks, selvforsoergende=selvforsoergende_6)


@pytest.fixture
def januar(pilot, aftale):
    """Seven referrals in January 2026: one still waiting, one rejected at the visitation, five
    admitted — of whom four reach the main phase, three get a loan and start a business, all three
    self-supporting at six months, and one more discharged to a job and not self-supporting."""
    with paa(START):
        henvis(pilot, aftale)
        afvist = visiter(pilot, henvis(pilot, aftale), "afvist", afvisningsgrund="Ikke klar.")
        visitation_underskriv(bruger=pilot.sagsbehandler, visitation=afvist)
    alle = [lav_forloeb(pilot, aftale, f"Borger{i}", startdato=START) for i in range(5)]
    for forloeb in alle[:3]:
        _gennemfoer(pilot, forloeb, laan=True, virksomhed=True, selvforsoergende_6=True)
    _gennemfoer(pilot, alle[3], laan=False, virksomhed=False, selvforsoergende_6=False)
    # Not counted: a referral in February, and one on an agreement another municipality buys.
    with paa(datetime.date(2026, 2, 2)):
        henvis(pilot, aftale)
    fremmed = lav_pladsaftale(
        pilot, koeber=OrganisationFactory(betjent_af=pilot.jobcenter), **PERIODE_2025_2027
    )
    with paa(START):
        henvis(pilot, fremmed)


def test_each_step_counts_the_periods_referrals_that_reached_it(pilot, januar):
    trin = tragt(bruger=pilot.erhvervschef, **JANUAR)

    assert [(t.noegle, t.antal.vaerdi) for t in trin] == [
        ("henvist", 7),
        ("visiteret", 6),
        ("optaget", 5),
        ("hovedforloeb", 4),
        ("laan_bevilget", 3),
        ("virksomhed", 3),
        ("selvforsoergende_6", 3),
        ("selvforsoergende_12", 0),
    ]
    assert [t.andel for t in trin] == [
        None,
        "86 %",
        "83 %",
        "80 %",
        "75 %",
        "100 %",
        "100 %",
        "0 %",
    ]


def test_counts_of_one_or_two_are_published_as_under_3_with_no_rate_beside_them(pilot, aftale):
    with paa(START):
        henvis(pilot, aftale)
    lav_forloeb(pilot, aftale, startdato=START)

    trin = {t.noegle: t for t in tragt(bruger=pilot.erhvervschef, **JANUAR)}

    assert str(trin["henvist"].antal) == SKJULT
    assert str(trin["optaget"].antal) == SKJULT
    assert trin["optaget"].andel is None
    assert str(trin["hovedforloeb"].antal) == "0"


def test_other_roles_and_other_municipalities_see_no_funnel(pilot, januar):
    for bruger in (pilot.sagsbehandler, pilot.forloebsmedarbejder, pilot.fremmed):
        assert {t.antal.vaerdi for t in tragt(bruger=bruger, **JANUAR)} == {0}


def test_the_administrator_sees_every_agreement(pilot, januar):
    assert tragt(bruger=pilot.administrator, **JANUAR)[0].antal.vaerdi == 8


@pytest.mark.parametrize("ekstra", [0, 4])
def test_the_funnel_is_one_aggregate_whatever_the_number_of_referrals(
    pilot, aftale, ekstra, django_assert_num_queries
):
    for i in range(1 + ekstra):
        lav_forloeb(pilot, aftale, f"Borger{i}", startdato=START)

    pilot.erhvervschef.roller  # noqa: B018 - the roles, read once per request on a page

    # The aggregate over the referrals with one EXISTS per step.
    with django_assert_num_queries(1):
        tragt(bruger=pilot.erhvervschef, **JANUAR)
