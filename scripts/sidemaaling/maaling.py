"""Timing one page: server time, queries and time in SQL per request.

Every query of a request passes through `connection.execute_wrapper`, which times it; unlike
CaptureQueriesContext it needs no DEBUG cursor (DEBUG is off while measuring, as in production)
and it sees the time the driver took, not Django's bookkeeping around it.

The wrapper times `execute`. On PostgreSQL that is the whole statement: psycopg's client-side
cursor has received every row when `execute` returns. SQLite steps through the rows while they are
fetched, after `execute`, so there the SQL time is too low and the page/SQL ratio too high.
"""

import math
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection


@dataclass
class Forespoergsel:
    """One SQL statement of a page with its timings (ms) over every measured request."""

    sql: str
    params: tuple | list | dict | None
    tider: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.tider)


@dataclass
class Resultat:
    """One page's measurements: `tider` and `sql_tider` in ms, one per measured request."""

    tider: list[float] = field(default_factory=list)
    sql_tider: list[float] = field(default_factory=list)
    antal: list[int] = field(default_factory=list)
    statusser: set[int] = field(default_factory=set)
    forespoergsler: dict[str, Forespoergsel] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.tider)

    @property
    def p95(self) -> float:
        return percentil(self.tider, 95)

    @property
    def sql_median(self) -> float:
        return statistics.median(self.sql_tider)

    @property
    def queries(self) -> int:
        # The most a request needed: a count that varies between requests shows its worst.
        return max(self.antal)

    def langsomste(self, kun_select: bool = True) -> Forespoergsel | None:
        """The statement with the highest median time: the page's hot query."""
        kandidater = [f for f in self.forespoergsler.values() if not kun_select or er_select(f)]
        return max(kandidater, key=lambda f: f.median, default=None)


def er_select(f: Forespoergsel) -> bool:
    return f.sql.lstrip().upper().startswith(("SELECT", "WITH", "("))


def percentil(vaerdier: list[float], procent: int) -> float:
    """The nearest-rank percentile: with 20 requests, p95 is the 19th fastest."""
    ordnet = sorted(vaerdier)
    return ordnet[max(math.ceil(procent / 100 * len(ordnet)) - 1, 0)]


class _Tidtager:
    """An execute wrapper that keeps (sql, params, ms) of every statement while it is installed."""

    def __init__(self):
        self.kald: list[tuple[str, object, float]] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.kald.append((sql, params, (time.perf_counter() - start) * 1000))


def maal(anmod, *, gentag: int, budget_s: float | None = None) -> Resultat:
    """Call `anmod()` (one request, returning the response) once unmeasured to warm up, then
    `gentag` times measured — fewer if `gentag` requests as slow as the warm-up would take more
    than `budget_s` seconds (at least one), so a page that takes minutes cannot stall the run."""
    resultat = Resultat()
    start = time.perf_counter()
    resultat.statusser.add(anmod().status_code)
    opvarmning = time.perf_counter() - start
    if budget_s is not None and opvarmning * gentag > budget_s:
        gentag = max(1, int(budget_s / opvarmning))
    pr_sql: dict[str, list[float]] = defaultdict(list)
    for _ in range(gentag):
        tidtager = _Tidtager()
        with connection.execute_wrapper(tidtager):
            start = time.perf_counter()
            svar = anmod()
            resultat.tider.append((time.perf_counter() - start) * 1000)
        resultat.statusser.add(svar.status_code)
        resultat.antal.append(len(tidtager.kald))
        resultat.sql_tider.append(sum(ms for _sql, _params, ms in tidtager.kald))
        for sql, params, ms in tidtager.kald:
            pr_sql[sql].append(ms)
            resultat.forespoergsler.setdefault(sql, Forespoergsel(sql=sql, params=params))
            # The latest parameters: EXPLAIN replays the statement as the page last sent it.
            resultat.forespoergsler[sql].params = params
    for sql, tider in pr_sql.items():
        resultat.forespoergsler[sql].tider = tider
    return resultat
