"""Key figures of the followed agreements: place-months, discharge reasons, the waiting list —
hand-computed on small fixtures, scoped to the buyer, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from forloeb.models import Udskrivning
from oversigt.noegletal import pladsmaaneder, udskrivningsaarsager, venteliste
from oversigt.smaa_tal import SKJULT
from tests.byg.fabrikker import OrganisationFactory
from tests.byg.sager import lav_forloeb, lav_pladsaftale, optag, udskriv
from tests.byg.tid import DAG, paa

pytestmark = pytest.mark.django_db

FEBRUAR = {"fra": datetime.date(2027, 2, 1), "til": datetime.date(2027, 2, 28)}
AFTALE_2027 = {"gyldig_fra": datetime.date(2027, 1, 1), "gyldig_til": datetime.date(2027, 12, 31)}


def test_place_months_bought_and_used_in_the_period(pilot):
    # Two places bought for all of February 2027 (28 days each = 56 place-days = 1.8 months).
    # One programme from 15.01 runs through February (28 days), one admitted 15.02 and discharged
    # 20.02 (6 days, both included): 34 place-days = 1.1 place-months.
    aftale = lav_pladsaftale(pilot, **AFTALE_2027)
    lav_forloeb(pilot, aftale, "Hele", startdato=datetime.date(2027, 1, 15))
    kort = lav_forloeb(pilot, aftale, "Kort", startdato=datetime.date(2027, 2, 15))
    udskriv(pilot, kort, datetime.date(2027, 2, 20), Udskrivning.Aarsag.JOB)

    with paa(datetime.date(2027, 3, 10)):
        (tal,) = pladsmaaneder(bruger=pilot.erhvervschef, **FEBRUAR)

    assert (tal.pladsaftale, tal.koebt, tal.brugt) == (aftale.navn, Decimal("1.8"), Decimal("1.1"))
    assert tal.andel == Decimal("0.607")  # 34 / 56 days


def test_a_running_programme_counts_to_today_and_other_buyers_agreements_not_at_all(pilot):
    aftale = lav_pladsaftale(pilot, **AFTALE_2027)
    lav_forloeb(pilot, aftale, startdato=datetime.date(2027, 2, 1))
    lav_pladsaftale(pilot, koeber=OrganisationFactory(), **AFTALE_2027)

    with paa(datetime.date(2027, 2, 10)):
        (tal,) = pladsmaaneder(bruger=pilot.erhvervschef, **FEBRUAR)

    assert tal.brugt == Decimal("0.3")  # 1.–10. February: 10 days
    assert pladsmaaneder(bruger=pilot.sagsbehandler, **FEBRUAR) == []


def test_every_discharge_reason_is_listed_with_small_counts_hidden(pilot):
    aftale = lav_pladsaftale(pilot, antal_pladser=5, **AFTALE_2027)
    for i in range(3):
        forloeb = lav_forloeb(pilot, aftale, f"Job{i}", startdato=datetime.date(2027, 1, 4))
        udskriv(pilot, forloeb, datetime.date(2027, 2, 1 + i), Udskrivning.Aarsag.JOB)
    forloeb = lav_forloeb(pilot, aftale, "Syg", startdato=datetime.date(2027, 1, 4))
    udskriv(pilot, forloeb, datetime.date(2027, 2, 10), Udskrivning.Aarsag.SYGDOM)

    aarsager = dict(udskrivningsaarsager(bruger=pilot.erhvervschef, **FEBRUAR))

    assert len(aarsager) == len(Udskrivning.Aarsag)
    assert str(aarsager["Job"]) == "3"
    assert str(aarsager["Sygdom"]) == SKJULT
    assert str(aarsager["Flyttet"]) == "0"


def test_the_waiting_list_length_and_median_wait(pilot):
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    lav_forloeb(pilot, aftale, "Optaget")
    idag = timezone.localdate()
    for dage in (30, 10, 20):
        assert optag(pilot, aftale, startdato=idag - dage * DAG) is None  # full: waiting list

    liste = venteliste(bruger=pilot.erhvervschef)

    assert (str(liste.laengde), liste.median_ventetid) == ("3", 20)


def test_a_waiting_list_of_one_or_two_shows_no_median(pilot):
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    lav_forloeb(pilot, aftale, "Optaget")
    optag(pilot, aftale)

    liste = venteliste(bruger=pilot.erhvervschef)

    assert (str(liste.laengde), liste.median_ventetid) == (SKJULT, None)


@pytest.mark.parametrize("antal", [1, 4])
def test_the_figures_take_a_fixed_number_of_queries(pilot, antal, django_assert_num_queries):
    aftale = lav_pladsaftale(pilot, antal_pladser=5, **AFTALE_2027)
    for i in range(antal):
        lav_forloeb(pilot, aftale, f"B{i}", startdato=datetime.date(2027, 2, 1))
    pilot.erhvervschef.roller  # noqa: B018 - the roles, read once per request on a page

    with paa(datetime.date(2027, 3, 1)):
        # The agreements; their programmes in the period.
        with django_assert_num_queries(2):
            pladsmaaneder(bruger=pilot.erhvervschef, **FEBRUAR)
        # The reasons grouped.
        with django_assert_num_queries(1):
            udskrivningsaarsager(bruger=pilot.erhvervschef, **FEBRUAR)
        # The open waiting-list entries.
        with django_assert_num_queries(1):
            venteliste(bruger=pilot.erhvervschef)
