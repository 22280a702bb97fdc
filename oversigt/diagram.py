"""Bar charts drawn on the server as SVG, for the PDF report (a PDF runs no JavaScript).

The page draws the same figures with Chart.js; both stand beside a table with the numbers, so the
chart is never the only way to read them. The SVG carries `role="img"`, a <title> and a <desc>
that say what it shows, and every bar its value as text; suppressed counts (`Tal.skjult`) are drawn
as no bar with `<3` written where it would stand.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape

from .smaa_tal import Tal

# Colours with at least 3:1 contrast against white and against each other's neighbours
# (WCAG 1.4.11), and told apart by the legend's text too, not by colour alone.
FARVER = ("#0b3d91", "#b35900", "#2e7d32", "#6a1b9a")


@dataclass(frozen=True)
class Serie:
    navn: str
    vaerdier: list[Tal]


def soejlediagram(
    titel: str,
    beskrivelse: str,
    etiketter: list[str],
    serier: list[Serie],
    *,
    hoejde: int = 220,
    noegle: str = "diagram",
) -> str:
    """Grouped vertical bars: one group per label (e.g. month), one bar per series. `noegle`
    prefixes the ids of the title and description, so several charts in one document each
    name their own (a tagged PDF needs unique ids)."""
    venstre, bund, top = 32, 36, 24
    gruppe = max(len(serier), 1) * 14 + 10
    bredde = venstre + gruppe * max(len(etiketter), 1) + 10
    hoejeste = max((t.vaerdi for s in serier for t in s.vaerdier if not t.skjult), default=0) or 1
    skala = (hoejde - bund - top) / hoejeste
    dele = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {bredde} {hoejde}" '
        f'width="{bredde}" height="{hoejde}" aria-labelledby="{noegle}-titel {noegle}-beskrivelse" '
        'font-family="sans-serif" font-size="9">',
        f'<title id="{noegle}-titel">{escape(titel)}</title>',
        f'<desc id="{noegle}-beskrivelse">{escape(beskrivelse)}</desc>',
        f'<line x1="{venstre}" y1="{hoejde - bund}" x2="{bredde - 5}" y2="{hoejde - bund}" '
        'stroke="#444"/>',
    ]
    for i, etiket in enumerate(etiketter):
        x0 = venstre + i * gruppe + 5
        for j, serie in enumerate(serier):
            tal = serie.vaerdier[i]
            x = x0 + j * 14
            if tal.skjult:
                dele.append(_tekst(x + 6, hoejde - bund - 3, str(tal)))
                continue
            h = round(tal.vaerdi * skala, 1)
            y = hoejde - bund - h
            dele.append(
                f'<rect x="{x}" y="{y}" width="12" height="{h}" fill="{FARVER[j % len(FARVER)]}"/>'
            )
            dele.append(_tekst(x + 6, y - 2, str(tal)))
        dele.append(_tekst(x0 + (gruppe - 10) / 2, hoejde - bund + 12, etiket))
    for j, serie in enumerate(serier):
        x = venstre + j * 90
        dele.append(
            f'<rect x="{x}" y="{hoejde - 14}" width="10" height="10" '
            f'fill="{FARVER[j % len(FARVER)]}"/>'
        )
        dele.append(_tekst(x + 14, hoejde - 5, serie.navn, anker="start"))
    dele.append("</svg>")
    return "".join(dele)


def _tekst(x: float, y: float, tekst: str, anker: str = "middle") -> str:
    return f'<text x="{x}" y="{y}" text-anchor="{anker}" fill="#222">{escape(tekst)}</text>'
