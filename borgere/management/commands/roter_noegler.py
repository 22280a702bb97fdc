"""Re-encrypt CPR numbers and documents under the newest key in CPR_ENCRYPTION_KEYS.

Safe to stop and start again: what is already under the newest key is skipped. With
--genindekser the blind index is recomputed under the current CPR_INDEX_KEY (after that key is
changed; see borgere/cpr.py). The output counts rows, never shows a CPR number.
"""

import argparse

from django.core.management.base import BaseCommand

from borgere import noegler


def _positivt_tal(vaerdi: str) -> int:
    try:
        tal = int(vaerdi)
    except ValueError:
        tal = 0
    if tal < 1:
        raise argparse.ArgumentTypeError("skal være et helt tal på mindst 1")
    return tal


class Command(BaseCommand):
    help = (
        "Genkrypterer CPR-numre og dokumenter med den nyeste nøgle i CPR_ENCRYPTION_KEYS, i "
        "portioner. Kan afbrydes og startes igen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=_positivt_tal, default=500, help="Rækker pr. transaktion (standard 500)"
        )
        parser.add_argument(
            "--genindekser",
            action="store_true",
            help="Beregn også søgeindekset for CPR-numre med den nuværende CPR_INDEX_KEY.",
        )
        parser.add_argument(
            "--uden-dokumenter", action="store_true", help="Spring dokumenterne over."
        )

    def handle(self, *args, batch, genindekser, uden_dokumenter, **options):
        fremskridt = None
        for fremskridt in noegler.roter_cpr(batch=batch, genindekser=genindekser):
            self.stdout.write(
                f"Borgere: {fremskridt.gennemgaaet}/{fremskridt.i_alt} gennemgået, "
                f"{fremskridt.aendret} opdateret."
            )
        if fremskridt is None:
            self.stdout.write("Borgere: ingen.")
        if not uden_dokumenter:
            fremskridt = None
            for fremskridt in noegler.roter_dokumenter(batch=batch):
                self.stdout.write(
                    f"Dokumenter: {fremskridt.gennemgaaet}/{fremskridt.i_alt} gennemgået, "
                    f"{fremskridt.aendret} krypteret med den nyeste nøgle."
                )
            if fremskridt is None:
                self.stdout.write("Dokumenter: ingen.")
            elif fremskridt.mangler:
                self.stderr.write(
                    f"{fremskridt.mangler} dokument(er) mangler i fillageret og er sprunget over."
                )
        self.stdout.write(self.style.SUCCESS("Færdig."))
