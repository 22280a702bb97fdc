from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import DEMO_ADGANGSKODE, opret_demodata


class Command(BaseCommand):
    help = (
        "Opretter demodata (organisationer, en bruger pr. rolle, borgere). Kan køres flere gange."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demodata med kendte adgangskoder må ikke oprettes i produktion.")
        brugere = opret_demodata()
        self.stdout.write(f"Demo-logins (adgangskode for alle: {DEMO_ADGANGSKODE}):")
        for demo in brugere:
            self.stdout.write(f"  {demo.brugernavn:<15} {demo.rolle.label:<20} {demo.organisation}")
