"""The repayment plan of an interest-free loan, and its payment reference.

Pure functions, no database: the plan is made at disbursement (`services.livsforloeb.udbetal`) and
stored as `Afdrag` rows; the page and the loan agreement show those rows, never a recomputation.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

import holidays
from dateutil.relativedelta import relativedelta
from stdnum import luhn

KRONE = Decimal("1")
OERE = Decimal("0.01")

# Danish banks are closed on the public holidays and on these days besides (Finans Danmark's and
# Danmarks Nationalbank's closing days); 1 May is an optional holiday but a banking day.
_BANKLUKKET = {"Constitution Day", "Christmas Eve", "New Year's Eve"}


@cache
def _lukkedage(aar: int) -> frozenset[date]:
    offentlige = holidays.Denmark(years=aar, categories=(holidays.PUBLIC,), language="en_US")
    valgfri = holidays.Denmark(years=aar, categories=(holidays.OPTIONAL,), language="en_US")
    dage = set(offentlige)
    dage |= {dag for dag, navn in valgfri.items() if navn in _BANKLUKKET}
    # The Friday after Ascension Day: no longer a holiday, but the banks stay closed.
    dage |= {dag + timedelta(days=1) for dag, navn in offentlige.items() if navn == "Ascension Day"}
    return frozenset(dage)


def er_bankdag(dag: date) -> bool:
    return dag.weekday() < 5 and dag not in _lukkedage(dag.year)


def naeste_bankdag(dag: date) -> date:
    """The day itself if it is a banking day, otherwise the next one."""
    while not er_bankdag(dag):
        dag += timedelta(days=1)
    return dag


@dataclass(frozen=True)
class Planlagt:
    nummer: int
    forfald: date
    beloeb: Decimal


def lav_plan(hovedstol: Decimal, loebetid: int, afdragsfri: int, udbetalt: date) -> list[Planlagt]:
    """`loebetid` monthly instalments, the first `afdragsfri + 1` months after disbursement.

    Each instalment is the principal divided by the term, rounded down to whole kroner; what the
    rounding leaves (kroner and øre) is added to the last, so the plan sums to the principal
    exactly and no instalment is zero (the principal is at least 1,000 kr. and the term at most
    60 months). A due date that is not a banking day moves to the next banking day; the nominal
    dates are counted from the disbursement date, so a moved date does not drift the rest.
    """
    if hovedstol <= 0 or loebetid < 1 or afdragsfri < 0:
        raise ValueError("Hovedstol, løbetid og afdragsfrie måneder skal være positive.")
    hele = (hovedstol / loebetid).quantize(KRONE, rounding="ROUND_DOWN")
    if hele <= 0:
        raise ValueError("Hovedstolen er for lille til løbetiden.")
    beloeb = [hele] * loebetid
    beloeb[-1] = hovedstol - hele * (loebetid - 1)
    return [
        Planlagt(
            nummer=nummer,
            forfald=naeste_bankdag(udbetalt + relativedelta(months=afdragsfri + nummer)),
            beloeb=belob.quantize(OERE),
        )
        for nummer, belob in enumerate(beloeb, start=1)
    ]


def betalingsreference(laan_id: int) -> str:
    """The loan's number, zero-padded to 7 digits, and a Luhn check digit: a citizen can write it
    on a bank transfer, and a typo in one digit (or two swapped neighbours) is caught."""
    tal = f"{laan_id:07d}"
    return tal + luhn.calc_check_digit(tal)


def gyldig_reference(reference: str) -> bool:
    reference = reference.strip()
    return reference.isdigit() and len(reference) >= 8 and luhn.is_valid(reference)
