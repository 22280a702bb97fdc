"""The repayment plan and the payment reference: pure functions, no database.

The banking days are checked against a calendar written out here from the rules (Easter by
dateutil, the fixed days by hand), not against `laan.plan`'s own use of the `holidays` package: a
category or holiday name that changed upstream would otherwise agree with itself.
"""

import datetime
from decimal import Decimal
from functools import cache

import pytest
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from laan.plan import betalingsreference, gyldig_reference, lav_plan

DAG = datetime.timedelta(days=1)
HYPOTESE = settings(max_examples=200, deadline=None)

# --- The banking calendar, from the rules -------------------------------------------------

# Days after Easter Sunday on which the banks are closed: Maundy Thursday, Good Friday, Easter
# Monday, Ascension Day, the Friday after it, Whit Monday. (Easter Sunday and Whit Sunday are
# Sundays anyway.)
_EFTER_PAASKE = (-3, -2, 1, 39, 40, 50)
# New Year's Day, Constitution Day (Grundlovsdag), Christmas Eve, Christmas Day, Boxing Day and
# New Year's Eve. 1 May is not among them: it is a banking day.
_FASTE = ((1, 1), (6, 5), (12, 24), (12, 25), (12, 26), (12, 31))
STORE_BEDEDAG = 26  # the fourth Friday after Easter, a holiday until 2023


@cache
def lukkedage(aar: int) -> frozenset[datetime.date]:
    paaske = easter(aar)
    dage = {paaske + n * DAG for n in _EFTER_PAASKE}
    if aar <= 2023:
        dage.add(paaske + STORE_BEDEDAG * DAG)
    dage |= {datetime.date(aar, maaned, dag) for maaned, dag in _FASTE}
    return frozenset(dage)


def bankdag(dag: datetime.date) -> bool:
    return dag.weekday() < 5 and dag not in lukkedage(dag.year)


# --- Any loan the rules allow -------------------------------------------------------------

hovedstole = st.integers(min_value=100_000, max_value=5_000_000).map(
    lambda oere: Decimal(oere).scaleb(-2)  # 1,000.00–50,000.00 kr. to the øre
)
loebetider = st.integers(min_value=1, max_value=60)
afdragsfrie = st.integers(min_value=0, max_value=12)
udbetalingsdage = st.dates(datetime.date(2024, 1, 1), datetime.date(2035, 12, 31))


@HYPOTESE
@given(hovedstol=hovedstole, loebetid=loebetider, afdragsfri=afdragsfrie, udbetalt=udbetalingsdage)
def test_the_plan_sums_exactly_to_the_principal_in_positive_instalments_whole_but_the_last(
    hovedstol, loebetid, afdragsfri, udbetalt
):
    plan = lav_plan(hovedstol, loebetid, afdragsfri, udbetalt)

    assert [p.nummer for p in plan] == list(range(1, loebetid + 1))
    beloeb = [p.beloeb for p in plan]
    assert sum(beloeb) == hovedstol
    assert all(b > 0 for b in beloeb)
    assert all(isinstance(b, Decimal) and b.as_tuple().exponent == -2 for b in beloeb)
    assert all(b == b.to_integral_value() for b in beloeb[:-1])
    # What the rounding leaves goes to the last instalment: less than a krone per month.
    assert beloeb[0] <= beloeb[-1] < beloeb[0] + loebetid


@HYPOTESE
@given(hovedstol=hovedstole, loebetid=loebetider, afdragsfri=afdragsfrie, udbetalt=udbetalingsdage)
def test_every_due_date_is_the_first_banking_day_from_its_month_after_disbursement(
    hovedstol, loebetid, afdragsfri, udbetalt
):
    plan = lav_plan(hovedstol, loebetid, afdragsfri, udbetalt)

    forfald = [p.forfald for p in plan]
    assert all(a < b for a, b in zip(forfald, forfald[1:], strict=False))
    for p in plan:
        # Counted from the disbursement date each time, so a moved date never drifts the next;
        # the first falls (afdragsfri + 1) months after disbursement.
        nominel = udbetalt + relativedelta(months=afdragsfri + p.nummer)
        assert bankdag(p.forfald), p
        assert nominel <= p.forfald
        assert not any(bankdag(nominel + n * DAG) for n in range((p.forfald - nominel).days)), p


def foerste_forfald(udbetalt: datetime.date, afdragsfri: int = 0) -> datetime.date:
    return lav_plan(Decimal("12000.00"), 12, afdragsfri, udbetalt)[0].forfald


@pytest.mark.parametrize(
    ("udbetalt", "afdragsfri", "forfald"),
    [
        # Easter 2026: Maundy Thursday 2 April to Easter Monday 6 April are closed.
        (datetime.date(2026, 3, 2), 0, datetime.date(2026, 4, 7)),
        (datetime.date(2026, 3, 3), 0, datetime.date(2026, 4, 7)),
        (datetime.date(2026, 3, 5), 0, datetime.date(2026, 4, 7)),
        (datetime.date(2026, 3, 6), 0, datetime.date(2026, 4, 7)),
        # Ascension Day (Thursday 14 May 2026) and the Friday after it.
        (datetime.date(2026, 4, 14), 0, datetime.date(2026, 5, 18)),
        (datetime.date(2026, 4, 15), 0, datetime.date(2026, 5, 18)),
        # Whit Monday, 25 May 2026.
        (datetime.date(2026, 4, 25), 0, datetime.date(2026, 5, 26)),
        # Grundlovsdag, Thursday 5 June 2025.
        (datetime.date(2025, 5, 5), 0, datetime.date(2025, 6, 6)),
        # Christmas Eve (Wednesday 2025), then Christmas and the weekend.
        (datetime.date(2025, 11, 24), 0, datetime.date(2025, 12, 29)),
        # New Year's Eve (Wednesday 2025) and New Year's Day, after a month without instalment.
        (datetime.date(2025, 10, 31), 1, datetime.date(2026, 1, 2)),
        # 1 May is a banking day, and so is the former Store Bededag since 2024.
        (datetime.date(2025, 4, 1), 0, datetime.date(2025, 5, 1)),
        (datetime.date(2024, 3, 26), 0, datetime.date(2024, 4, 26)),
        # A plain Tuesday stays.
        (datetime.date(2026, 2, 10), 0, datetime.date(2026, 3, 10)),
    ],
)
def test_a_due_date_on_a_closing_day_moves_to_the_next_banking_day(udbetalt, afdragsfri, forfald):
    assert foerste_forfald(udbetalt, afdragsfri) == forfald


def test_a_month_end_disbursement_keeps_month_ends_without_drifting():
    plan = lav_plan(Decimal("12000.00"), 12, 0, datetime.date(2025, 1, 31))

    assert [p.forfald for p in plan] == [
        datetime.date(2025, 2, 28),  # February has no 31st
        datetime.date(2025, 3, 31),  # back on the 31st, not the 28th
        datetime.date(2025, 4, 30),
        datetime.date(2025, 6, 2),  # Saturday 31 May
        datetime.date(2025, 6, 30),
        datetime.date(2025, 7, 31),
        datetime.date(2025, 9, 1),  # Sunday 31 August
        datetime.date(2025, 9, 30),
        datetime.date(2025, 10, 31),
        datetime.date(2025, 12, 1),  # Sunday 30 November
        datetime.date(2026, 1, 2),  # New Year's Eve, New Year's Day
        datetime.date(2026, 2, 2),  # Saturday 31 January
    ]
    assert {p.beloeb for p in plan} == {Decimal("1000.00")}


def test_a_month_end_disbursement_falls_due_on_the_29th_of_february_in_a_leap_year():
    assert foerste_forfald(datetime.date(2028, 1, 31)) == datetime.date(2028, 2, 29)


def test_grace_months_postpone_the_first_instalment():
    plan = lav_plan(Decimal("30000.00"), 24, 2, datetime.date(2026, 2, 10))

    assert plan[0].forfald == datetime.date(2026, 5, 11)  # 10 May 2026 is a Sunday
    assert plan[-1].forfald == datetime.date(2028, 4, 10)


def test_the_rounding_remainder_in_kroner_and_oere_goes_to_the_last_instalment():
    plan = lav_plan(Decimal("10000.50"), 3, 0, datetime.date(2026, 2, 10))

    assert [p.beloeb for p in plan] == [Decimal("3333.00"), Decimal("3333.00"), Decimal("3334.50")]


@pytest.mark.parametrize(
    ("hovedstol", "loebetid", "afdragsfri"),
    [(Decimal("0.00"), 12, 0), (Decimal("1000.00"), 0, 0), (Decimal("1000.00"), 12, -1)],
)
def test_an_impossible_plan_is_refused(hovedstol, loebetid, afdragsfri):
    with pytest.raises(ValueError):
        lav_plan(hovedstol, loebetid, afdragsfri, datetime.date(2026, 2, 10))


# --- The payment reference ----------------------------------------------------------------

laan_numre = st.integers(min_value=1, max_value=9_999_999)


def test_the_reference_is_the_loan_number_padded_to_seven_digits_and_a_luhn_check_digit():
    assert betalingsreference(1) == "00000018"
    assert betalingsreference(7992739871) == "79927398713"  # the textbook Luhn example


@HYPOTESE
@given(laan_id=laan_numre)
def test_every_reference_is_valid(laan_id):
    reference = betalingsreference(laan_id)

    assert len(reference) == 8
    assert reference[:7] == f"{laan_id:07d}"
    assert gyldig_reference(reference)
    assert gyldig_reference(f"  {reference} ")  # as pasted from a bank statement


@HYPOTESE
@given(laan_id=laan_numre, plads=st.integers(0, 7), ciffer=st.sampled_from("0123456789"))
def test_a_one_digit_typo_in_a_reference_is_caught(laan_id, plads, ciffer):
    reference = betalingsreference(laan_id)
    tastefejl = reference[:plads] + ciffer + reference[plads + 1 :]

    assert gyldig_reference(tastefejl) == (tastefejl == reference)


@HYPOTESE
@given(laan_id=laan_numre, plads=st.integers(0, 6))
def test_two_swapped_neighbours_in_a_reference_are_caught(laan_id, plads):
    reference = betalingsreference(laan_id)
    a, b = reference[plads], reference[plads + 1]
    ombyttet = reference[:plads] + b + a + reference[plads + 2 :]

    if a == b or {a, b} == {"0", "9"}:
        # No swap at all, or Luhn's one blind spot (see the test below).
        return
    assert not gyldig_reference(ombyttet)


def test_luhn_misses_only_the_swap_of_0_and_9():
    # Luhn's known limit: "09" and "90" carry the same weight. The test above excludes exactly
    # this pair; everything else a citizen swaps is caught.
    reference = betalingsreference(90)
    assert reference.startswith("0000090")

    assert gyldig_reference(reference.replace("0000090", "0000009", 1))


@pytest.mark.parametrize("tekst", ["", "0000001", "0000001a", "00000017", "abcdefgh", "-0000018"])
def test_a_malformed_or_wrong_reference_is_not_valid(tekst):
    assert not gyldig_reference(tekst)
