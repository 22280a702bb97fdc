"""Citizens' documents are encrypted at rest with the CPR keys (borgere.lager.KrypteretLager)."""

from pathlib import Path

from cryptography.fernet import Fernet
from django.core.files.storage import storages
from django.urls import reverse

from borgere.lager import MARKOER
from borgere.models import Dokument
from tests.byg import filer
from tests.byg.fabrikker import PDF_INDHOLD, DokumentFactory


def _paa_disken(dokument) -> bytes:
    return Path(storages["default"].path(dokument.fil.name)).read_bytes()


def _hent(klient, sagsdata, dokument) -> bytes:
    svar = klient(sagsdata.sagsbehandler).get(
        reverse("borgere:dokument_hent", args=[sagsdata.borger.pk, dokument.pk])
    )
    assert svar.status_code == 200
    return b"".join(svar.streaming_content)


def test_an_uploaded_document_is_encrypted_on_disk_and_downloads_as_uploaded(sagsdata, klient):
    indhold = filer.PDF + b"% Budget for Anna Testesen, konto 1234 5678901\n"
    svar = klient(sagsdata.sagsbehandler).post(
        reverse("borgere:dokument_upload", args=[sagsdata.borger.pk]),
        {"type": "budget", "fil": filer.upload("budget.pdf", indhold, "application/pdf")},
    )
    assert svar.status_code == 302
    dokument = Dokument.objects.get(filnavn="budget.pdf")

    raa = _paa_disken(dokument)
    assert raa.startswith(MARKOER)
    assert b"%PDF" not in raa and b"Testesen" not in raa and b"5678901" not in raa
    assert _hent(klient, sagsdata, dokument) == indhold


def test_a_document_stored_before_encryption_still_downloads(sagsdata, klient):
    # Written straight to the file store, as every document was before encryption at rest.
    navn = storages["default"].save("borgere/gammel", filer.upload("x", PDF_INDHOLD))
    dokument = DokumentFactory(borger=sagsdata.borger, uploadet_af=sagsdata.sagsbehandler)
    Dokument.objects.filter(pk=dokument.pk).update(fil=navn)
    dokument.refresh_from_db()

    assert _paa_disken(dokument) == PDF_INDHOLD
    assert _hent(klient, sagsdata, dokument) == PDF_INDHOLD


def test_a_document_under_an_older_key_downloads_after_a_new_key_is_added(
    sagsdata, klient, settings
):
    dokument = sagsdata.dokument
    assert _paa_disken(dokument).startswith(MARKOER)
    settings.CPR_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.CPR_ENCRYPTION_KEYS]

    assert _hent(klient, sagsdata, dokument) == PDF_INDHOLD
