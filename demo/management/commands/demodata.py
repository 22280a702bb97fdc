import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import BRUGERE, DEMO_ADGANGSKODE, opret_demodata
from demo.skala import SKALAER, BorgereFindesError, opret_skaladata
from demo.skala.organisationer import (
    LAST_ERHVERVSCHEFER,
    LAST_FORLOEB,
    LAST_SAGSBEHANDLERE,
    PILOT_JOBCENTER,
    PILOT_KOEBER,
    PILOT_LEVERANDOER,
)


class Command(BaseCommand):
    help = (
        "Opretter demodata (organisationer, en bruger pr. rolle, borgere). Kan køres flere gange. "
        "Med --skala lille|national: skaladata til målinger (issue 13) i en tom, migreret database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skala",
            choices=sorted(SKALAER),
            help="Skaladata i stedet for demodata: 'lille' (ca. 300 borgere, sekunder) eller "
            "'national' (100.000 borgere, 2 mio. deltagelser, minutter). Kun i en database "
            "uden borgere.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Samme seed giver samme data.")
        parser.add_argument(
            "--borgere", type=int, help="Antal borgere (resten skaleres med); kræver --skala."
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demodata med kendte adgangskoder må ikke oprettes i produktion.")
        if options["skala"] is None:
            if options["borgere"] is not None:
                raise CommandError("--borgere kræver --skala.")
            brugere = opret_demodata()
            self.stdout.write(f"Demo-logins (adgangskode for alle: {DEMO_ADGANGSKODE}):")
            for demo in brugere:
                self.stdout.write(
                    f"  {demo.brugernavn:<15} {demo.rolle.label:<20} {demo.organisation}"
                )
            return
        self._skala(options)

    def _skala(self, options):
        skala = SKALAER[options["skala"]]
        if options["borgere"] is not None:
            if options["borgere"] < 10:
                raise CommandError("--borgere skal være mindst 10.")
            skala = skala.med_borgere(options["borgere"])
        start = time.monotonic()
        try:
            antal = opret_skaladata(skala, seed=options["seed"], fremskridt=self._bjaelke())
        except BorgereFindesError as fejl:
            raise CommandError(str(fejl)) from None
        self.stdout.write("")
        self.stdout.write(f"Skaladata '{skala.navn}' oprettet på {time.monotonic() - start:.0f} s:")
        for tabel, n in antal.items():
            self.stdout.write(f"  {tabel:<35} {n:>10,}".replace(",", "."))
        self.stdout.write(f"Logins (adgangskode for alle: {DEMO_ADGANGSKODE}):")
        for demo in BRUGERE:
            self.stdout.write(f"  {demo.brugernavn:<15} {demo.rolle.label:<20} {demo.organisation}")
        self.stdout.write(
            f"  last-sagsbehandler-1..{LAST_SAGSBEHANDLERE} ({PILOT_JOBCENTER}), "
            f"last-forloeb-1..{LAST_FORLOEB} ({PILOT_LEVERANDOER}), "
            f"last-erhvervschef-1..{LAST_ERHVERVSCHEFER} ({PILOT_KOEBER})"
        )

    def _bjaelke(self):
        """A carriage-return progress bar on a terminal; one line per step otherwise."""
        terminal = getattr(self.stdout, "isatty", lambda: False)() or sys.stdout.isatty()
        start = time.monotonic()
        sidste = {"trin": None}

        def vis(trin: str, andel: float) -> None:
            if terminal:
                fyldt = int(30 * andel)
                self.stdout.write(
                    f"\r[{'#' * fyldt}{'.' * (30 - fyldt)}] {andel:4.0%} "
                    f"{time.monotonic() - start:5.0f} s  {trin:<28}",
                    ending="",
                )
                self.stdout.flush()
            elif trin != sidste["trin"]:
                self.stdout.write(f"{andel:4.0%} {time.monotonic() - start:5.0f} s  {trin}")
            sidste["trin"] = trin

        return vis
