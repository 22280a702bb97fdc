"""`manage.py slet_udloebne [--dry-run]`: the nightly retention job by hand, or what it would do.

Prints counts and the citizens' ids, never a name or a CPR number (the output may end up in a
terminal log or a ticket).
"""

from django.core.management.base import BaseCommand
from django.utils import formats, timezone

from databeskyttelse import sletning


class Command(BaseCommand):
    help = (
        "Anonymiserer borgere, hvis sager er lukket for mere end SLETNING_EFTER_AAR år siden, og "
        "sletter gamle notifikationer og adgangslog. --dry-run viser kun, hvad der ville ske."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis, hvad der ville blive slettet; slet intet."
        )

    def handle(self, *args, dry_run: bool, **options):
        plan = sletning.planlaeg() if dry_run else sletning.slet_udloebne()
        sagsgraense = formats.date_format(timezone.localtime(plan.sagsgraense), "d.m.Y")
        loggraense = formats.date_format(timezone.localtime(plan.adgangslog_graense), "d.m.Y")
        ider = ", ".join(str(pk) for pk in plan.borgere) or "-"
        verbum = "Ville anonymisere" if dry_run else "Anonymiserede"
        self.stdout.write(
            f"{verbum} {len(plan.borgere)} borgere (sidste aktivitet før {sagsgraense}): id {ider}"
        )
        verbum = "Ville slette" if dry_run else "Slettede"
        self.stdout.write(
            f"{verbum} {plan.notifikationer} notifikationer (før {sagsgraense}), "
            f"{plan.adgangslog} rækker i adgangsloggen (før {loggraense}) og "
            f"{plan.sessioner} udløbne login-sessioner."
        )
