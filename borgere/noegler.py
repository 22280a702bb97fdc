"""Key rotation: re-encrypt CPR numbers and documents under the newest key, re-index CPR numbers.

Run through `manage.py roter_noegler` (see borgere/cpr.py for the procedure). Each batch is one
transaction over rows locked in primary-key order; a row already under the newest key is skipped,
so a run that stops half-way is simply started again. Nothing here prints or logs a CPR number.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from . import cpr
from .lager import MARKOER, KrypteretLager, er_krypteret, krypter_indhold
from .models import Borger, Dokument


@dataclass
class Fremskridt:
    gennemgaaet: int = 0
    aendret: int = 0
    mangler: int = 0  # documents whose file is not in the file store
    i_alt: int = 0


def roter_cpr(*, batch: int, genindekser: bool = False) -> Iterator[Fremskridt]:
    """Re-encrypt each citizen's CPR number under the newest key (and, with `genindekser`,
    recompute its blind index under the current CPR_INDEX_KEY). Yields progress per batch."""
    fremskridt = Fremskridt(i_alt=Borger.objects.count())
    sidste = 0
    while True:
        with transaction.atomic():
            raekker = list(
                Borger.objects.select_for_update()
                .filter(pk__gt=sidste)
                .order_by("pk")
                .only("pk", "cpr_krypteret", "cpr_indeks")[:batch]
            )
            if not raekker:
                return
            aendrede = []
            for borger in raekker:
                aendret = False
                if not cpr.er_under_nyeste_noegle(borger.cpr_krypteret):
                    borger.cpr_krypteret = cpr.genkrypter(borger.cpr_krypteret)
                    aendret = True
                if genindekser:
                    indeks = cpr.blindindeks(cpr.dekrypter(borger.cpr_krypteret))
                    if indeks != borger.cpr_indeks:
                        borger.cpr_indeks = indeks
                        aendret = True
                if aendret:
                    aendrede.append(borger)
            # bulk_update: no change-history rows, and the history never holds these fields.
            Borger.objects.bulk_update(aendrede, ["cpr_krypteret", "cpr_indeks"])
        sidste = raekker[-1].pk
        fremskridt.gennemgaaet += len(raekker)
        fremskridt.aendret += len(aendrede)
        yield fremskridt


def _roteret(data: bytes) -> bytes | None:
    """The file's new bytes, or None if it is already encrypted under the newest key."""
    if not er_krypteret(data):
        return krypter_indhold(data)  # stored before encryption at rest
    token = data[len(MARKOER) :]
    if cpr.er_under_nyeste_noegle(token):
        return None
    return MARKOER + cpr.genkrypter_bytes(token)


def roter_dokumenter(*, batch: int) -> Iterator[Fremskridt]:
    """Encrypt plain documents and re-encrypt old-key ones under the newest key."""
    lager = KrypteretLager()
    fremskridt = Fremskridt(i_alt=Dokument.objects.count())
    sidste = 0
    while True:
        raekker = list(
            Dokument.objects.filter(pk__gt=sidste).order_by("pk").only("pk", "fil")[:batch]
        )
        if not raekker:
            return
        for dokument in raekker:
            try:
                data = lager.laes_raa(dokument.fil.name)
            except FileNotFoundError:
                fremskridt.mangler += 1
                continue
            if (ny := _roteret(data)) is not None:
                # The file is replaced by a rename, so a download reads the old or the new.
                lager.erstat_raa(dokument.fil.name, ny)
                fremskridt.aendret += 1
        sidste = raekker[-1].pk
        fremskridt.gennemgaaet += len(raekker)
        yield fremskridt
