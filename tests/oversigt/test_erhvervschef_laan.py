"""The loan portfolio on the Erhvervschef's home page and overview: the totals of the loans on the
places her municipality buys (granted, paid out, outstanding, repaid share, PAR30), never a name,
an amount of one citizen's loan or a CPR number, in a constant number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from laan.services import indbetalinger
from mikrolaan.konti.models import Organisation, Rolle
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.laan import ansoegt_laan, bevilget_laan, udbetalt_laan
from tests.byg.sager import PERIODE_2025_2027, lav_forloeb, lav_pladsaftale, til_hovedforloeb
from tests.byg.tid import KBH, paa

pytestmark = pytest.mark.django_db

D = datetime.date
# The day the Erhvervschef looks: 2 November 2026.
IDAG = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=KBH)


def i_hovedforloeb(pilot, aftale, fornavn: str, efternavn: str):
    forloeb = lav_forloeb(pilot, aftale, fornavn, efternavn, startdato=D(2026, 1, 5))
    return til_hovedforloeb(pilot, forloeb, D(2026, 7, 6))


def laanesektion(svar) -> str:
    html = svar.content.decode()
    return re.search(r'<section id="laan".*?</section>', html, flags=re.DOTALL).group(0)


@pytest.fixture
def portefoelje(pilot, fast_aftale):
    """On Ishøj's places, Sofie Holm's loans:

    - 12.000 kr. paid out 24.07.2026 over 12 months (1.000 kr. each), only August's paid: the
      September instalment is 39 days overdue on 2 November, so the loan is in PAR30;
    - 6.000 kr. paid out 01.10.2026 over 6 months, the first due 02.11.2026 (not yet overdue);
    - 4.000 kr. granted, not paid out; 2.000 kr. applied for only (not granted, not counted).

    Granted 22.000, paid out 18.000, repaid 1.000 (5,6 %), outstanding 11.000 + 6.000 = 17.000,
    of which 11.000 in PAR30 (64,7 %).

    And a loan on places another municipality buys, which is not Ishøj's to see.
    """
    forloeb = i_hovedforloeb(pilot, fast_aftale, "Sofie", "Holm")
    i_restance = udbetalt_laan(
        pilot, forloeb, Decimal("12000.00"), dato=D(2026, 7, 24), loebetid=12, afdragsfri=0
    )
    with paa(D(2026, 8, 24)):
        indbetalinger.registrer(
            bruger=pilot.forloebsmedarbejder,
            laan=i_restance,
            dato=D(2026, 8, 24),
            beloeb=Decimal("1000.00"),
        )
    udbetalt_laan(pilot, forloeb, Decimal("6000.00"), dato=D(2026, 10, 1), loebetid=6, afdragsfri=0)
    bevilget_laan(pilot, forloeb, Decimal("4000.00"), dato=D(2026, 10, 5))
    ansoegt_laan(pilot, forloeb, Decimal("2000.00"), dato=D(2026, 10, 6))

    koege = OrganisationFactory(
        navn="Køge Kommune", type=Organisation.Type.KOMMUNE, betjent_af=pilot.jobcenter
    )
    koeges = lav_pladsaftale(
        pilot, navn="Købt af Køge", koeber=koege, pris_pr_plads=0, **PERIODE_2025_2027
    )
    udbetalt_laan(
        pilot,
        i_hovedforloeb(pilot, koeges, "Karl", "Koege"),
        Decimal("30000.00"),
        dato=D(2026, 7, 24),
    )


@time_machine.travel(IDAG, tick=False)
@pytest.mark.parametrize("side", ["forside", "oversigt:ind_og_udskrivning"])
def test_the_erhvervschef_sees_the_totals_of_the_loans_on_her_places(
    pilot, portefoelje, klient, side
):
    svar = klient(pilot.erhvervschef).get(reverse(side))

    tal = svar.context["portefoelje"]
    assert tal.bevilget == Decimal("22000.00")
    assert tal.udbetalt == Decimal("18000.00")
    assert tal.restgaeld == Decimal("17000.00")
    assert tal.tilbagebetalt_andel == Decimal("0.0556")
    assert tal.par30 == Decimal("0.6471")
    sektion = laanesektion(svar)
    for tekst in ("22.000 kr.", "18.000 kr.", "17.000 kr.", "5,6 %", "64,7 %", "PAR30"):
        assert tekst in sektion, tekst


@time_machine.travel(IDAG, tick=False)
def test_the_loan_section_names_no_citizen_and_no_single_loan(pilot, portefoelje, klient):
    svar = klient(pilot.erhvervschef).get(reverse("forside"))

    sektion = laanesektion(svar)
    # Sofie is on the page (as an intake this year), never in the loan section.
    assert "Sofie Holm" in svar.content.decode()
    for tekst in ("Sofie", "Holm", "Karl", "Koege", "12.000 kr.", "30.000 kr.", "020290"):
        assert tekst not in sektion, tekst
    assert "/laan/" not in sektion  # no link to a loan


def test_without_loans_the_section_says_so(pilot, aftale, klient):
    svar = klient(pilot.erhvervschef).get(reverse("forside"))

    assert "Der er ikke bevilget mikrolån på de pladser, kommunen har købt." in laanesektion(svar)


@time_machine.travel(IDAG, tick=False)
def test_an_erhvervschef_of_another_municipality_sees_only_the_loans_on_her_places(
    pilot, portefoelje, klient
):
    koeges_chef = BrugerFactory(
        organisation=Organisation.objects.get(navn="Køge Kommune"), rolle=Rolle.ERHVERVSCHEF
    )

    tal = klient(koeges_chef).get(reverse("forside")).context["portefoelje"]

    assert (tal.bevilget, tal.udbetalt) == (Decimal("30000.00"), Decimal("30000.00"))


@pytest.mark.parametrize("antal", [1, 4])
def test_the_portfolio_adds_one_query_however_many_loans(
    pilot, fast_aftale, klient, django_assert_num_queries, antal
):
    for nr in range(antal):
        forloeb = i_hovedforloeb(pilot, fast_aftale, "Borger", f"Nr{nr}")
        udbetalt_laan(pilot, forloeb, Decimal("5000.00"), dato=D(2026, 7, 24))
        bevilget_laan(pilot, forloeb, Decimal("1000.00"), dato=D(2026, 7, 25))
    chef = klient(pilot.erhvervschef)
    with time_machine.travel(IDAG, tick=False):
        chef.get(reverse("forside"))  # warm caches (content types)
        # 1 session, 2 user, 3 the user's roles, 4 the followed agreements' period (the default
        # period, one aggregate), 5 intakes and discharges counted per month and reason (one
        # grouped query), 6 the page of intakes, 7 the page of discharges, 8 agreements with
        # occupancy, 9 access log insert, 10 the loan portfolio's totals (one aggregate), 11 the
        # open waiting-list entries, 12 the agreements running in the period and 13 their
        # programmes (place-months), 14 the funnel (one aggregate), 15 unread notifications
        # (navigation).
        with django_assert_num_queries(15):
            svar = chef.get(reverse("forside"))
    assert svar.context["portefoelje"].bevilget == antal * Decimal("6000.00")
