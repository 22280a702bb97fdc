"""Amounts as Danes write them: a dot groups thousands, a comma separates øre."""

from decimal import Decimal

import pytest

from laan.kroner import fortolk


@pytest.mark.parametrize(
    ("tekst", "beloeb"),
    [
        ("12.500", "12500.00"),
        ("12.500,00", "12500.00"),
        ("12500", "12500.00"),
        ("12,5", "12.50"),
        ("12,50", "12.50"),
        ("50.000 kr.", "50000.00"),
        ("50.000 kr", "50000.00"),
        ("1.000,-", "1000.00"),
        ("1.234.567,89", "1234567.89"),
        (" 2.500\u00a0kr. ", "2500.00"),  # a non-breaking space, as copied from a Danish page
        ("1.000,- kr.", "1000.00"),
        ("0,05", "0.05"),
    ],
)
def test_a_danish_amount_is_read_as_kroner_and_oere(tekst, beloeb):
    resultat = fortolk(tekst)

    assert resultat == Decimal(beloeb)
    assert type(resultat) is Decimal
    assert resultat.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "tekst",
    [
        "12.50",  # a dot groups thousands: 12,50 or 12.500? Never guess with money
        "1,234",  # three øre digits
        "12,505",
        "abc",
        "",
        "   ",
        "kr.",
        "12.5000",
        "1.2.3",
        "12,",
        ",50",
        "1e3",
        "12.500.0",
        "12 50",  # 12,50 or 1.250? A space inside the number is a guess too
        "2\u00a0500",
    ],
)
def test_anything_else_is_refused(tekst):
    with pytest.raises(ValueError, match="Ikke et beløb"):
        fortolk(tekst)
