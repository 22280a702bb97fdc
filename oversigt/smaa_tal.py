"""Small-cell suppression for figures that count persons (DOMAIN.md rule 11).

With two places a table of 1s and 2s points at people, so a count of 1 or 2 is shown as `<3`
(primary suppression). A hidden cell must not be computable from what is shown either: in a row
or column printed with its total, one hidden entry is the total minus the others, so a second
entry of that line is hidden too (secondary suppression) — the smallest one, so as little as
possible is lost; the total only when nothing else is left. Zero is shown: "nobody" identifies
no one.

The same `Tal` values go to the page, the PDF and the spreadsheet, so all three hide the same
cells.
"""

from dataclasses import dataclass

GRAENSE = 3
SKJULT = "<3"


@dataclass(frozen=True)
class Tal:
    """A count of persons as it may be published."""

    vaerdi: int
    skjult: bool = False

    def __str__(self) -> str:
        return SKJULT if self.skjult else str(self.vaerdi)

    @property
    def vises(self) -> int | None:
        """The number for a spreadsheet cell, or None where `<3` is written instead."""
        return None if self.skjult else self.vaerdi


def primaer(antal: int) -> Tal:
    """One published count: hidden when it is 1 or 2."""
    return Tal(antal, skjult=0 < antal < GRAENSE)


@dataclass(frozen=True)
class Tabel:
    """Counts with their row totals (last column) and column totals (last row)."""

    raekker: list[list[Tal]]

    @property
    def celler(self) -> list[list[Tal]]:
        return [raekke[:-1] for raekke in self.raekker[:-1]]

    @property
    def raekketotaler(self) -> list[Tal]:
        return [raekke[-1] for raekke in self.raekker[:-1]]

    @property
    def kolonnetotaler(self) -> list[Tal]:
        return self.raekker[-1]


def tabel(celler: list[list[int]]) -> Tabel:
    """Suppress a table of counts printed with row and column totals (and the grand total).

    `celler` is the table without totals; the result adds them and hides, by the rules above,
    enough entries that no hidden count can be worked out from a row or a column.
    """
    if not celler or not celler[0]:
        return Tabel([[Tal(0)]])
    bredde = len(celler[0])
    tal = [[*raekke, sum(raekke)] for raekke in celler]
    tal.append([sum(raekke[i] for raekke in tal) for i in range(bredde + 1)])
    skjult = [[0 < n < GRAENSE for n in raekke] for raekke in tal]

    # Each line: its entries' positions, the total's position last. A line with exactly one
    # hidden entry gives that entry away (total minus the rest), so hide one more; repeat until
    # no line does, since hiding a cell can expose the column it stands in.
    linjer = [[(r, k) for k in range(bredde + 1)] for r in range(len(tal))]
    linjer += [[(r, k) for r in range(len(tal))] for k in range(bredde + 1)]
    aendret = True
    while aendret:
        aendret = False
        for linje in linjer:
            if sum(skjult[r][k] for r, k in linje) != 1:
                continue
            synlige = [(r, k) for r, k in linje[:-1] if not skjult[r][k] and tal[r][k] > 0]
            r, k = min(synlige, key=lambda p: tal[p[0]][p[1]]) if synlige else linje[-1]
            if skjult[r][k]:  # only the total is left and it is the hidden one: nothing to add
                continue
            skjult[r][k] = True
            aendret = True
    return Tabel(
        [
            [Tal(n, s) for n, s in zip(rt, rs, strict=True)]
            for rt, rs in zip(tal, skjult, strict=True)
        ]
    )


def andel(taeller: Tal, naevner: Tal) -> str | None:
    """A conversion rate between two published counts, or None when either is hidden (a rate and
    the shown count would give the hidden one away) or the denominator is zero."""
    if taeller.skjult or naevner.skjult or naevner.vaerdi == 0:
        return None
    return f"{round(100 * taeller.vaerdi / naevner.vaerdi)} %"
