"""Uploaded documents: borgere.services.dokument_gem checks the content, not the name."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from borgere.models import Dokument
from borgere.services import DOKUMENT_MAKS_BYTES, dokument_gem
from tests.byg import filer

FORKERT_TYPE = (
    "Filtypen er ikke tilladt. Upload en PDF, et Word-dokument (DOCX), et Excel-ark (XLSX) "
    "eller et billede (PNG eller JPEG)."
)
FORKERT_ENDELSE = (
    "Filens indhold passer ikke til filnavnets endelse. Kontrollér at du har valgt den rigtige fil."
)


def _gem(sagsdata, fil, type="forretningsplan"):
    return dokument_gem(borger=sagsdata.borger, bruger=sagsdata.sagsbehandler, fil=fil, type=type)


def _filer_i_lageret() -> set[str]:
    rod = settings.STORAGES["default"]["OPTIONS"]["location"]
    return {str(p) for p in rod.rglob("*") if p.is_file()} if rod.exists() else set()


def _afvist(sagsdata, fil, besked, felt="fil"):
    foer_raekker, foer_filer = Dokument.objects.count(), _filer_i_lageret()
    with pytest.raises(ValidationError) as fejl:
        _gem(sagsdata, fil)
    assert fejl.value.message_dict == {felt: [besked]}
    assert Dokument.objects.count() == foer_raekker
    assert _filer_i_lageret() == foer_filer


def test_a_pdf_is_stored_under_a_random_name_with_its_original_name_kept(sagsdata):
    dokument = _gem(sagsdata, filer.upload("Forretningsplan Anna.pdf", filer.PDF))
    assert dokument.filnavn == "Forretningsplan Anna.pdf"
    assert dokument.indholdstype == "application/pdf"
    assert dokument.stoerrelse == len(filer.PDF)
    assert dokument.uploadet_af == sagsdata.sagsbehandler
    # The stored name says nothing about the citizen or the file.
    gemt = dokument.fil.name
    assert gemt.startswith("borgere/")
    assert "Anna" not in gemt and "Forretningsplan" not in gemt and ".pdf" not in gemt
    assert sagsdata.borger.efternavn not in gemt
    with dokument.fil.open("rb") as f:
        assert f.read() == filer.PDF


@pytest.mark.parametrize(
    ("navn", "indhold", "mime"),
    [
        (
            "budget.xlsx",
            filer.XLSX,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "plan.docx",
            filer.DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("logo.png", filer.PNG, "image/png"),
        ("foto.jpg", filer.JPEG, "image/jpeg"),
        ("foto.JPEG", filer.JPEG, "image/jpeg"),
    ],
)
def test_word_excel_png_and_jpeg_are_accepted(sagsdata, navn, indhold, mime):
    assert _gem(sagsdata, filer.upload(navn, indhold)).indholdstype == mime


def test_cpr_like_digits_are_removed_from_the_original_file_name(sagsdata):
    dokument = _gem(sagsdata, filer.upload("Budget 010190-1234 og 0101901234.pdf", filer.PDF))
    assert dokument.filnavn == "Budget [CPR] og [CPR].pdf"
    assert "0101901234" not in dokument.fil.name


def test_a_path_sent_by_the_browser_is_reduced_to_the_file_name(sagsdata):
    dokument = _gem(sagsdata, filer.upload("C:\\Users\\anna\\plan.pdf", filer.PDF))
    assert dokument.filnavn == "plan.pdf"


def test_a_png_renamed_to_pdf_is_refused(sagsdata):
    _afvist(sagsdata, filer.upload("plan.pdf", filer.PNG, "application/pdf"), FORKERT_ENDELSE)


def test_a_program_is_refused(sagsdata):
    _afvist(sagsdata, filer.upload("plan.exe", filer.EXE), FORKERT_TYPE)


def test_a_program_renamed_to_pdf_with_a_pdf_content_type_is_refused(sagsdata):
    # The browser's content type and the name are the user's word; the bytes decide.
    _afvist(sagsdata, filer.upload("plan.pdf", filer.EXE, "application/pdf"), FORKERT_TYPE)


def test_plain_text_is_refused(sagsdata):
    _afvist(sagsdata, filer.upload("noter.pdf", filer.TEKST, "application/pdf"), FORKERT_TYPE)


def test_a_file_over_10_mb_is_refused(sagsdata):
    for_stor = filer.PDF + b"0" * (DOKUMENT_MAKS_BYTES + 1 - len(filer.PDF))
    _afvist(
        sagsdata,
        filer.upload("stor.pdf", for_stor),
        "Filen er for stor. Den må højst fylde 10 MB.",
    )


def test_a_file_of_exactly_10_mb_is_accepted(sagsdata):
    praecis = filer.PDF + b"0" * (DOKUMENT_MAKS_BYTES - len(filer.PDF))
    assert _gem(sagsdata, filer.upload("stor.pdf", praecis)).stoerrelse == DOKUMENT_MAKS_BYTES


def test_an_empty_file_is_refused(sagsdata):
    _afvist(sagsdata, filer.upload("tom.pdf", b""), "Vælg en fil. Filen må ikke være tom.")


def test_an_unknown_document_type_is_refused(sagsdata):
    with pytest.raises(ValidationError) as fejl:
        _gem(sagsdata, filer.upload("plan.pdf", filer.PDF), type="hemmeligt")
    assert fejl.value.message_dict == {"type": ["Vælg en dokumenttype."]}
