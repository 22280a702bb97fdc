"""The page benchmark (scripts/benchmark.py) keeps working: a small-scale run in CI.

It runs as the command it is, on the test database's PostgreSQL server: it creates a database of
its own (`--skala lille`), fills it with the small scale data set, requests every page twice after a
warm-up, and compares each with its baseline. Speed is not asserted here (CI machines vary); that
every page answers, and the query counts, are.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import mangler

ROD = Path(__file__).resolve().parent.parent

# The key pages of issue 13, as the benchmark names them.
SIDER = {
    "borgerliste",
    "navnesøgning",
    "cpr-søgning",
    "borgerdetalje",
    "tidslinje",
    "mine borgere",
    "mine forløb",
    "henvisninger",
    "pladsaftaler",
    "pladsaftale",
    "aktivitet",
    "fremmøde POST",
    "forside sagsbeh.",
    "forside forløb",
    "låneportefølje",
    "portefølje XLSX",
    "dashboard (Erhvervschef)",
    "evaluering",
    "evaluering PDF",
}
# Pages with a baseline: the Django admin, or a generic view over the same rows. The files and the
# attendance tap have none; neither have the case roles' home pages and the evaluation report,
# which are made of counts and tasks rather than a list of one model's rows.
UDEN_BASIS = {
    "fremmøde POST",
    "forside sagsbeh.",
    "forside forløb",
    "portefølje XLSX",
    "evaluering",
    "evaluering PDF",
}
MAKS_QUERIES = 15
# Pages that still miss the target of 15, with the count they must not exceed. The timeline reads
# one query per kind of event (19-20, constant in the data); listed so that it cannot grow unseen.
# Remove it when it meets 15.
UNDTAGELSER = {"tidslinje": 20}


def _koer_benchmark(mappe: Path):
    """The command as CI runs it; returns the finished process and the rows it wrote as JSON."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        mangler("PostgreSQL", "sæt DATABASE_URL=postgresql://… for at køre benchmarken")
    fil = mappe / "sider.json"
    koersel = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [
            sys.executable,
            str(ROD / "scripts" / "benchmark.py"),
            *("--skala", "lille", "--gentag", "2", "--json", str(fil)),
        ],
        cwd=ROD,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return koersel, (json.loads(fil.read_text()) if fil.exists() else None)


# One test rather than three sharing a fixture: under pytest-xdist each worker would run the
# benchmark (half a minute) again for its share of the tests.
@pytest.mark.postgres
def test_benchmark_measures_every_page_and_its_baseline_at_small_scale(tmp_path):
    koersel, raekker = _koer_benchmark(tmp_path)

    # Every page and every baseline answered 200 (the script exits 1 otherwise).
    assert koersel.returncode == 0, koersel.stderr[-3000:]
    assert {r["side"] for r in raekker} == SIDER
    for r in raekker:
        assert r["statusser"] == [200], r
        if r["basis"]:
            assert r["basis_statusser"] == [200], r

    # The printed table has a row per page, and each list or detail page its baseline ratio.
    linjer = koersel.stdout.splitlines()
    for side in SIDER:
        assert any(linje.startswith(side + " ") for linje in linjer), side
    for r in raekker:
        assert r["median_ms"] > 0 and r["sql_ms"] > 0 and r["queries"] > 0, r
        if r["side"] in UDEN_BASIS:
            assert r["forhold"] is None, r
        else:
            assert r["forhold"] == pytest.approx(r["median_ms"] / r["basis_median_ms"], rel=0.05)

    # At most 15 queries a page, save the listed exceptions (and those not above their count).
    for_mange = {
        r["side"]: r["queries"]
        for r in raekker
        if r["queries"] > UNDTAGELSER.get(r["side"], MAKS_QUERIES)
    }
    assert for_mange == {}
