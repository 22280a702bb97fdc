"""Load test: gunicorn, a Celery worker and locust on loopback, bounded in time.

    python scripts/lasttest.py --brugere 50 --tid 60s --redis-url redis://127.0.0.1:6379/8 \\
        --database-url postgresql://postgres@127.0.0.1:5432/mikrolaan_national

Starts gunicorn (development profile with DEBUG off: plain HTTP on 127.0.0.1, a free port) and one
Celery worker against the given database and Redis, waits for /healthz, runs locust headless with
scripts/locustfile.py (the three roles' daily work), stops everything, and prints per page the
requests, failures and the 50th, 95th and 99th percentile in ms. Exits 1 if any request failed.

The users are the national data set's `last-sagsbehandler-1..20`, `last-forloeb-1..20` and
`last-erhvervschef-1..10` when the database has them, otherwise the demo users (`manage.py
demodata`). The per-user hourly limits and the login lockout are set out of reach for the run:
50 simulated users searching every few seconds are far beyond a person's hour. The attendance taps
write to the database (and every page view to the access log), as the real work does.

Each SQL statement is bounded by gunicorn's 30 s, and at the end every user finishes its task:
a page too slow for the load fails in the run rather than being cut off uncounted. The machine's
load and the CPU seconds our processes got are printed with the table: on a shared machine the
percentiles are mostly waiting for a CPU.
"""

import argparse
import contextlib
import csv
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
BIN = Path(sys.executable).parent
UDE_AF_RAEKKEVIDDE = "1000000"
# gunicorn's worker timeout (its default): a query may not outlive the request that asked for it.
SQL_GRAENSE_MS = 30_000


def fri_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def miljoe(*, database_url: str, redis_url: str, data_dir: Path, port: int) -> dict[str, str]:
    """The servers' environment: the development profile (plain HTTP cookies) with DEBUG off."""
    return os.environ | {
        "DJANGO_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "mikrolaan.settings",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DATA_DIR": str(data_dir),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "KRAEV_TOFAKTOR": "false",
        # A queue of the run's own: a worker elsewhere on the same Redis takes none of its tasks.
        "CELERY_KOE": f"lasttest-{port}",
        "LOG_LEVEL": "WARNING",
        # A person's hourly limits would stop 50 simulated users within minutes.
        "GRAENSE_SOEGNINGER_PR_TIME": UDE_AF_RAEKKEVIDDE,
        "GRAENSE_VIS_CPR_PR_TIME": UDE_AF_RAEKKEVIDDE,
        "GRAENSE_EKSPORTER_PR_TIME": UDE_AF_RAEKKEVIDDE,
        "AXES_FAILURE_LIMIT": UDE_AF_RAEKKEVIDDE,
    }


def maerket_database_url(database_url: str, navn: str) -> str:
    """The URL with our connections named (to find what is left of them afterwards) and each
    statement bounded, so a slow page fails within the run instead of outliving it."""
    dele = urllib.parse.urlsplit(database_url)
    parametre = urllib.parse.parse_qsl(dele.query) + [
        ("application_name", navn),
        ("options", f"-c statement_timeout={SQL_GRAENSE_MS}"),
    ]
    return dele._replace(query=urllib.parse.urlencode(parametre)).geturl()


def afbryd_efterladte(database_url: str, navn: str) -> int:
    """Cancel what our killed servers' connections still run: PostgreSQL carries on with a
    query whose client has gone until it next writes to it, on a database others use too."""
    with psycopg.connect(database_url, autocommit=True) as forbindelse:
        raekker = forbindelse.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = %s AND state = 'active'",
            [navn],
        ).fetchall()
    return len(raekker)


def logins(env: dict[str, str]) -> str:
    """'last' if the database has the national data set's load-test users, else 'demo'."""
    svar = subprocess.run(  # noqa: S603 - our own manage.py
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from mikrolaan.konti.models import Bruger; "
            "print(Bruger.objects.filter(username='last-sagsbehandler-1').exists())",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return "last" if svar.stdout.strip().endswith("True") else "demo"


def start(kommando: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a server in a process group of its own, so stopping it stops its children too."""
    with log.open("wb") as ud:
        return subprocess.Popen(  # noqa: S603 - our own servers
            kommando, cwd=REPO, env=env, stdout=ud, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(proces: subprocess.Popen) -> None:
    if proces.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proces.pid, signal.SIGTERM)
    try:
        proces.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proces.pid, signal.SIGKILL)
        proces.wait(timeout=10)


def vent_paa_healthz(url: str, processer: dict[str, subprocess.Popen], logs: Path) -> None:
    frist = time.monotonic() + 90
    while time.monotonic() < frist:
        for navn, proces in processer.items():
            if proces.poll() is not None:
                log = (logs / f"{navn}.log").read_text(errors="replace")
                raise SystemExit(f"{navn} stopped before the test began:\n{log[-3000:]}")
        # S310: our own loopback URL.
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as svar:  # noqa: S310
            if svar.status == 200:
                return
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer 200 within 90 s")


def cpu_sekunder() -> float:
    """User and system CPU of every finished, waited-for descendant (a server's workers too)."""
    forbrug = resource.getrusage(resource.RUSAGE_CHILDREN)
    return forbrug.ru_utime + forbrug.ru_stime


def laes_statistik(sti: Path) -> list[dict[str, str]]:
    """locust's `<prefix>_stats.csv`: one row per request name, then 'Aggregated'."""
    with sti.open(newline="", encoding="utf-8") as fil:
        return list(csv.DictReader(fil))


def tabel(raekker: list[dict[str, str]]) -> str:
    """A Markdown table: page, requests, failures, p50, p95, p99 (ms, as locust rounds them)."""
    linjer = [
        "| Page | Requests | Failures | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in raekker:
        navn = "**Total**" if r["Name"] == "Aggregated" else r["Name"]
        metode = f"{r['Type']} " if r["Type"] and r["Name"] != "Aggregated" else ""
        linjer.append(
            f"| {metode}{navn} | {r['Request Count']} | {r['Failure Count']} "
            f"| {r['50%']} | {r['95%']} | {r['99%']} |"
        )
    return "\n".join(linjer)


def fejl_i_alt(raekker: list[dict[str, str]]) -> int:
    return sum(int(r["Failure Count"]) for r in raekker if r["Name"] != "Aggregated")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--brugere", type=int, default=50, help="simulated users")
    parser.add_argument("--tid", default="60s", help="how long locust runs (locust's -t)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument(
        "--taenketid", default="1-3", help="seconds each user waits between tasks, min-max"
    )
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    parser.add_argument(
        "--logins",
        choices=["auto", "last", "demo"],
        default="auto",
        help="last-<rolle>-<n> users, the demo users, or whichever the database has",
    )
    parser.add_argument("--ud", type=Path, help="keep locust's CSV files and the logs here")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url (or DATABASE_URL) must be a PostgreSQL URL")

    ud = args.ud or Path(tempfile.mkdtemp(prefix="lasttest-"))
    ud.mkdir(parents=True, exist_ok=True)
    port = fri_port()
    host = f"http://127.0.0.1:{port}"
    forbindelser = f"lasttest-{port}"
    env = miljoe(
        database_url=maerket_database_url(args.database_url, forbindelser),
        redis_url=args.redis_url,
        data_dir=ud / "data",
        port=port,
    )
    env["LASTTEST_LOGINS"] = logins(env) if args.logins == "auto" else args.logins
    env["LASTTEST_TAENKETID"] = args.taenketid
    print(
        f"gunicorn {args.workers} workers on {host}, 1 Celery worker, "
        f"{args.brugere} users for {args.tid}, {args.taenketid} s between tasks "
        f"({env['LASTTEST_LOGINS']} logins); files in {ud}",
        flush=True,
    )

    processer: dict[str, subprocess.Popen] = {}
    cpu: dict[str, float] = {}
    belastning_foer, sidst = os.getloadavg()[0], cpu_sekunder()
    try:
        processer["gunicorn"] = start(
            [
                str(BIN / "gunicorn"),
                "mikrolaan.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
            ],
            env,
            ud / "gunicorn.log",
        )
        processer["celery"] = start(
            [
                str(BIN / "celery"),
                "-A",
                "mikrolaan",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=WARNING",
                "--hostname",
                f"lasttest-{port}@%h",
            ],
            env,
            ud / "celery.log",
        )
        vent_paa_healthz(f"{host}/healthz", processer, ud)
        processer["locust"] = start(
            [
                str(BIN / "locust"),
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "-u",
                str(args.brugere),
                "-r",
                str(args.spawn_rate),
                "-t",
                args.tid,
                # At the end each user finishes its task: a request still waiting then is
                # answered or fails on the time limits above instead of going uncounted.
                "--stop-timeout",
                str(SQL_GRAENSE_MS // 1000 + 10),
                "--host",
                host,
                "--csv",
                str(ud / "locust"),
                "--only-summary",
            ],
            env,
            ud / "locust.log",
        )
        # locust stops itself after --tid; the wait's own bound only catches a hung run.
        processer["locust"].wait(timeout=locust_sekunder(args.tid) + 180)
    finally:
        belastning_efter = os.getloadavg()[0]
        for navn, proces in reversed(processer.items()):
            stop(proces)
            cpu[navn], sidst = cpu_sekunder() - sidst, cpu_sekunder()
        if afbrudt := afbryd_efterladte(args.database_url, forbindelser):
            print(f"Cancelled {afbrudt} queries still running after the servers stopped.")

    if not (ud / "locust_stats.csv").exists():
        print((ud / "locust.log").read_text(errors="replace")[-3000:], file=sys.stderr)
        raise SystemExit(f"locust wrote no statistics; logs in {ud}")
    raekker = laes_statistik(ud / "locust_stats.csv")
    print(tabel(raekker))
    # The machine is shared: what our processes used, and how busy it was, beside the times.
    # CPU per request does not depend on how long a request waited for a CPU (SQL not included:
    # PostgreSQL's processes are not ours).
    antal = sum(int(r["Request Count"]) for r in raekker if r["Name"] != "Aggregated")
    print(
        f"\nCPU seconds: {', '.join(f'{navn} {sek:.0f}' for navn, sek in cpu.items())} "
        f"in a {args.tid} run on {os.cpu_count()} cores (gunicorn "
        f"{1000 * cpu.get('gunicorn', 0) / max(antal, 1):.0f} ms per request); "
        f"load average (1 min) {belastning_foer:.1f} before, {belastning_efter:.1f} at the end"
    )
    fejl = fejl_i_alt(raekker)
    if fejl:
        print(f"\n{fejl} requests failed:", file=sys.stderr)
        print((ud / "locust_failures.csv").read_text(), file=sys.stderr)
        return 1
    if not args.ud:
        shutil.rmtree(ud, ignore_errors=True)
    return 0


def locust_sekunder(tid: str) -> int:
    """locust's -t as seconds: '60s', '2m', '1h30m' or a bare number of seconds."""
    if tid.isdigit():
        return int(tid)
    sekunder, tal = 0, ""
    for tegn in tid:
        if tegn.isdigit():
            tal += tegn
        else:
            sekunder += int(tal) * {"h": 3600, "m": 60, "s": 1}[tegn]
            tal = ""
    return sekunder


if __name__ == "__main__":
    sys.exit(main())
