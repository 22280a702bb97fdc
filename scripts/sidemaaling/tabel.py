"""The targets of issue 13 and the table that shows which pages meet them."""

from dataclasses import dataclass

from .maaling import Resultat
from .sider import LISTE, Side

P95_MS = 100
P95_PDF_MS = 5000
MAKS_QUERIES = 15
SQL_FAKTOR = 3


@dataclass
class Raekke:
    side: Side
    resultat: Resultat
    basis: Resultat | None

    @property
    def forhold(self) -> float | None:
        return self.resultat.median / self.basis.median if self.basis else None

    @property
    def sql_forhold(self) -> float:
        return self.resultat.median / max(self.resultat.sql_median, 0.001)

    def mangler(self) -> list[str]:
        """The targets this page misses, by short name."""
        r = self.resultat
        mangler = []
        if r.statusser != {200} or (self.basis and self.basis.statusser != {200}):
            mangler.append("status " + ",".join(map(str, sorted(r.statusser))))
        if r.p95 >= (P95_PDF_MS if self.side.pdf else P95_MS):
            mangler.append("p95")
        if r.queries > MAKS_QUERIES:
            mangler.append("queries")
        # "No slower than its baseline" is a target for list pages; other rows show the ratio.
        if self.side.art == LISTE and self.forhold is not None and self.forhold > 1:
            mangler.append("basis")
        # The PDF's time is its layout (WeasyPrint), bounded by its own 5 s target instead.
        if self.sql_forhold > SQL_FAKTOR and not self.side.pdf:
            mangler.append("side>3×SQL")
        return mangler

    def som_dict(self) -> dict:
        r, b = self.resultat, self.basis
        return {
            "side": self.side.navn,
            "bruger": self.side.bruger,
            "statusser": sorted(r.statusser),
            "n": len(r.tider),
            "median_ms": round(r.median, 1),
            "p95_ms": round(r.p95, 1),
            "queries": r.queries,
            "sql_ms": round(r.sql_median, 1),
            "side_sql": round(self.sql_forhold, 1),
            "basis": self.side.basis.titel if self.side.basis else None,
            "basis_statusser": sorted(b.statusser) if b else None,
            "basis_median_ms": round(b.median, 1) if b else None,
            "basis_queries": b.queries if b else None,
            "forhold": round(self.forhold, 2) if self.forhold is not None else None,
            "mangler": self.mangler(),
        }


KOLONNER = [
    ("side", "side", "<"),
    ("bruger", "bruger", "<"),
    ("n", "n", ">"),
    ("median ms", "median_ms", ">"),
    ("p95 ms", "p95_ms", ">"),
    ("queries", "queries", ">"),
    ("SQL ms", "sql_ms", ">"),
    ("side/SQL", "side_sql", ">"),
    ("basislinje", "basis", "<"),
    ("basis ms", "basis_median_ms", ">"),
    ("basis q", "basis_queries", ">"),
    ("side/basis", "forhold", ">"),
    ("mangler", "mangler", "<"),
]


def _celle(vaerdi) -> str:
    if vaerdi is None:
        return "–"
    if isinstance(vaerdi, list):
        return ", ".join(vaerdi) or "ok"
    return str(vaerdi)


def tabel(raekker: list[Raekke], *, markdown: bool = False) -> str:
    data = [[_celle(r.som_dict()[noegle]) for _titel, noegle, _j in KOLONNER] for r in raekker]
    titler = [titel for titel, _noegle, _j in KOLONNER]
    if markdown:
        justering = ["---:" if j == ">" else "---" for _t, _n, j in KOLONNER]
        linjer = [titler, justering, *data]
        return "\n".join("| " + " | ".join(linje) + " |" for linje in linjer)
    bredder = [max(len(linje[i]) for linje in [titler, *data]) for i in range(len(titler))]
    justeringer = [j for _t, _n, j in KOLONNER]

    def linje(celler):
        return "  ".join(
            f"{c:{j}{b}}" for c, j, b in zip(celler, justeringer, bredder, strict=True)
        ).rstrip()

    return "\n".join([linje(titler), linje(["-" * b for b in bredder]), *map(linje, data)])


MAAL = (
    f"Targets: p95 < {P95_MS} ms (PDF < {P95_PDF_MS // 1000} s), ≤ {MAKS_QUERIES} queries, "
    f"list pages no slower than their baseline (median), page time ≤ {SQL_FAKTOR}× SQL time "
    "(not the PDF)."
)
