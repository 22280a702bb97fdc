"""The command line of `scripts/benchmark.py`."""

import argparse
import json
import logging
import os
import sys
import time
import traceback
from types import SimpleNamespace

from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client, override_settings

from mikrolaan.konti.models import Bruger

from . import planer, tabel
from .data import find_udvalg
from .maaling import maal
from .sider import Side, sider

BESKRIVELSE = """Time the key pages of issue 13 and their Django baselines in one run.

Reads the configured database (DATABASE_URL, e.g. the national data set), or with --skala
creates a throw-away test database and fills it (demo.skala; "demo" = manage.py demodata).
Each page is requested once to warm up, then --gentag times; printed are median and p95 server
time, the number of queries, the time in SQL, and the same for the page's baseline (the Django
admin for the same rows, or a generic ListView/DetailView over them), with the ratio. DEBUG is
off, and the hourly limits on searches and exports are raised for the run so that repeated
searches measure the search rather than the 429 page.
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="benchmark.py",
        description=BESKRIVELSE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--gentag", type=int, default=20, help="measured requests per page (20)")
    p.add_argument("--skala", help="create a test database filled at this scale (lille, ...)")
    p.add_argument("--seed", type=int, default=1, help="seed of the --skala data (1)")
    p.add_argument(
        "--budget",
        type=float,
        default=60,
        help="seconds per page at most: a slower page gets fewer requests, at least 1 (60)",
    )
    p.add_argument(
        "--tidsgraense",
        type=float,
        default=30,
        help="seconds a query may take (PostgreSQL statement_timeout); a page whose query takes "
        "longer answers 504 in the table (30)",
    )
    p.add_argument(
        "--uden-jit",
        action="store_true",
        help="measure with PostgreSQL's JIT off (SET jit = off for the run's session)",
    )
    p.add_argument("--side", action="append", default=[], help="only pages whose name has this")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    p.add_argument("--plaene", action="store_true", help="EXPLAIN the hot queries (PostgreSQL)")
    p.add_argument("--json", help="also write the rows as JSON to this file")
    p.add_argument(
        "--streng",
        action="store_true",
        help="exit 1 if any target is missed (always exit 1 on an answer other than 200)",
    )
    p.add_argument(
        "--streng-queries",
        action="store_true",
        help="exit 1 if a page needs more than 15 queries (the small-scale CI check)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    testdatabase = _opret_testdatabase(args.skala, args.seed) if args.skala else None
    try:
        return _koer(args)
    finally:
        if testdatabase:
            connection.creation.destroy_test_db(testdatabase, verbosity=0)


def _opret_testdatabase(skala: str, seed: int) -> str:
    if connection.vendor == "postgresql":
        # Its own name, so it never meets the test database of a pytest run on the same server.
        navn = f"benchmark_{connection.settings_dict['NAME']}_{os.getpid()}"
        connection.settings_dict["TEST"]["NAME"] = navn
    start = time.perf_counter()
    navn = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    _log(f"Test database {navn} migrated in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    if skala == "demo":
        from demo.data import opret_demodata

        opret_demodata()
    else:
        from demo.skala import SKALAER, opret_skaladata

        opret_skaladata(SKALAER[skala], seed=seed)
    _log(f"Filled at scale {skala!r} (seed {seed}) in {time.perf_counter() - start:.1f} s")
    return navn


def _indstillinger() -> dict:
    return {
        "ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, "testserver"],
        # The baselines' URLs in front of the project's (sidemaaling.basis).
        "ROOT_URLCONF": "sidemaaling.basis",
        # Raised for the run: 20 searches a page would otherwise meet the limit and time the
        # 429 page. The limit is still counted (a cache increment per search), as in production.
        "HASTIGHEDSGRAENSER": dict.fromkeys(settings.HASTIGHEDSGRAENSER, 10**9),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def _anmod(klient: Client, url: str, side: Side | None = None):
    ekstra = {"HTTP_HX_REQUEST": "true"} if side and side.htmx else {}
    try:
        if side and side.metode == "post":
            svar = klient.post(url, side.data or {}, **ekstra)
        else:
            svar = klient.get(url, **ekstra)
    except OperationalError as fejl:
        if "statement timeout" not in str(fejl):
            raise
        return _TIDSGRAENSE
    except Exception:  # noqa: BLE001 (a page that fails is a row with status 500, not the end)
        _log(f"{url}:\n{traceback.format_exc()}")
        return _FEJL
    if svar.streaming:
        # A streamed file is made while it is read: read it inside the timing.
        b"".join(svar.streaming_content)
    return svar


# What a page that hit the statement timeout counts as: a gateway's 504.
_TIDSGRAENSE = SimpleNamespace(status_code=504, streaming=False)
_FEJL = SimpleNamespace(status_code=500, streaming=False)


def _koer(args) -> int:
    with override_settings(**_indstillinger()):
        udvalg = find_udvalg()
        valgte = [s for s in sider(udvalg) if not args.side or any(d in s.navn for d in args.side)]
        klienter = {}
        for navn, bruger in udvalg.brugere.items():
            klienter[navn] = Client()
            klienter[navn].force_login(bruger)
        _log(_beskriv_udvalg(udvalg))
        _log(_saet_sessionen(args))
        # A page that fails is a row of the table (504 or 500, with our own traceback for a
        # 500), not the request logger's traceback for each of its requests.
        logging.getLogger("django.request").setLevel(logging.CRITICAL)
        _log(f"Database {connection.settings_dict['NAME']} ({connection.vendor}), {args.gentag}×")
        raekker = []
        for side in valgte:
            klient = klienter[side.bruger]
            resultat = maal(
                lambda s=side, k=klient: _anmod(k, s.url, s),
                gentag=args.gentag,
                budget_s=args.budget,
            )
            basis = None
            if side.basis:
                bklient = klienter[side.basis.bruger]
                basis = maal(
                    lambda s=side, k=bklient: _anmod(k, s.basis.url),
                    gentag=args.gentag,
                    budget_s=args.budget,
                )
            raekker.append(tabel.Raekke(side, resultat, basis))
            _log(f"  {side.navn}: {resultat.median:.1f} ms, {resultat.queries} queries")
        for klient in klienter.values():
            klient.logout()  # the run's sessions go with it
        print(tabel.tabel(raekker, markdown=args.markdown))
        print()
        print(tabel.MAAL)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as fil:
                json.dump([r.som_dict() for r in raekker], fil, ensure_ascii=False, indent=2)
        if args.plaene:
            _plaene(raekker)
    return _udgang(raekker, args)


def _saet_sessionen(args) -> str:
    """For the rest of the database session: a page whose query takes minutes at national scale
    is reported as too slow (504) rather than holding up the run, and the database, for its 21
    requests; with --uden-jit, PostgreSQL's JIT is off. Returns a line saying what is in force."""
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false)",
            [f"{int(args.tidsgraense * 1000)}ms"],
        )
        if args.uden_jit:
            # JIT compiles the stage-annotated lists' plans (their correlated subqueries pass
            # jit_above_cost) for 1-4.5 s a query: measured both ways to show what it costs.
            cursor.execute("SELECT set_config('jit', 'off', false)")
        cursor.execute("SELECT current_setting('jit'), current_setting('statement_timeout')")
        jit, tidsgraense = cursor.fetchone()
    return f"PostgreSQL: jit={jit}, statement_timeout={tidsgraense}"


def _plaene(raekker: list[tabel.Raekke]) -> None:
    if connection.vendor != "postgresql":
        print("\n--plaene needs PostgreSQL.")
        return
    print("\n## Plans of the hot queries\n")
    for raekke in raekker:
        hovedplan, andre = planer.planer(raekke.resultat)
        print(planer.beskriv(raekke.side.navn, hovedplan, andre))
        print()


def _udgang(raekker: list[tabel.Raekke], args) -> int:
    kode = 0
    for r in raekker:
        mangler = r.mangler()
        if any(m.startswith("status") for m in mangler):
            basis = sorted(r.basis.statusser) if r.basis else "–"
            _log(f"FEJL: {r.side.navn} answered {sorted(r.resultat.statusser)}, baseline {basis}")
            kode = 1
        if args.streng and mangler:
            kode = 1
        if args.streng_queries and "queries" in mangler:
            kode = 1
    return kode


def _beskriv_udvalg(u) -> str:
    antal = {
        "borgere": _anslaa("borgere_borger"),
        "forløb": _anslaa("forloeb_forloeb"),
        "deltagelser": _anslaa("forloeb_deltagelse"),
        "notifikationer": _anslaa("notifikationer_notifikation"),
    }
    return (
        f"Rows (estimate): {antal}; citizen {u.borger.pk}, session {u.aktivitet.pk} "
        f"({u.antal_deltagere} participants), place agreement {u.pladsaftale.pk}; "
        f"users: {', '.join(sorted(u.brugere))} ({Bruger.objects.count()} in all)"
    )


def _anslaa(tabelnavn: str) -> int | str:
    if connection.vendor != "postgresql":
        return "?"
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [tabelnavn])
        raekke = cursor.fetchone()
    return raekke[0] if raekke else "?"


def _log(tekst: str) -> None:
    print(tekst, file=sys.stderr, flush=True)
