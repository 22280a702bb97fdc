"""`manage.py flyt_dokumenter`: an installation from before DOKUMENTLAGER moves its documents from
the folder into the database (or bucket) under the same names; and a start-up warning until then."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from borgere.models import Dokument
from mikrolaan.lager.checks import dokumenter_i_mappen
from mikrolaan.lager.models import Fil
from tests.byg.fabrikker import PDF_INDHOLD, DokumentFactory


@pytest.fixture
def gamle_dokumenter(settings, db):
    """Two documents stored in the folder (conftest's temporary one), as before DOKUMENTLAGER;
    then the settings switched to the database storage."""
    dokumenter = DokumentFactory.create_batch(2)
    mappe = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    settings.DOKUMENT_MAPPE = mappe
    settings.DOKUMENTLAGER = "database"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "mikrolaan.lager.database.DatabaseLager"},
    }
    return mappe, dokumenter


def _koer(*args) -> str:
    ud = StringIO()
    call_command("flyt_dokumenter", *args, stdout=ud, stderr=ud)
    return ud.getvalue()


def test_documents_are_copied_byte_for_byte_under_their_names_and_then_download(
    gamle_dokumenter,
):
    mappe, dokumenter = gamle_dokumenter
    assert not Fil.objects.exists()

    ud = _koer()

    assert "Færdig: 2 dokument(er) flyttet." in ud
    for dokument in dokumenter:
        raa = (mappe / dokument.fil.name).read_bytes()
        assert bytes(Fil.objects.get(navn=dokument.fil.name).indhold) == raa
        genlaest = Dokument.objects.get(pk=dokument.pk)
        assert genlaest.fil.open("rb").read() == PDF_INDHOLD
    # The folder's copies stay unless asked to delete them.
    assert all((mappe / d.fil.name).is_file() for d in dokumenter)


def test_a_second_run_copies_nothing_and_slet_removes_the_folders_copies(gamle_dokumenter):
    mappe, dokumenter = gamle_dokumenter
    _koer()

    ud = _koer("--slet")

    assert "0 flyttet, 2 fandtes allerede i lageret" in ud
    assert "2 fil(er) slettet" in ud
    assert not any((mappe / d.fil.name).exists() for d in dokumenter)
    assert Fil.objects.count() == 2


def test_slet_keeps_the_folders_copy_when_the_storage_holds_other_bytes(gamle_dokumenter):
    mappe, (dokument, _) = gamle_dokumenter
    _koer()
    Fil.objects.filter(navn=dokument.fil.name).update(indhold=b"noget andet")

    with pytest.raises(CommandError, match="mappens kopi er urørt"):
        _koer("--slet")

    assert (mappe / dokument.fil.name).is_file()


def test_a_document_missing_in_both_places_is_counted_not_invented(gamle_dokumenter):
    mappe, (dokument, _) = gamle_dokumenter
    (mappe / dokument.fil.name).unlink()

    ud = _koer()

    assert "1 dokument(er) findes hverken i mappen eller i lageret." in ud
    assert "Færdig: 1 dokument(er) flyttet." in ud


def test_with_the_folder_as_storage_there_is_nothing_to_move(settings, db):
    settings.DOKUMENTLAGER = "fil"

    with pytest.raises(CommandError, match="DOKUMENTLAGER=fil"):
        _koer()


def test_start_up_warns_while_documents_lie_in_the_folder(gamle_dokumenter, settings):
    (advarsel,) = dokumenter_i_mappen()
    assert advarsel.id == "lager.W001"
    assert "flyt_dokumenter" in advarsel.hint

    _koer("--slet")

    assert dokumenter_i_mappen() == []
    settings.DOKUMENTLAGER = "fil"
    assert dokumenter_i_mappen() == []
