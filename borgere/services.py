"""Writes about citizens: registration, changes, CPR reveals, journal notes and documents.

Every function is keyword-only and runs in one transaction. Views, forms and the admin call these
and nothing else to change a citizen. Domain errors are Django `ValidationError`s keyed by the form
field they are about, with Danish messages, so a form can show them next to the right input.
"""

import logging
import os
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang, uden_cpr

from . import cpr as cpr_
from . import regler
from .models import Borger, Dokument, Forsoergelsesgrundlag, Journalnotat

logger = logging.getLogger(__name__)

# The fields a caseworker fills in. The CPR number is set once, at registration, through
# `Borger.saet_cpr`; the jobcenter and author follow from who registers the citizen.
BORGER_FELTER = (
    "fornavn",
    "efternavn",
    "adresse",
    "postnummer",
    "by",
    "telefon",
    "email",
    "forsoergelsesgrundlag",
    "forretningsidee",
)

DOKUMENT_MAKS_BYTES = 10 * 1024 * 1024
# Allowed content types (as sniffed from the bytes) and the file name endings each may carry.
DOKUMENT_TYPER: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
}
# filetype recognises every format above from the first 8 KiB.
_SNIFF_BYTES = 8192

CPR_FINDES = _("Der findes allerede en borger med dette CPR-nummer.")


class CprFindesAlleredeError(ValidationError):
    """A citizen with this CPR number exists. `synlig_borger` is set only if the user may see them.

    The form shows a link to an existing citizen the user may see; a user who may not see them
    learns only that the number is taken (which they must, or they would register a duplicate).
    """

    def __init__(self, *, synlig_borger: Borger | None):
        super().__init__({"cpr": [ValidationError(CPR_FINDES, code="findes")]})
        self.synlig_borger = synlig_borger


def _dublet(indeks: str) -> Borger | None:
    return Borger.objects.filter(cpr_indeks=indeks).first()


def _dublet_fejl(*, dublet: Borger, bruger: Bruger) -> CprFindesAlleredeError:
    synlig = Borger.objects.synlige_for(bruger).filter(pk=dublet.pk).first()
    return CprFindesAlleredeError(synlig_borger=synlig)


def _saet_felter(borger: Borger, felter: dict[str, Any]) -> None:
    ukendte = set(felter) - set(BORGER_FELTER)
    if ukendte:
        # A programming error, not user input: CPR, jobcenter and author cannot be set this way.
        raise TypeError(f"Felter der ikke kan sættes på en borger: {sorted(ukendte)}")
    for navn, vaerdi in felter.items():
        setattr(borger, navn, vaerdi)


@transaction.atomic
def borger_opret(*, bruger: Bruger, cpr: str, **felter: Any) -> Borger:
    """Register a citizen at the user's own jobcenter.

    Raises `ValidationError` (keyed by field) for an invalid CPR number, invalid fields or a means
    of support that is no longer in use, and `CprFindesAlleredeError` for a CPR number already
    registered — also when another request registers the same number at the same moment.
    """
    if bruger.organisation_id is None:
        raise ValidationError(_("Din bruger er ikke knyttet til en organisation."))
    kraev(regler.kan_registrere_borger(bruger))
    try:
        cifre = cpr_.normaliser(cpr)
    except ValidationError as fejl:
        raise ValidationError({"cpr": fejl}) from None

    borger = Borger(jobcenter_id=bruger.organisation_id, oprettet_af=bruger)
    _saet_felter(borger, felter)
    borger.saet_cpr(cifre)
    borger.soegenavn = Borger.soegenoegle(f"{borger.fornavn} {borger.efternavn}")
    # The unique CPR index is checked below, with the race in mind; everything else here.
    borger.full_clean(validate_unique=False)
    grundlag = borger.forsoergelsesgrundlag
    if not Forsoergelsesgrundlag.objects.gyldige().filter(pk=grundlag.pk).exists():
        raise ValidationError(
            {"forsoergelsesgrundlag": _("Forsørgelsesgrundlaget er ikke længere i brug.")}
        )

    if (dublet := _dublet(borger.cpr_indeks)) is not None:
        raise _dublet_fejl(dublet=dublet, bruger=bruger)
    try:
        # A savepoint, so a duplicate inserted by a concurrent request between the check above
        # and this insert leaves the transaction usable for the look-up below.
        with transaction.atomic():
            borger.save()
    except IntegrityError:
        if (dublet := _dublet(borger.cpr_indeks)) is None:
            raise
        raise _dublet_fejl(dublet=dublet, bruger=bruger) from None
    return borger


@transaction.atomic
def borger_opdater(*, borger: Borger, bruger: Bruger, **felter: Any) -> Borger:
    """Change a citizen's contact data, means of support or business idea (never the CPR)."""
    kraev(regler.kan_rette_borger(bruger, borger))
    _saet_felter(borger, felter)
    borger.full_clean(validate_unique=False)
    # The change history (django-auditlog) records the change and, within a request, who made it.
    borger.save()
    return borger


@transaction.atomic
def vis_cpr(*, borger: Borger, bruger: Bruger, request=None) -> str:
    """The citizen's CPR number in clear, after recording the reveal in the access log."""
    kraev(regler.kan_vise_cpr(bruger))
    log_adgang(bruger=bruger, handling=AdgangsLog.Handling.VIS_CPR, objekt=borger, request=request)
    return cpr_.formateret(borger.cpr)


@transaction.atomic
def journalnotat_opret(
    *, borger: Borger, bruger: Bruger, tekst: str, retter: Journalnotat | None = None
) -> Journalnotat:
    """Add a journal note, or a correction of `retter` (notes are never changed in place)."""
    tekst = (tekst or "").strip()
    if not tekst:
        raise ValidationError({"tekst": _("Skriv notatets tekst.")})
    if retter is not None and retter.borger_id != borger.pk:
        raise ValidationError(
            {"retter": _("En rettelse skal pege på et notat om den samme borger.")}
        )
    return Journalnotat.objects.create(borger=borger, forfatter=bruger, tekst=tekst, retter=retter)


def _indholdstype(fil) -> str | None:
    fil.seek(0)
    start = fil.read(_SNIFF_BYTES)
    fil.seek(0)
    fund = filetype.guess(start)
    return fund.mime if fund is not None else None


def _filnavn(navn: str) -> str:
    # Only the last part of a path a browser may send, with CPR-like digit runs removed, short
    # enough for the column while keeping the ending.
    navn = uden_cpr(os.path.basename((navn or "").replace("\\", "/")).strip()) or "dokument"
    stamme, endelse = os.path.splitext(navn)
    maks = Dokument._meta.get_field("filnavn").max_length
    return stamme[: maks - len(endelse)] + endelse


@transaction.atomic
def dokument_gem(*, borger: Borger, bruger: Bruger, fil, type: str) -> Dokument:
    """Store an uploaded document: PDF, DOCX, XLSX, PNG or JPEG of at most 10 MB.

    The type is decided by the file's content, not its name or the browser's content type, and
    the name's ending must match it (a PNG renamed to .pdf is refused). The stored file gets a
    random name; the original name, without CPR-like digits, is kept for the download.
    """
    if type not in Dokument.Type.values:
        raise ValidationError({"type": _("Vælg en dokumenttype.")})
    if fil is None or not fil.size:
        raise ValidationError({"fil": _("Vælg en fil. Filen må ikke være tom.")})
    if fil.size > DOKUMENT_MAKS_BYTES:
        raise ValidationError({"fil": _("Filen er for stor. Den må højst fylde 10 MB.")})

    indholdstype = _indholdstype(fil)
    if indholdstype not in DOKUMENT_TYPER:
        raise ValidationError(
            {
                "fil": _(
                    "Filtypen er ikke tilladt. Upload en PDF, et Word-dokument (DOCX), et "
                    "Excel-ark (XLSX) eller et billede (PNG eller JPEG)."
                )
            }
        )
    filnavn = _filnavn(fil.name)
    endelse = os.path.splitext(filnavn)[1].lower()
    if endelse not in DOKUMENT_TYPER[indholdstype]:
        raise ValidationError(
            {
                "fil": _(
                    "Filens indhold passer ikke til filnavnets endelse. Kontrollér at du har "
                    "valgt den rigtige fil."
                )
            }
        )

    dokument = Dokument(
        borger=borger,
        type=type,
        filnavn=filnavn,
        indholdstype=indholdstype,
        stoerrelse=fil.size,
        uploadet_af=bruger,
    )
    dokument.fil.save("dokument", fil, save=False)
    try:
        dokument.save()
    except Exception:
        # Do not leave an orphaned file behind when the row is not written.
        dokument.fil.storage.delete(dokument.fil.name)
        raise
    return dokument
