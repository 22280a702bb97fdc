"""DOKUMENTLAGER=database: documents are rows of lager.Fil, encrypted by KrypteretLager on top, so
every node that reaches the database reaches them (mikrolaan/lager/database.py)."""

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from borgere import services
from borgere.lager import MARKOER
from borgere.models import Dokument
from mikrolaan.lager.database import DatabaseLager
from mikrolaan.lager.models import Fil
from tests.byg import filer
from tests.byg.fabrikker import PDF_INDHOLD, DokumentFactory


@pytest.fixture
def databaselager(settings):
    """The database storage beneath KrypteretLager (conftest puts a temporary folder there)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "mikrolaan.lager.database.DatabaseLager"},
    }
    return storages["default"]


def test_a_saved_file_reads_back_and_has_its_size_and_time(db):
    lager = DatabaseLager()

    navn = lager.save("borgere/abc", ContentFile(b"krypteret indhold"))

    assert navn == "borgere/abc"
    assert lager.exists(navn)
    assert lager.open(navn).read() == b"krypteret indhold"
    assert lager.size(navn) == len(b"krypteret indhold")
    assert lager.get_modified_time(navn) == Fil.objects.get(navn=navn).oprettet


def test_a_taken_name_gets_another_and_nothing_is_overwritten(db):
    lager = DatabaseLager()
    lager.save("borgere/abc", ContentFile(b"foerste"))

    anden = lager.save("borgere/abc", ContentFile(b"anden"))

    assert anden != "borgere/abc" and anden.startswith("borgere/abc")
    assert lager.open("borgere/abc").read() == b"foerste"
    assert lager.open(anden).read() == b"anden"


def test_a_name_taken_by_another_node_between_check_and_insert_gets_another(db, monkeypatch):
    lager = DatabaseLager()
    Fil.objects.create(navn="borgere/abc", indhold=b"den andens", stoerrelse=9)
    # As if exists() had said "free" just before another node's insert landed.
    monkeypatch.setattr(DatabaseLager, "get_available_name", lambda self, name, **kw: name + "_1")

    with transaction.atomic():
        navn = lager._save("borgere/abc", ContentFile(b"min"))

    assert navn == "borgere/abc_1"
    assert lager.open("borgere/abc").read() == b"den andens"


def test_a_missing_file_is_file_not_found_as_in_a_folder(db):
    lager = DatabaseLager()

    with pytest.raises(FileNotFoundError):
        lager.open("borgere/findes-ikke")
    with pytest.raises(FileNotFoundError):
        lager.size("borgere/findes-ikke")
    with pytest.raises(FileNotFoundError):
        lager.erstat("borgere/findes-ikke", b"x")
    assert not lager.exists("borgere/findes-ikke")


def test_files_are_read_only_through_open(db):
    with pytest.raises(ValueError, match="reading only"):
        DatabaseLager().open("borgere/abc", "wb")


def test_delete_and_listdir(db):
    lager = DatabaseLager()
    for navn in ("borgere/a", "borgere/b", "andet/c", "rod"):
        lager.save(navn, ContentFile(b"x"))

    lager.delete("borgere/b")

    assert lager.listdir("") == (["andet", "borgere"], ["rod"])
    assert lager.listdir("borgere") == ([], ["a"])


def test_there_is_no_url_to_a_document(db):
    with pytest.raises(NotImplementedError):
        DatabaseLager().url("borgere/abc")


def test_a_refused_document_row_leaves_no_file_row_and_no_second_error(
    databaselager, sagsdata, monkeypatch
):
    """dokument_gem deletes the file when its row is refused; in the database storage that delete
    comes inside the broken transaction and must leave the row to the rollback, not raise anew."""
    gem = Dokument.save

    def afvist(self, *args, **kwargs):
        self.stoerrelse = -1  # the database's CHECK refuses the row at once
        return gem(self, *args, **kwargs)

    monkeypatch.setattr(Dokument, "save", afvist)
    foer = set(Fil.objects.values_list("navn", flat=True))  # sagsdata's own document

    with pytest.raises(IntegrityError):
        services.dokument_gem(
            borger=sagsdata.borger,
            bruger=sagsdata.sagsbehandler,
            fil=filer.upload("budget.pdf", filer.PDF, "application/pdf"),
            type="budget",
        )

    assert set(Fil.objects.values_list("navn", flat=True)) == foer


def test_an_upload_is_stored_encrypted_in_the_database_and_downloads_as_uploaded(
    databaselager, sagsdata, klient
):
    indhold = filer.PDF + b"% Budget for Anna Testesen, konto 1234 5678901\n"

    svar = klient(sagsdata.sagsbehandler).post(
        reverse("borgere:dokument_upload", args=[sagsdata.borger.pk]),
        {"type": "budget", "fil": filer.upload("budget.pdf", indhold, "application/pdf")},
    )

    assert svar.status_code == 302
    dokument = Dokument.objects.get(filnavn="budget.pdf")
    raa = bytes(Fil.objects.get(navn=dokument.fil.name).indhold)
    assert raa.startswith(MARKOER) and b"Testesen" not in raa and b"%PDF" not in raa
    hent = klient(sagsdata.sagsbehandler).get(
        reverse("borgere:dokument_hent", args=[sagsdata.borger.pk, dokument.pk])
    )
    assert b"".join(hent.streaming_content) == indhold


def test_key_rotation_re_encrypts_documents_in_the_database(databaselager, settings, db):
    dokument = DokumentFactory()
    ny = Fernet.generate_key().decode()
    settings.CPR_ENCRYPTION_KEYS = [ny, *settings.CPR_ENCRYPTION_KEYS]

    call_command("roter_noegler", "--uden-dokumenter")  # CPR only: the file is untouched
    foer = bytes(Fil.objects.get(navn=dokument.fil.name).indhold)
    call_command("roter_noegler")

    efter = bytes(Fil.objects.get(navn=dokument.fil.name).indhold)
    assert efter != foer
    assert Fernet(ny).decrypt(efter[len(MARKOER) :]) == PDF_INDHOLD
    assert dokument.fil.storage.open(dokument.fil.name).read() == PDF_INDHOLD
