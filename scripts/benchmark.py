"""Time the busiest pages with many rows: `python scripts/benchmark.py --borgere 2000`.

Speed is measured here, not asserted in tests (the tests pin query counts instead). The script
creates a throw-away test database (SQLite, or PostgreSQL with DATABASE_URL), fills it through
the factories and the intake services, and prints the median time and the query count per page.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mikrolaan.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--borgere", type=int, default=1000, help="citizens to create")
    parser.add_argument("--gentag", type=int, default=20, help="requests per page")
    args = parser.parse_args()

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    navn = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from mikrolaan.konti.models import Organisation, Rolle
        from tests.byg.fabrikker import BorgerFactory, BrugerFactory, OrganisationFactory
        from tests.byg.sager import lav_pladsaftale, optag
        from tests.conftest import genskab_grunddata

        genskab_grunddata()
        jobcenter = OrganisationFactory(
            navn="Jobcenter Vallensbæk", type=Organisation.Type.JOBCENTER
        )
        naestved = OrganisationFactory(navn="Næstved Kommune")
        ishoej = OrganisationFactory(navn="Ishøj Kommune")
        sagsbehandler = BrugerFactory(organisation=jobcenter, rolle=Rolle.SAGSBEHANDLER)
        forloeb = BrugerFactory(organisation=naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
        erhvervschef = BrugerFactory(organisation=ishoej, rolle=Rolle.ERHVERVSCHEF)

        class Pilot:  # the shape tests.byg.sager expects
            pass

        pilot = Pilot()
        pilot.jobcenter, pilot.naestved, pilot.ishoej = jobcenter, naestved, ishoej
        pilot.sagsbehandler, pilot.forloebsmedarbejder = sagsbehandler, forloeb
        pilot.erhvervschef = erhvervschef

        start = time.perf_counter()
        BorgerFactory.create_batch(args.borgere, jobcenter=jobcenter, oprettet_af=sagsbehandler)
        aftale = lav_pladsaftale(pilot, antal_pladser=50)
        for _ in range(60):  # 50 admitted, 10 on the waiting list
            optag(pilot, aftale)
        print(f"Data: {args.borgere} borgere + 60 forløb på {time.perf_counter() - start:.1f} s")

        klient = Client()
        klient.force_login(sagsbehandler)
        borger = BorgerFactory(jobcenter=jobcenter, oprettet_af=sagsbehandler)
        sider = {
            "borgerliste": reverse("borgere:liste"),
            "borgerdetalje": reverse("borgere:detalje", args=[borger.pk]),
            "henvisninger": reverse("visitation:henvisninger"),
            "pladsaftale": reverse("visitation:pladsaftale", args=[aftale.pk]),
        }
        # The setup filled the capped query log; counting needs an empty one.
        connection.queries_log.clear()
        print(f"{'side':<16}{'median ms':>10}{'queries':>9}")
        for navn_, url in sider.items():
            tider = []
            for _ in range(args.gentag):
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    svar = klient.get(url)
                    tider.append((time.perf_counter() - t0) * 1000)
                if svar.status_code != 200:
                    raise SystemExit(f"{url} svarede {svar.status_code}")
            print(f"{navn_:<16}{statistics.median(tider):>10.1f}{len(queries):>9}")
        t0 = time.perf_counter()
        for _ in range(args.gentag):
            svar = klient.post(reverse("borgere:liste"), {"q": "ander"})
        soeg = (time.perf_counter() - t0) * 1000 / args.gentag
        print(f"{'navnesøgning':<16}{soeg:>10.1f}")
    finally:
        connection.creation.destroy_test_db(navn, verbosity=0)


if __name__ == "__main__":
    main()
