"""Make a user a superuser, or stop it: the only way to, since the admin shows the flag read-only.

A superuser passes every permission check, so this needs shell access to the server, a reason,
and leaves an access-log row and a notification to every administrator (`rolleaendringer`).
"""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mikrolaan.konti.models import Bruger
from mikrolaan.konti.rolleaendringer import adgangsbillede, registrer_adgangsaendring

MINDSTE_BEGRUNDELSE = 10


class Command(BaseCommand):
    help = "Gør en bruger til superbruger (eller fjerner det med --fjern). Ændringen logges."

    def add_arguments(self, parser):
        parser.add_argument("brugernavn")
        parser.add_argument(
            "--fjern", action="store_true", help="Fjern superbrugerstatus i stedet for at give den."
        )
        parser.add_argument(
            "--begrundelse", required=True, help="Hvorfor ændringen laves. Gemmes i adgangsloggen."
        )

    def handle(self, *args, brugernavn, fjern, begrundelse, **options):
        begrundelse = begrundelse.strip()
        if len(begrundelse) < MINDSTE_BEGRUNDELSE:
            raise CommandError(f"Begrundelsen skal være på mindst {MINDSTE_BEGRUNDELSE} tegn.")
        with transaction.atomic():
            bruger = Bruger.objects.select_for_update().filter(username=brugernavn).first()
            if bruger is None:
                raise CommandError(f"Der findes ingen bruger med brugernavnet »{brugernavn}«.")
            foer = adgangsbillede(bruger)
            if bruger.is_superuser != fjern:
                tilstand = "ikke superbruger" if fjern else "allerede superbruger"
                self.stdout.write(f"{brugernavn} er {tilstand}; intet ændret.")
                return
            bruger.is_superuser = not fjern
            bruger.save(update_fields=["is_superuser"])
            registrer_adgangsaendring(
                bruger=bruger,
                foer=foer,
                udfoert_af=None,
                kilde=f"manage.py saet_superbruger (systembruger {getpass.getuser()})",
                begrundelse=begrundelse,
            )
        handling = "er ikke længere superbruger" if fjern else "er nu superbruger"
        self.stdout.write(self.style.SUCCESS(f"{brugernavn} {handling}. Ændringen er logget."))
