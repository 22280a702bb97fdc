"""Uploading and downloading documents (borgere:dokument_upload, borgere:dokument_hent)."""

import pytest
from django.urls import reverse

from borgere.models import Dokument
from mikrolaan.revision.models import AdgangsLog
from tests.byg import filer
from tests.byg.fabrikker import PDF_INDHOLD, BorgerFactory, DokumentFactory


def _upload_url(borger):
    return reverse("borgere:dokument_upload", args=[borger.pk])


def _hent_url(borger, dokument):
    return reverse("borgere:dokument_hent", args=[borger.pk, dokument.pk])


@pytest.mark.parametrize("rolle", ["sagsbehandler", "forloebsmedarbejder"])
def test_both_case_roles_upload_a_pdf(sagsdata, klient, rolle):
    svar = klient(getattr(sagsdata, rolle)).post(
        _upload_url(sagsdata.borger),
        {"type": "budget", "fil": filer.upload("Budget 2026.pdf", filer.PDF, "application/pdf")},
    )
    assert svar.status_code == 302
    assert svar["Location"].endswith("#dokumenter")
    dokument = Dokument.objects.get(filnavn="Budget 2026.pdf")
    assert dokument.type == Dokument.Type.BUDGET
    assert dokument.uploadet_af == getattr(sagsdata, rolle)


def test_a_png_renamed_to_pdf_gives_a_danish_error_and_saves_nothing(sagsdata, klient):
    foer = Dokument.objects.count()
    svar = klient(sagsdata.sagsbehandler).post(
        _upload_url(sagsdata.borger),
        {"type": "andet", "fil": filer.upload("plan.pdf", filer.PNG, "application/pdf")},
    )
    assert svar.status_code == 200
    assert svar.context["dokument_form"].errors["fil"] == [
        "Filens indhold passer ikke til filnavnets endelse. Kontrollér at du har valgt den "
        "rigtige fil."
    ]
    assert "Dokumentet blev ikke gemt" in svar.content.decode()
    assert Dokument.objects.count() == foer


def test_an_upload_without_a_file_gives_a_danish_error(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).post(_upload_url(sagsdata.borger), {"type": "andet"})
    assert svar.context["dokument_form"].errors == {"fil": ["Vælg en fil."]}


def test_users_outside_the_case_cannot_upload(sagsdata, klient):
    foer = Dokument.objects.count()
    for bruger in (sagsdata.fremmed, sagsdata.erhvervschef, sagsdata.administrator):
        svar = klient(bruger).post(
            _upload_url(sagsdata.borger), {"type": "andet", "fil": filer.upload("x.pdf", filer.PDF)}
        )
        assert svar.status_code == 404
    assert Dokument.objects.count() == foer


@pytest.mark.parametrize("rolle", ["sagsbehandler", "forloebsmedarbejder"])
def test_a_download_is_an_attachment_with_the_original_name_and_is_logged(sagsdata, klient, rolle):
    dokument = sagsdata.dokument
    svar = klient(getattr(sagsdata, rolle)).get(_hent_url(sagsdata.borger, dokument))

    assert svar.status_code == 200
    assert b"".join(svar.streaming_content) == PDF_INDHOLD
    assert svar["Content-Type"] == "application/pdf"
    assert svar["Content-Disposition"] == 'attachment; filename="forretningsplan.pdf"'
    assert svar["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in svar["Cache-Control"]
    log = AdgangsLog.objects.get()
    assert log.handling == AdgangsLog.Handling.HENT_DOKUMENT
    assert log.bruger == getattr(sagsdata, rolle)
    # Logged against the citizen, so one filter answers "who has seen my case?".
    assert log.objekt_id == str(sagsdata.borger.pk)
    assert log.kriterier == {"dokument": dokument.pk}


@pytest.mark.parametrize("rolle", ["fremmed", "erhvervschef", "administrator"])
def test_a_download_is_404_outside_the_case_and_not_logged(sagsdata, klient, rolle):
    svar = klient(getattr(sagsdata, rolle)).get(_hent_url(sagsdata.borger, sagsdata.dokument))
    assert svar.status_code == 404
    assert not AdgangsLog.objects.exists()


def test_a_document_cannot_be_fetched_through_another_citizen(sagsdata, klient):
    anden = BorgerFactory(jobcenter=sagsdata.jobcenter, oprettet_af=sagsdata.sagsbehandler)
    andet_dokument = DokumentFactory(borger=anden, uploadet_af=sagsdata.sagsbehandler)
    svar = klient(sagsdata.sagsbehandler).get(_hent_url(sagsdata.borger, andet_dokument))
    assert svar.status_code == 404
    assert not AdgangsLog.objects.exists()


def test_a_document_missing_from_storage_is_404_not_a_server_error(sagsdata, klient):
    sagsdata.dokument.fil.storage.delete(sagsdata.dokument.fil.name)
    svar = klient(sagsdata.sagsbehandler).get(_hent_url(sagsdata.borger, sagsdata.dokument))
    assert svar.status_code == 404
