"""`manage.py tildel_rettigheder mikrolaan_app`: run as the owner role after `migrate`."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from mikrolaan.revision import roller


class Command(BaseCommand):
    help = (
        "Giver applikationens databaserolle de rettigheder, den skal bruge: alt på sagstabellerne, "
        "kun INSERT og SELECT på revisionssporet. Køres som tabellernes ejer efter migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("rolle", help="Applikationens databaserolle, fx mikrolaan_app.")

    def handle(self, *args, rolle: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Databaseroller findes kun på PostgreSQL.")
        try:
            saetninger = roller.tildel(rolle=rolle)
        except roller.RolleFejl as fejl:
            raise CommandError(str(fejl)) from None
        for saetning in saetninger:
            self.stdout.write(saetning)
        self.stdout.write(self.style.SUCCESS(f"Rettighederne til {rolle} er på plads."))
