"""Query plans of the pages' hot queries (PostgreSQL): `--plaene`.

Each page's slowest SELECT is replayed with EXPLAIN (ANALYZE, BUFFERS) as the page last sent it;
every other SELECT of the page gets a plain EXPLAIN (no execution), so a sequential scan of a
large table is found in any query, not only the slowest. "Large" is pg_class.reltuples above
10,000: at the national scale every case table is, and a scan of it grows with the data.

ANALYZE executes the statement, so each runs in a transaction that is rolled back.
"""

import re
from dataclasses import dataclass

from django.db import OperationalError, connection, transaction

from .maaling import Forespoergsel, Resultat, er_select

STOR_TABEL = 10_000
MAKS_LINJER = 60
_SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


@dataclass
class Plan:
    forespoergsel: Forespoergsel
    linjer: list[str]
    seq_scans: list[tuple[str, int]]  # (table, estimated rows) of the large tables scanned


def _explain(sql: str, params, *, analyser: bool) -> list[str]:
    valg = "ANALYZE, BUFFERS" if analyser else "COSTS"
    with transaction.atomic(), connection.cursor() as cursor:
        # The statement is Django's own, replayed with its own parameters.
        cursor.execute(f"EXPLAIN ({valg}) {sql}", params)  # noqa: S608
        linjer = [raekke[0] for raekke in cursor.fetchall()]
        transaction.set_rollback(True)
    return linjer


def _explain_eller_fejl(f: Forespoergsel) -> list[str]:
    try:
        return _explain(f.sql, f.params, analyser=False)
    except OperationalError as fejl:
        return [f"(EXPLAIN failed: {fejl})"]


def _store_tabeller(navne: set[str]) -> dict[str, int]:
    if not navne:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class"
            " WHERE relkind = 'r' AND relname = ANY(%s)",
            [sorted(navne)],
        )
        return {navn: antal for navn, antal in cursor.fetchall() if antal > STOR_TABEL}


def _seq_scans(linjer: list[str]) -> list[tuple[str, int]]:
    tabeller = {m.group(1) for linje in linjer for m in _SEQ_SCAN.finditer(linje)}
    return sorted(_store_tabeller(tabeller).items())


def planer(resultat: Resultat) -> tuple[Plan | None, list[Plan]]:
    """The slowest SELECT's analysed plan, and the other SELECTs that scan a large table."""
    langsomste = resultat.langsomste()
    hovedplan = None
    if langsomste is not None:
        try:
            linjer = _explain(langsomste.sql, langsomste.params, analyser=True)
        except OperationalError as fejl:
            # Slower than the statement timeout: the planner's estimate is what there is.
            linjer = [f"(EXPLAIN ANALYZE failed: {fejl}; the plan without execution:)"]
            linjer += _explain_eller_fejl(langsomste)
        hovedplan = Plan(langsomste, linjer, _seq_scans(linjer))
    andre = []
    for f in resultat.forespoergsler.values():
        if f is langsomste or not er_select(f):
            continue
        linjer = _explain_eller_fejl(f)
        if scans := _seq_scans(linjer):
            andre.append(Plan(f, linjer, scans))
    return hovedplan, andre


def _kort_sql(sql: str, laengde: int = 400) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= laengde else sql[: laengde - 1] + "…"


def beskriv(side: str, hovedplan: Plan | None, andre: list[Plan]) -> str:
    """The plans of one page as text: the slowest query's in full, the others' scans."""
    linjer = [f"### {side}"]
    if hovedplan is None:
        return "\n".join([*linjer, "(no SELECT)"])
    f = hovedplan.forespoergsel
    linjer += [
        f"Slowest query: median {f.median:.1f} ms, {len(f.tider)} run(s)",
        f"SQL: {_kort_sql(f.sql)}",
    ]
    if hovedplan.seq_scans:
        linjer.append("SEQ SCAN of a large table: " + _scans(hovedplan.seq_scans))
    plan = hovedplan.linjer
    if len(plan) > MAKS_LINJER:
        # The top of the plan and its last lines (planning and execution time).
        udeladt = len(plan) - MAKS_LINJER
        plan = [*plan[: MAKS_LINJER - 3], f"… ({udeladt} more lines)", *plan[-3:]]
    linjer += ["```", *plan, "```"]
    for plan in andre:
        linjer.append(
            f"Also SEQ SCAN ({_scans(plan.seq_scans)}) in a {plan.forespoergsel.median:.1f} ms "
            f"query: {_kort_sql(plan.forespoergsel.sql, 200)}"
        )
    return "\n".join(linjer)


def _scans(scans: list[tuple[str, int]]) -> str:
    return ", ".join(f"{tabel} (~{antal:,} rows)" for tabel, antal in scans)
