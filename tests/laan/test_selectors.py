"""Balances, arrears, the portfolio and PAR30, computed by hand on fixed loans; and query counts
that do not grow with the number of loans.

Every loan is paid out on Monday 20 July 2026 over 4 months without grace, so its instalments are
due on 20.08, 21.09 (the 20th is a Sunday), 20.10 and 20.11.2026, a quarter of the principal each.
"""

import datetime
from decimal import Decimal

import pytest

from laan import selectors
from laan.models import Laan
from laan.services import livsforloeb
from tests.byg.laan import (
    ansoegt_laan,
    bevilget_laan,
    forloeb_paa_faste_dage,
    indbetal,
    tilbagefoer,
    udbetalt_laan,
)
from tests.byg.sager import PERIODE_2025_2027, lav_pladsaftale

UDBETALT = datetime.date(2026, 7, 20)
PLAN = {"loebetid": 4, "afdragsfri": 0}
# 31 days after 21.09: instalment 2 of a loan that has not paid it is more than 30 days overdue.
DAG_31 = datetime.date(2026, 10, 22)
DAG_30 = datetime.date(2026, 10, 21)


def d(beloeb: str) -> Decimal:
    return Decimal(beloeb)


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot, antal_pladser=10, **PERIODE_2025_2027)


@pytest.fixture
def forloeb(pilot, aftale):
    return forloeb_paa_faste_dage(pilot, aftale)


def udbetalt(pilot, forloeb, beloeb: str) -> Laan:
    return udbetalt_laan(pilot, forloeb, d(beloeb), dato=UDBETALT, **PLAN)


def saldo(laan: Laan, idag: datetime.date) -> Laan:
    return selectors.med_saldo(Laan.objects.filter(pk=laan.pk), idag=idag).get()


@pytest.fixture
def a(pilot, forloeb) -> Laan:
    """10,000 kr.; 3,000 paid on 25.08 (and 500 paid and reversed): instalment 1 paid, 500 of
    instalment 2."""
    laan = udbetalt(pilot, forloeb, "10000.00")
    indbetal(pilot, laan, "3000.00", datetime.date(2026, 8, 25))
    fejl = indbetal(pilot, laan, "500.00", datetime.date(2026, 8, 26))
    tilbagefoer(pilot, fejl, dato=datetime.date(2026, 8, 27))
    return laan


# --- med_saldo -----------------------------------------------------------------------------


def test_the_balance_and_arrears_of_a_loan_behind_with_its_payments(a):
    laan = saldo(a, DAG_30)

    assert laan.indbetalt == d("3000.00")  # the reversed 500 does not count
    assert laan.restgaeld == d("7000.00")
    # Overdue: 2,000 of instalment 2 (21.09) and all of instalment 3 (20.10, due yesterday).
    assert laan.forfaldent == d("4500.00")
    assert laan.aeldste_forfald == datetime.date(2026, 9, 21)
    assert laan.naeste_forfald == datetime.date(2026, 11, 20)
    assert laan.dage_i_restance == 30
    assert selectors.dage_i_restance(laan, idag=DAG_30) == 30
    assert selectors.dage_i_restance(laan, idag=DAG_31) == 31


def test_an_instalment_is_overdue_from_the_day_after_its_due_date(pilot, forloeb):
    laan = udbetalt(pilot, forloeb, "10000.00")

    paa_dagen = saldo(laan, datetime.date(2026, 8, 20))
    assert (paa_dagen.forfaldent, paa_dagen.aeldste_forfald, paa_dagen.dage_i_restance) == (
        d("0.00"),
        None,
        0,
    )
    assert paa_dagen.naeste_forfald == datetime.date(2026, 8, 20)
    assert selectors.dage_i_restance(paa_dagen) == 0

    dagen_efter = saldo(laan, datetime.date(2026, 8, 21))
    assert dagen_efter.forfaldent == d("2500.00")
    assert dagen_efter.aeldste_forfald == datetime.date(2026, 8, 20)
    assert dagen_efter.dage_i_restance == 1
    assert dagen_efter.naeste_forfald == datetime.date(2026, 9, 21)


def test_a_partly_paid_instalment_is_overdue_with_what_is_missing(pilot, forloeb):
    laan = udbetalt(pilot, forloeb, "10000.00")
    indbetal(pilot, laan, "1000.00", datetime.date(2026, 8, 1))

    laan = saldo(laan, datetime.date(2026, 9, 1))

    assert laan.forfaldent == d("1500.00")
    assert laan.aeldste_forfald == datetime.date(2026, 8, 20)
    assert laan.dage_i_restance == 12


def test_a_loan_paid_ahead_is_not_in_arrears(pilot, forloeb):
    laan = udbetalt(pilot, forloeb, "10000.00")
    indbetal(pilot, laan, "5000.00", datetime.date(2026, 8, 1))

    laan = saldo(laan, datetime.date(2026, 9, 30))

    assert (laan.forfaldent, laan.aeldste_forfald, laan.dage_i_restance) == (d("0.00"), None, 0)
    assert laan.restgaeld == d("5000.00")
    assert laan.naeste_forfald == datetime.date(2026, 10, 20)


def test_a_loan_not_paid_out_has_no_balance(pilot, forloeb):
    laan = bevilget_laan(pilot, forloeb, d("5000.00"), dato=UDBETALT, **PLAN)

    laan = saldo(laan, DAG_31)

    assert laan.indbetalt == d("0.00")
    assert laan.restgaeld is None
    assert laan.naeste_forfald is None
    assert laan.aeldste_forfald is None
    assert laan.forfaldent == d("0.00")


def test_repaid_and_written_off_loans_owe_nothing_and_are_not_in_arrears(pilot, forloeb):
    indfriet = udbetalt(pilot, forloeb, "4000.00")
    indbetal(pilot, indfriet, "4000.00", datetime.date(2026, 8, 1))
    afskrevet = udbetalt(pilot, forloeb, "4000.00")
    livsforloeb.indstil_afskrivning(
        bruger=pilot.forloebsmedarbejder, laan=afskrevet, begrundelse="Konkurs"
    )
    livsforloeb.afskriv(bruger=pilot.sagsbehandler, laan=afskrevet)

    for laan in (saldo(indfriet, DAG_31), saldo(afskrevet, DAG_31)):
        assert laan.restgaeld == d("0.00")
        assert (laan.forfaldent, laan.aeldste_forfald, laan.naeste_forfald) == (
            d("0.00"),
            None,
            None,
        )
        assert laan.dage_i_restance == 0


# --- The portfolio and PAR30 ---------------------------------------------------------------


@pytest.fixture
def portefoeljen(pilot, aftale, a):
    """The hand-computed portfolio, as it stands on 22.10.2026 (see each loan)."""
    andet = forloeb_paa_faste_dage(pilot, aftale, "Bo", "Hansen")
    # B, 20,000: 5,000 paid on each of the first two due dates; instalment 3 (20.10) is 2 days
    # overdue on 22.10 — in arrears, but not PAR30.
    b = udbetalt(pilot, andet, "20000.00")
    indbetal(pilot, b, "5000.00", datetime.date(2026, 8, 20))
    indbetal(pilot, b, "5000.00", datetime.date(2026, 9, 21))
    # C, 5,000 repaid.
    c = udbetalt(pilot, andet, "5000.00")
    indbetal(pilot, c, "5000.00", datetime.date(2026, 8, 3))
    # D, 8,000 granted, not paid out; E, 2,000 applied for.
    bevilget_laan(pilot, andet, d("8000.00"), dato=UDBETALT, **PLAN)
    ansoegt_laan(pilot, forloeb_paa_faste_dage(pilot, aftale, "Carl", "Berg"), d("2000.00"))
    # F, 4,000: 1,000 paid, the rest written off (3,000), its unpaid instalments not arrears.
    f = udbetalt(pilot, andet, "4000.00")
    indbetal(pilot, f, "1000.00", datetime.date(2026, 8, 3))
    livsforloeb.indstil_afskrivning(bruger=pilot.forloebsmedarbejder, laan=f, begrundelse="Død")
    livsforloeb.afskriv(bruger=pilot.sagsbehandler, laan=f)
    return {"a": a, "b": b, "c": c, "f": f}


def test_the_portfolio_computed_by_hand(pilot, portefoeljen):
    p = selectors.portefoelje(Laan.objects.synlige_for(pilot.sagsbehandler), idag=DAG_31)

    assert p.antal_pr_status == {
        "ansoegt": 1,
        "bevilget": 1,
        "afslaaet": 0,
        "tilbagetrukket": 0,
        "udbetalt": 2,
        "indfriet": 1,
        "afskrevet": 1,
    }
    assert p.antal == 6
    assert p.beloeb_pr_status["udbetalt"] == d("30000.00")
    assert p.beloeb_pr_status["afslaaet"] == d("0.00")
    # Granted: D 8,000 + A 10,000 + B 20,000 + C 5,000 + F 4,000 (not E, only applied for).
    assert p.bevilget == d("47000.00")
    # Paid out: A + B + C + F.
    assert p.udbetalt == d("39000.00")
    # Repaid: A 3,000 (not the reversed 500) + B 10,000 + C 5,000 + F 1,000.
    assert p.tilbagebetalt == d("19000.00")
    assert p.tilbagebetalt_andel == d("0.4872")  # 19,000 / 39,000 = 0.48717…
    # Outstanding: A 7,000 + B 10,000 (C repaid, F written off).
    assert p.restgaeld == d("17000.00")
    assert p.afskrevet == d("3000.00")
    assert p.antal_i_restance == 2
    # A's instalment 2 (21.09) is 31 days overdue: A's 7,000 of the 17,000 is at risk.
    assert p.restgaeld_par30 == d("7000.00")
    assert p.par30 == d("0.4118")  # 7,000 / 17,000 = 0.41176…


def test_par30_counts_only_more_than_30_days(pilot, portefoeljen):
    p = selectors.portefoelje(Laan.objects.synlige_for(pilot.sagsbehandler), idag=DAG_30)

    assert p.restgaeld == d("17000.00")
    assert p.restgaeld_par30 == d("0.00")
    assert p.par30 == d("0.0000")


def test_par30_is_none_when_nothing_is_outstanding(pilot, forloeb):
    laan = udbetalt(pilot, forloeb, "4000.00")
    indbetal(pilot, laan, "4000.00", datetime.date(2026, 8, 1))
    bevilget_laan(pilot, forloeb, d("5000.00"), dato=UDBETALT, **PLAN)

    p = selectors.portefoelje(Laan.objects.synlige_for(pilot.forloebsmedarbejder), idag=DAG_31)

    assert p.restgaeld == d("0.00")
    assert p.par30 is None
    assert p.tilbagebetalt_andel == d("1.0000")


def test_an_empty_portfolio_has_zeros_and_no_shares(pilot, portefoeljen):
    # A caseworker of a jobcenter outside the cases: the scoped queryset is empty.
    p = selectors.portefoelje(Laan.objects.synlige_for(pilot.fremmed), idag=DAG_31)

    assert p.antal == 0
    assert set(p.antal_pr_status.values()) == {0}
    assert (p.bevilget, p.udbetalt, p.restgaeld, p.tilbagebetalt) == (d("0"),) * 4
    assert p.par30 is None
    assert p.tilbagebetalt_andel is None


def test_the_buyers_dashboard_sees_the_same_totals(pilot, portefoeljen):
    sagen = selectors.portefoelje(Laan.objects.synlige_for(pilot.sagsbehandler), idag=DAG_31)
    koeber = selectors.portefoelje(Laan.objects.overvaagede_af(pilot.erhvervschef), idag=DAG_31)

    assert koeber == sagen


# --- The overdue list ----------------------------------------------------------------------


def test_the_overdue_list_has_the_open_loans_in_arrears_oldest_first(pilot, portefoeljen):
    liste = list(
        selectors.restanceliste(Laan.objects.synlige_for(pilot.sagsbehandler), idag=DAG_31)
    )

    assert [laan.pk for laan in liste] == [portefoeljen["a"].pk, portefoeljen["b"].pk]
    assert [laan.dage_i_restance for laan in liste] == [31, 2]
    assert [laan.forfaldent for laan in liste] == [d("4500.00"), d("5000.00")]
    assert [laan.forloeb.borger.navn for laan in liste] == ["Anna Jensen", "Bo Hansen"]


def test_the_overdue_list_can_show_only_par30(pilot, portefoeljen):
    qs = Laan.objects.synlige_for(pilot.sagsbehandler)

    assert [laan.pk for laan in selectors.restanceliste(qs, idag=DAG_31, mindst_dage=31)] == [
        portefoeljen["a"].pk
    ]
    assert list(selectors.restanceliste(qs, idag=DAG_31, mindst_dage=32)) == []
    assert len(selectors.restanceliste(qs, idag=DAG_31, mindst_dage=2)) == 2
    assert len(selectors.restanceliste(qs, idag=DAG_31, mindst_dage=3)) == 1


def test_the_overdue_list_is_scoped_by_the_callers_queryset(pilot, portefoeljen):
    assert list(selectors.restanceliste(Laan.objects.synlige_for(pilot.fremmed))) == []


# --- Query counts --------------------------------------------------------------------------


@pytest.fixture
def laan_i_restance(pilot, aftale):
    """`antal` loans of 5,000 kr., each with 1,000 paid: 1,250 | 0 | ... overdue on DAG_31."""

    def lav(antal: int) -> None:
        forloeb = forloeb_paa_faste_dage(pilot, aftale, f"Borger{antal}")
        for _ in range(antal):
            laan = udbetalt(pilot, forloeb, "5000.00")
            indbetal(pilot, laan, "1000.00", datetime.date(2026, 8, 3))

    return lav


@pytest.mark.parametrize("antal", [2, 8])
def test_the_balances_are_one_query_for_any_number_of_loans(
    pilot, laan_i_restance, antal, django_assert_num_queries
):
    laan_i_restance(antal)

    # 1 SELECT the loans, each figure a correlated subquery on the loan row (payments, the next
    # due date, the overdue sum, the oldest overdue date); the scoping is a subquery too.
    with django_assert_num_queries(1):
        liste = list(selectors.med_saldo(Laan.objects.synlige_for(pilot.sagsbehandler)))
    assert len(liste) == antal


@pytest.mark.parametrize("antal", [2, 8])
def test_the_portfolio_is_one_query_for_any_number_of_loans(
    pilot, laan_i_restance, antal, django_assert_num_queries
):
    laan_i_restance(antal)

    # 1 SELECT the conditional aggregates over the loan rows (per status, payments, outstanding,
    # PAR30), each loan's payments and overdue instalments a subquery.
    with django_assert_num_queries(1):
        p = selectors.portefoelje(Laan.objects.synlige_for(pilot.sagsbehandler), idag=DAG_31)
    assert p.antal_pr_status["udbetalt"] == antal
    assert p.par30 == d("1.0000")


@pytest.mark.parametrize("antal", [2, 8])
def test_the_overdue_list_is_one_query_for_any_number_of_loans(
    pilot, laan_i_restance, antal, django_assert_num_queries
):
    laan_i_restance(antal)

    # 1 SELECT the loans in arrears with their figures, programme and citizen (joined, one row
    # each), oldest arrears first.
    with django_assert_num_queries(1):
        liste = [
            (laan.forloeb.borger.navn, laan.dage_i_restance, laan.forfaldent)
            for laan in selectors.restanceliste(
                Laan.objects.synlige_for(pilot.sagsbehandler), idag=DAG_31
            )
        ]
    assert len(liste) == antal
