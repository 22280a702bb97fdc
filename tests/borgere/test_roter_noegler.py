"""Key rotation: `manage.py roter_noegler` re-encrypts CPR numbers and documents under the newest
key, in batches, skipping what is done; `--genindekser` recomputes the blind index."""

from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from borgere import cpr, noegler
from borgere.lager import MARKOER
from borgere.models import Borger, Dokument
from tests.byg import filer
from tests.byg.fabrikker import PDF_INDHOLD, BorgerFactory, DokumentFactory


@pytest.fixture
def gammel_og_ny(settings):
    """The test's key becomes the old one; a new key is put first, as an operator would."""
    gammel = settings.CPR_ENCRYPTION_KEYS[0]
    ny = Fernet.generate_key().decode()
    return settings, gammel, ny


def _koer(*args) -> str:
    ud = StringIO()
    call_command("roter_noegler", *args, stdout=ud, stderr=ud)
    return ud.getvalue()


def _raa(dokument) -> bytes:
    return Path(storages["default"].path(dokument.fil.name)).read_bytes()


def test_old_rows_stay_readable_and_searchable_when_a_new_key_is_added(db, gammel_og_ny):
    settings, gammel, ny = gammel_og_ny
    borger = BorgerFactory(cpr="010190-1234")
    settings.CPR_ENCRYPTION_KEYS = [ny, gammel]

    genlaest = Borger.objects.get(pk=borger.pk)
    assert genlaest.cpr == "0101901234"
    assert not cpr.er_under_nyeste_noegle(genlaest.cpr_krypteret)
    assert list(Borger.objects.med_cpr("010190-1234")) == [genlaest]


def test_rotation_re_encrypts_every_cpr_number_in_batches_and_never_prints_one(db, gammel_og_ny):
    settings, gammel, ny = gammel_og_ny
    borgere = BorgerFactory.create_batch(5)
    numre = {b.pk: b.cpr for b in borgere}
    settings.CPR_ENCRYPTION_KEYS = [ny, gammel]

    ud = _koer("--batch", "2", "--uden-dokumenter")

    assert "Borgere: 2/5 gennemgået, 2 opdateret." in ud
    assert "Borgere: 4/5 gennemgået, 4 opdateret." in ud
    assert "Borgere: 5/5 gennemgået, 5 opdateret." in ud
    assert not any(n in ud or cpr.formateret(n) in ud for n in numre.values())
    # Readable with the new key alone: the old one can now be removed.
    settings.CPR_ENCRYPTION_KEYS = [ny]
    assert {b.pk: b.cpr for b in Borger.objects.all()} == numre


def test_a_second_run_and_a_resumed_run_skip_rows_already_under_the_newest_key(db, gammel_og_ny):
    settings, gammel, ny = gammel_og_ny
    BorgerFactory.create_batch(3)
    settings.CPR_ENCRYPTION_KEYS = [ny, gammel]

    # A run stopped after its first batch (of 2)...
    koersel = noegler.roter_cpr(batch=2)
    assert next(koersel).aendret == 2
    koersel.close()
    # ...started again: only the third row is re-encrypted.
    assert "Borgere: 3/3 gennemgået, 1 opdateret." in _koer("--batch", "2", "--uden-dokumenter")
    assert "Borgere: 3/3 gennemgået, 0 opdateret." in _koer("--uden-dokumenter")


def test_documents_are_re_encrypted_and_plain_ones_encrypted(db, gammel_og_ny):
    settings, gammel, ny = gammel_og_ny
    krypteret = DokumentFactory()
    plain = DokumentFactory(borger=krypteret.borger, uploadet_af=krypteret.uploadet_af)
    navn = storages["default"].save("borgere/plain", filer.upload("x", PDF_INDHOLD))
    Dokument.objects.filter(pk=plain.pk).update(fil=navn)
    plain.refresh_from_db()
    settings.CPR_ENCRYPTION_KEYS = [ny, gammel]

    ud = _koer()

    assert "Dokumenter: 2/2 gennemgået, 2 krypteret med den nyeste nøgle." in ud
    for dokument in (krypteret, plain):
        raa = _raa(dokument)
        assert raa.startswith(MARKOER) and b"%PDF" not in raa
        assert Fernet(ny).decrypt(raa[len(MARKOER) :]) == PDF_INDHOLD
    assert "Dokumenter: 2/2 gennemgået, 0 krypteret" in _koer()


def test_a_missing_document_file_is_reported_and_skipped(db, gammel_og_ny):
    dokument = DokumentFactory()
    storages["default"].delete(dokument.fil.name)

    ud = _koer()

    assert "1 dokument(er) mangler i fillageret og er sprunget over." in ud
    assert "Færdig." in ud


def test_reindexing_makes_cpr_search_work_under_a_new_index_key(db, settings):
    borger = BorgerFactory(cpr="010190-1234")
    settings.CPR_INDEX_KEY = "ny-indeksnoegle-" + "x" * 32
    assert not Borger.objects.med_cpr("010190-1234").exists()

    ud = _koer("--genindekser", "--uden-dokumenter")

    assert "1 opdateret" in ud
    assert list(Borger.objects.med_cpr("010190-1234")) == [borger]


def test_a_batch_below_one_is_refused():
    with pytest.raises(CommandError, match="mindst 1"):
        call_command("roter_noegler", "--batch", "0")
