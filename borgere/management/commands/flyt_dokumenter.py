"""Copy documents from the local folder into the storage DOKUMENTLAGER names (database or S3).

For installations from before DOKUMENTLAGER, whose documents lie in DATA_DIR/dokumenter. The
bytes are copied as they are (encrypted stays encrypted; a file from before encryption at rest is
encrypted later by `roter_noegler`), under the same name, so the rows pointing to them need no
change. Each copy is read back and compared before it counts. Safe to stop and run again: what is
already in the storage is skipped. With --slet the folder's copy is deleted once the storage holds
the same bytes. The output counts files, never names a citizen.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.utils._os import safe_join

from borgere.models import Dokument

PORTION = 500


class Command(BaseCommand):
    help = (
        "Kopierer dokumenter fra den lokale mappe (DATA_DIR/dokumenter) til det lager, "
        "DOKUMENTLAGER angiver (database eller S3). Kan afbrydes og startes igen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fra",
            type=Path,
            default=None,
            help="Mappen dokumenterne ligger i (standard: DATA_DIR/dokumenter).",
        )
        parser.add_argument(
            "--slet",
            action="store_true",
            help="Slet mappens kopi, når lageret har de samme bytes.",
        )

    def handle(self, *args, fra, slet, **options):
        mappe = (fra or Path(settings.DOKUMENT_MAPPE)).resolve()
        if settings.DOKUMENTLAGER == "fil" and mappe == Path(settings.DOKUMENT_MAPPE).resolve():
            raise CommandError(
                "DOKUMENTLAGER=fil: dokumenterne ligger allerede i mappen. Sæt DOKUMENTLAGER til "
                "database eller s3 for at flytte dem."
            )
        if not mappe.is_dir():
            self.stdout.write(f"Mappen {mappe} findes ikke: intet at flytte.")
            return
        lager = storages["default"]
        flyttet = fandtes = mangler = slettet = 0
        sidste = 0
        while raekker := list(
            Dokument.objects.filter(pk__gt=sidste).order_by("pk").only("pk", "fil")[:PORTION]
        ):
            sidste = raekker[-1].pk
            for dokument in raekker:
                navn = dokument.fil.name
                kilde = Path(safe_join(mappe, navn))
                if not kilde.is_file():
                    if not lager.exists(navn):
                        mangler += 1
                    continue
                data = kilde.read_bytes()
                ny = not lager.exists(navn)
                if ny:
                    gemt = lager.save(navn, ContentFile(data))
                    if gemt != navn:
                        lager.delete(gemt)
                        raise CommandError(f"Lageret gemte dokument {dokument.pk} under nyt navn.")
                if ny or slet:
                    self._tjek_kopi(lager, navn, data, dokument.pk)
                if ny:
                    flyttet += 1
                else:
                    fandtes += 1
                if slet:
                    kilde.unlink()
                    slettet += 1
            self.stdout.write(
                f"Dokumenter: {flyttet} flyttet, {fandtes} fandtes allerede i lageret, "
                f"{mangler} mangler begge steder."
            )
        if slettet:
            self.stdout.write(f"{slettet} fil(er) slettet fra {mappe}.")
        if mangler:
            self.stderr.write(f"{mangler} dokument(er) findes hverken i mappen eller i lageret.")
        self.stdout.write(self.style.SUCCESS(f"Færdig: {flyttet} dokument(er) flyttet."))

    @staticmethod
    def _tjek_kopi(lager, navn: str, data: bytes, pk: int) -> None:
        with lager.open(navn, "rb") as kopi:
            if kopi.read() != data:
                raise CommandError(
                    f"Dokument {pk}: lagerets bytes er ikke mappens; mappens kopi er urørt."
                )
