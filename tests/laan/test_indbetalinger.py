"""Repayments: registered, allocated oldest due instalment first, reversed with a reason (never
deleted), an overpayment refused, a repaid loan closed by itself and opened again by a reversal.

The standard loan: 10,000 kr. over 4 months without grace, paid out on Monday 20 July 2026, so
its plan is 2,500 kr. due on 20.08, 21.09 (the 20th is a Sunday), 20.10 and 20.11.2026.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laan.models import Afdrag, Indbetaling, Laan, Sagsgang
from laan.services import indbetalinger, livsforloeb
from mikrolaan.konti.models import Rolle
from tests.byg.fabrikker import BrugerFactory
from tests.byg.laan import (
    bevilget_laan,
    forloeb_paa_faste_dage,
    indbetal,
    tilbagefoer,
    udbetalt_laan,
)
from tests.byg.tid import paa

UDBETALT = datetime.date(2026, 7, 20)
PLAN = {"loebetid": 4, "afdragsfri": 0}


@pytest.fixture
def forloeb(pilot):
    return forloeb_paa_faste_dage(pilot)


@pytest.fixture
def laan(pilot, forloeb) -> Laan:
    return udbetalt_laan(pilot, forloeb, Decimal("10000.00"), dato=UDBETALT, **PLAN)


def betalt(laan: Laan) -> list[Decimal]:
    return list(
        Afdrag.objects.filter(laan=laan).order_by("nummer").values_list("betalt", flat=True)
    )


def d(*beloeb: str) -> list[Decimal]:
    return [Decimal(b) for b in beloeb]


def registrer(pilot, laan, beloeb, dato, **felter):
    with paa(dato):
        return indbetalinger.registrer(
            bruger=felter.pop("bruger", pilot.forloebsmedarbejder),
            laan=laan,
            dato=dato,
            beloeb=Decimal(beloeb),
            **felter,
        )


# --- Allocation ----------------------------------------------------------------------------


def test_the_plan_is_the_one_the_fixtures_are_computed_from(laan):
    assert list(laan.afdrag.order_by("nummer").values_list("forfald", "beloeb")) == [
        (datetime.date(2026, 8, 20), Decimal("2500.00")),
        (datetime.date(2026, 9, 21), Decimal("2500.00")),
        (datetime.date(2026, 10, 20), Decimal("2500.00")),
        (datetime.date(2026, 11, 20), Decimal("2500.00")),
    ]
    assert betalt(laan) == d("0", "0", "0", "0")


def test_a_payment_goes_to_the_oldest_due_instalment_first(pilot, laan):
    indbetal(pilot, laan, "1000.00", datetime.date(2026, 8, 25))
    assert betalt(laan) == d("1000", "0", "0", "0")

    # 1,000 + 3,000 = 4,000: the first instalment filled (2,500), 1,500 on the second.
    indbetal(pilot, laan, "3000.00", datetime.date(2026, 9, 25))
    assert betalt(laan) == d("2500", "1500", "0", "0")

    # + 5,250.50 = 9,250.50: 2,500 | 2,500 | 2,500 | 1,750.50.
    indbetal(pilot, laan, "5250.50", datetime.date(2026, 10, 1))
    assert betalt(laan) == d("2500", "2500", "2500", "1750.50")
    assert laan.status == Laan.Status.UDBETALT


def test_a_payment_before_the_first_due_date_is_paid_ahead_on_the_oldest(pilot, laan):
    indbetal(pilot, laan, "6000.00", datetime.date(2026, 7, 25))

    assert betalt(laan) == d("2500", "2500", "1000", "0")


def test_only_the_instalments_whose_share_changed_are_saved(pilot, laan):
    indbetal(pilot, laan, "2000.00", datetime.date(2026, 8, 25))

    # 2,000 + 1,000 = 3,000: instalment 1 goes from 2,000 to 2,500, instalment 2 from 0 to 500;
    # 3 and 4 stay 0 and are not written.
    with paa(datetime.date(2026, 9, 1)), CaptureQueriesContext(connection) as sql:
        indbetalinger.registrer(
            bruger=pilot.forloebsmedarbejder,
            laan=laan,
            dato=datetime.date(2026, 9, 1),
            beloeb=Decimal("1000.00"),
        )
    opdateringer = [q["sql"] for q in sql.captured_queries if q["sql"].startswith("UPDATE")]
    assert len([q for q in opdateringer if '"laan_afdrag"' in q]) == 2
    assert betalt(laan) == d("2500", "500", "0", "0")


def test_an_odd_principal_is_paid_off_exactly_with_the_remainder_on_the_last(pilot, forloeb):
    laan = udbetalt_laan(pilot, forloeb, Decimal("10000.50"), dato=UDBETALT, **PLAN)
    assert laan.afdrag.get(nummer=4).beloeb == Decimal("2500.50")

    indbetal(pilot, laan, "7600.25", datetime.date(2026, 8, 1))
    assert betalt(laan) == d("2500", "2500", "2500", "100.25")
    indbetal(pilot, laan, "2400.25", datetime.date(2026, 8, 2))

    assert betalt(laan) == d("2500", "2500", "2500", "2500.50")
    assert laan.status == Laan.Status.INDFRIET


def test_fordel_recomputes_from_the_payments_and_repairs_a_wrong_allocation(pilot, laan):
    indbetal(pilot, laan, "3000.00", datetime.date(2026, 8, 25))
    Afdrag.objects.filter(laan=laan, nummer=4).update(betalt=Decimal("2500.00"))
    Afdrag.objects.filter(laan=laan, nummer=1).update(betalt=Decimal("0.00"))

    plan = indbetalinger.fordel(laan)

    assert [a.betalt for a in plan] == d("2500", "500", "0", "0")
    assert betalt(laan) == d("2500", "500", "0", "0")


# --- Reversal ------------------------------------------------------------------------------


def test_a_reversal_keeps_the_payment_and_recomputes_the_allocation(pilot, laan):
    foerste = indbetal(pilot, laan, "1000.00", datetime.date(2026, 8, 25))
    anden = indbetal(pilot, laan, "3000.00", datetime.date(2026, 9, 25))
    indbetal(pilot, laan, "2000.00", datetime.date(2026, 10, 5))
    assert betalt(laan) == d("2500", "2500", "1000", "0")

    # 6,000 − 3,000 = 3,000: 2,500 | 500 | 0 | 0.
    tilbagefoer(pilot, anden, dato=datetime.date(2026, 10, 6), begrundelse="Betalt til forkert lån")

    assert betalt(laan) == d("2500", "500", "0", "0")
    assert Indbetaling.objects.filter(laan=laan).count() == 3
    anden.refresh_from_db()
    assert anden.tilbagefoert is not None
    assert anden.tilbagefoert_af == pilot.forloebsmedarbejder
    assert anden.tilbagefoert_begrundelse == "Betalt til forkert lån"
    assert not anden.er_gyldig
    assert foerste.er_gyldig

    # The reversed payment no longer counts towards the balance: 7,000 may still be paid.
    indbetal(pilot, laan, "7000.00", datetime.date(2026, 10, 7))
    assert betalt(laan) == d("2500", "2500", "2500", "2500")


def test_reversing_every_payment_leaves_nothing_allocated(pilot, laan):
    indbetaling = indbetal(pilot, laan, "4000.00", datetime.date(2026, 8, 25))

    tilbagefoer(pilot, indbetaling, dato=datetime.date(2026, 8, 26))

    assert betalt(laan) == d("0", "0", "0", "0")


@pytest.mark.parametrize("begrundelse", ["", "   "])
def test_a_reversal_needs_a_reason(pilot, laan, begrundelse):
    indbetaling = indbetal(pilot, laan, "1000.00", datetime.date(2026, 8, 25))

    with pytest.raises(ValidationError) as fejl:
        tilbagefoer(pilot, indbetaling, begrundelse=begrundelse)

    assert "begrundelse" in fejl.value.message_dict
    indbetaling.refresh_from_db()
    assert indbetaling.tilbagefoert is None
    assert betalt(laan) == d("1000", "0", "0", "0")


def test_a_payment_cannot_be_reversed_twice(pilot, laan):
    indbetaling = indbetal(pilot, laan, "1000.00", datetime.date(2026, 8, 25))
    tilbagefoer(pilot, indbetaling, begrundelse="Forkert beløb")
    foerste_gang = indbetaling.tilbagefoert

    with pytest.raises(ValidationError, match="allerede tilbageført"):
        tilbagefoer(pilot, indbetaling, begrundelse="Igen")

    indbetaling.refresh_from_db()
    assert indbetaling.tilbagefoert == foerste_gang
    assert indbetaling.tilbagefoert_begrundelse == "Forkert beløb"


# --- Overpayment ---------------------------------------------------------------------------


def test_an_overpayment_is_refused_naming_the_balance_and_nothing_is_saved(pilot, laan):
    indbetal(pilot, laan, "4000.00", datetime.date(2026, 8, 25))

    with pytest.raises(ValidationError) as fejl:
        registrer(pilot, laan, "6000.01", datetime.date(2026, 9, 1))

    (besked,) = fejl.value.message_dict["beloeb"]
    assert "Indbetalingen på 6.000,01 kr. er større end restgælden på 6.000 kr." in besked
    assert Indbetaling.objects.filter(laan=laan).count() == 1
    assert betalt(laan) == d("2500", "1500", "0", "0")
    laan.refresh_from_db()
    assert laan.status == Laan.Status.UDBETALT


def test_the_balance_less_reversed_payments_decides_what_is_an_overpayment(pilot, laan):
    indbetaling = indbetal(pilot, laan, "9000.00", datetime.date(2026, 8, 25))
    tilbagefoer(pilot, indbetaling)

    # With the 9,000 reversed the whole 10,000 is owed again.
    indbetal(pilot, laan, "10000.00", datetime.date(2026, 8, 26))

    assert laan.status == Laan.Status.INDFRIET


# --- Repaid: indfriet and back ------------------------------------------------------------


def test_paying_the_balance_repays_the_loan_by_itself(pilot, laan):
    indbetal(pilot, laan, "4000.00", datetime.date(2026, 8, 25))
    indbetal(pilot, laan, "6000.00", datetime.date(2026, 9, 25))

    assert laan.status == Laan.Status.INDFRIET
    assert betalt(laan) == d("2500", "2500", "2500", "2500")
    sagsgang = Sagsgang.objects.filter(laan=laan).last()
    assert (sagsgang.fra_status, sagsgang.til_status) == ("udbetalt", "indfriet")
    assert sagsgang.udfoert_af == pilot.forloebsmedarbejder
    assert sagsgang.begrundelse == "Fuldt tilbagebetalt"


def test_a_repaid_loan_takes_no_more_payments(pilot, laan):
    indbetal(pilot, laan, "10000.00", datetime.date(2026, 8, 25))

    with pytest.raises(ValidationError, match="kun registreres indbetalinger på et udbetalt lån"):
        registrer(pilot, laan, "1.00", datetime.date(2026, 8, 26))

    assert Indbetaling.objects.filter(laan=laan).count() == 1


def test_reversing_a_payment_of_a_repaid_loan_opens_it_again(pilot, laan):
    indbetal(pilot, laan, "4000.00", datetime.date(2026, 8, 25))
    sidste = indbetal(pilot, laan, "6000.00", datetime.date(2026, 9, 25))
    assert laan.status == Laan.Status.INDFRIET

    tilbagefoer(pilot, sidste, dato=datetime.date(2026, 9, 28), begrundelse="Dobbeltregistreret")

    laan.refresh_from_db()
    assert laan.status == Laan.Status.UDBETALT
    assert betalt(laan) == d("2500", "1500", "0", "0")
    sagsgang = Sagsgang.objects.filter(laan=laan).last()
    assert (sagsgang.fra_status, sagsgang.til_status) == ("indfriet", "udbetalt")
    assert sagsgang.udfoert_af == pilot.forloebsmedarbejder
    assert sagsgang.begrundelse == (
        "Indbetaling på 6.000 kr. fra 25.09.2026 tilbageført: Dobbeltregistreret"
    )


def test_reversing_an_earlier_payment_of_a_repaid_loan_opens_it_too(pilot, laan):
    foerste = indbetal(pilot, laan, "4000.00", datetime.date(2026, 8, 25))
    indbetal(pilot, laan, "6000.00", datetime.date(2026, 9, 25))

    tilbagefoer(pilot, foerste)

    laan.refresh_from_db()
    assert laan.status == Laan.Status.UDBETALT
    assert betalt(laan) == d("2500", "2500", "1000", "0")


def test_a_payment_of_a_written_off_loan_cannot_be_reversed(pilot, laan):
    indbetaling = indbetal(pilot, laan, "1000.00", datetime.date(2026, 8, 25))
    livsforloeb.indstil_afskrivning(
        bruger=pilot.forloebsmedarbejder, laan=laan, begrundelse="Virksomheden er lukket"
    )
    livsforloeb.afskriv(bruger=pilot.sagsbehandler, laan=laan)

    with pytest.raises(ValidationError, match="afskrevet"):
        tilbagefoer(pilot, indbetaling)

    assert betalt(laan) == d("1000", "0", "0", "0")


# --- What is refused -----------------------------------------------------------------------


@pytest.mark.parametrize("beloeb", ["0.00", "-100.00", "10.005"])
def test_an_amount_must_be_positive_with_at_most_two_decimals(pilot, laan, beloeb):
    with pytest.raises(ValidationError) as fejl:
        registrer(pilot, laan, beloeb, datetime.date(2026, 8, 25))

    assert "beloeb" in fejl.value.message_dict
    assert not Indbetaling.objects.exists()


def test_an_amount_is_never_a_float(pilot, laan):
    with paa(datetime.date(2026, 8, 25)), pytest.raises(TypeError):
        indbetalinger.registrer(
            bruger=pilot.forloebsmedarbejder,
            laan=laan,
            dato=datetime.date(2026, 8, 25),
            beloeb=100.0,
        )


def test_a_payment_cannot_be_dated_in_the_future(pilot, laan):
    with paa(datetime.date(2026, 8, 25)), pytest.raises(ValidationError) as fejl:
        indbetalinger.registrer(
            bruger=pilot.forloebsmedarbejder,
            laan=laan,
            dato=datetime.date(2026, 8, 26),
            beloeb=Decimal("100.00"),
        )

    assert fejl.value.message_dict["dato"] == ["Indbetalingsdatoen kan ikke ligge i fremtiden."]


def test_a_payment_cannot_be_dated_before_the_disbursement(pilot, laan):
    with pytest.raises(ValidationError) as fejl:
        registrer(pilot, laan, "100.00", UDBETALT - datetime.timedelta(days=1))

    assert fejl.value.message_dict["dato"] == [
        "En indbetaling kan ikke være før udbetalingen (20.07.2026)."
    ]
    # On the day of the disbursement itself it can.
    registrer(pilot, laan, "100.00", UDBETALT)


def test_a_loan_not_paid_out_takes_no_payments(pilot, forloeb):
    laan = bevilget_laan(pilot, forloeb, Decimal("10000.00"), dato=UDBETALT, **PLAN)

    with pytest.raises(ValidationError, match="lånet er bevilget"):
        registrer(pilot, laan, "100.00", UDBETALT)


@pytest.mark.parametrize("hvem", ["sagsbehandler", "erhvervschef", "fremmed"])
def test_only_the_providers_course_staff_register_and_reverse_payments(pilot, laan, hvem):
    bruger = getattr(pilot, hvem)
    with pytest.raises(PermissionDenied):
        registrer(pilot, laan, "100.00", datetime.date(2026, 8, 25), bruger=bruger)

    indbetaling = indbetal(pilot, laan, "100.00", datetime.date(2026, 8, 25))
    with pytest.raises(PermissionDenied):
        tilbagefoer(pilot, indbetaling, bruger=bruger)
    indbetaling.refresh_from_db()
    assert indbetaling.er_gyldig


def test_another_course_staff_member_of_the_provider_may(pilot, laan):
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)

    indbetaling = indbetal(pilot, laan, "100.00", datetime.date(2026, 8, 25), bruger=kollega)

    assert indbetaling.registreret_af == kollega


def test_a_bank_line_already_registered_is_refused(pilot, laan):
    registrer(pilot, laan, "100.00", datetime.date(2026, 8, 25), importnoegle="a" * 64)

    with pytest.raises(ValidationError, match="allerede registreret"):
        registrer(pilot, laan, "100.00", datetime.date(2026, 8, 25), importnoegle="a" * 64)

    assert Indbetaling.objects.count() == 1


def test_the_reference_is_kept_without_a_cpr_number(pilot, laan):
    indbetaling = registrer(
        pilot,
        laan,
        "100.00",
        datetime.date(2026, 8, 25),
        reference="  Lån   0102901234 afdrag ",
    )

    assert indbetaling.reference == "Lån [CPR] afdrag"
