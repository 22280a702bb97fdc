"""The sizes of the scale data sets: `lille` for tests and CI smoke runs, `national` (issue 13)."""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Skala:
    navn: str
    borgere: int
    forloeb: int
    # Attendance rows (Deltagelse); sessions hold about ten participants each.
    deltagelser: int
    laan: int
    # Access-log rows (reads of citizens, referrals, programmes, loans; searches).
    adgangslog: int
    # Years of history up to today.
    aar: int = 6

    def med_borgere(self, antal: int) -> "Skala":
        """The same shape with `antal` citizens: every other size scaled in proportion."""
        faktor = antal / self.borgere
        return replace(
            self,
            borgere=antal,
            forloeb=max(1, round(self.forloeb * faktor)),
            deltagelser=max(1, round(self.deltagelser * faktor)),
            laan=max(1, round(self.laan * faktor)),
            adgangslog=max(1, round(self.adgangslog * faktor)),
        )


SKALAER = {
    "lille": Skala("lille", borgere=300, forloeb=300, deltagelser=6_000, laan=60, adgangslog=9_000),
    "national": Skala(
        "national",
        borgere=100_000,
        forloeb=100_000,
        deltagelser=2_000_000,
        laan=20_000,
        adgangslog=3_000_000,
    ),
}
