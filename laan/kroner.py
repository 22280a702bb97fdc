"""Amounts in kroner as Danes write them: `12.500`, `12.500,00`, `12500`, `12,5` (12.50 kr.).

`fortolk` turns such text into a Decimal with two places (øre) or raises ValueError; the form field
turns that into a Danish error. Never float: a float cannot hold 0.10 exactly.
"""

import re
from decimal import Decimal, InvalidOperation

OERE = Decimal("0.01")

# Whole kroner with optional thousands dots in the right places, then optionally a comma and one
# or two øre digits. "12.50" is refused: with Danish number format a dot groups thousands, and
# guessing that the user meant 12,50 kr. could lend a thousand times too little or too much.
_BELOEB = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?$")


def fortolk(tekst: str) -> Decimal:
    """The amount in `tekst` (spaces around it, "kr." and a trailing ",-" allowed) or ValueError."""
    renset = str(tekst).replace("\u00a0", " ").strip().lower()
    renset = renset.removesuffix("kr.").removesuffix("kr").rstrip().removesuffix(",-")
    # Spaces are not removed from inside the number: "12 50" could be 12,50 or 1.250 kr.
    if not _BELOEB.match(renset):
        raise ValueError(f"Ikke et beløb: {tekst!r}")
    try:
        return Decimal(renset.replace(".", "").replace(",", ".")).quantize(OERE)
    except InvalidOperation as fejl:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"Ikke et beløb: {tekst!r}") from fejl
