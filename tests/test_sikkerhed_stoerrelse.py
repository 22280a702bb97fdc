"""The cap on a request's body (issue 12, point 6): a 300 MB upload was received to the end before
the form said "at most 10 MB". The app refuses by Content-Length before reading the body."""

import pytest
from django.urls import reverse

from borgere.services import DOKUMENT_MAKS_BYTES
from tests.byg import filer

MB = 1024 * 1024


class UlaesteligKrop:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


def _upload_url(sagsdata):
    return reverse("borgere:dokument_upload", kwargs={"pk": sagsdata.borger.pk})


def test_the_cap_is_a_little_over_the_document_limit(settings):
    assert DOKUMENT_MAKS_BYTES < settings.MAKS_REQUEST_BYTES <= DOKUMENT_MAKS_BYTES + 2 * MB


def test_a_300_mb_upload_is_refused_by_its_length_without_reading_the_body(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).generic(
        "POST",
        _upload_url(sagsdata),
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(300 * MB),
        **{"wsgi.input": UlaesteligKrop()},
    )

    assert svar.status_code == 413
    tekst = svar.content.decode()
    assert '<html lang="da">' in tekst
    assert "Forsendelsen er for stor" in tekst
    assert "fylder mere end 11 MB og blev afvist, før det blev modtaget" in tekst
    # The page has the headers of every other page.
    assert "frame-ancestors 'none'" in svar["Content-Security-Policy"]


def test_a_body_without_a_length_is_refused_without_reading_it(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).generic(
        "POST",
        _upload_url(sagsdata),
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": UlaesteligKrop()},
    )

    assert svar.status_code == 411
    assert "fordi dens størrelse ikke var oplyst" in svar.content.decode()


def test_a_malformed_length_is_a_danish_400_not_a_500(client):
    svar = client.generic(
        "POST",
        reverse("konti:log_ind"),
        CONTENT_LENGTH="mange",
        **{"wsgi.input": UlaesteligKrop()},
    )

    assert svar.status_code == 400
    assert "Forespørgslen kunne ikke forstås" in svar.content.decode()


def test_a_file_just_over_the_document_limit_still_reaches_the_forms_danish_error(sagsdata, klient):
    """Under the request cap, the form answers as before, in the citizen's page."""
    for_stor = filer.PDF + b"0" * (DOKUMENT_MAKS_BYTES + 1 - len(filer.PDF))

    svar = klient(sagsdata.sagsbehandler).post(
        _upload_url(sagsdata),
        {"type": "andet", "fil": filer.upload("stor.pdf", for_stor, "application/pdf")},
    )

    assert svar.status_code != 413
    assert "Filen er for stor. Den må højst fylde 10 MB." in svar.content.decode()


@pytest.mark.parametrize("metode", ["GET", "HEAD", "OPTIONS"])
def test_requests_without_a_body_pass(client, metode):
    svar = client.generic(metode, reverse("konti:log_ind"))

    assert svar.status_code in {200, 405}
