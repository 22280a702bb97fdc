"""A Django Storage whose files are rows of `Fil`: every node that reaches the database has them.

Written here rather than taken from PyPI: django-binary-database-files (the maintained one) also
writes every file to the local media folder and reads from there first, which is the one-disk state
this storage exists to remove; django-db-file-storage keeps base64 text (a third larger) behind a
model per field. What the project needs is the few methods below.

A file is written and read whole, as borgere.lager.KrypteretLager does anyway (10 MB at most).
There is no URL: documents are reached only through the view that checks access.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, router, transaction
from django.db.transaction import get_connection
from django.utils.deconstruct import deconstructible

from .models import Fil

# Attempts at a free name when another node takes the same one between exists() and the insert.
NAVNEFORSOEG = 5
NAVN_MAKS = Fil._meta.get_field("navn").max_length


@deconstructible(path="mikrolaan.lager.database.DatabaseLager")
class DatabaseLager(Storage):
    def _open(self, name, mode="rb"):
        if any(tegn in mode for tegn in "wa+"):
            raise ValueError("DatabaseLager opens files for reading only; save() writes them.")
        indhold = Fil.objects.filter(navn=name).values_list("indhold", flat=True).first()
        if indhold is None:
            raise FileNotFoundError(name)
        # psycopg returns bytes, SQLite memoryview: the same to ContentFile after bytes().
        return ContentFile(bytes(indhold), name=name)

    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks())
        for _forsoeg in range(NAVNEFORSOEG):
            try:
                # A savepoint: a refused insert must not break the caller's transaction.
                with transaction.atomic(using=router.db_for_write(Fil)):
                    Fil.objects.create(navn=name, indhold=data, stoerrelse=len(data))
                return name
            except IntegrityError:
                # The unique name was taken by a concurrent save (another node or worker).
                name = self.get_available_name(
                    name, max_length=Fil._meta.get_field("navn").max_length
                )
        raise FileExistsError(f"Intet ledigt navn fundet for {name!r}.")

    def erstat(self, name, data: bytes) -> None:
        """Replace a stored file's bytes, keeping its name (key rotation). One UPDATE: a reader
        sees the old bytes or the new ones, never a mix."""
        if not Fil.objects.filter(navn=name).update(indhold=data, stoerrelse=len(data)):
            raise FileNotFoundError(name)

    def delete(self, name):
        forbindelse = get_connection(router.db_for_write(Fil))
        if forbindelse.in_atomic_block and forbindelse.get_rollback():
            # Called to clean up after a failed insert in the same transaction (e.g.
            # borgere.services.dokument_gem): the row goes with the rollback, and any query now
            # would only raise over the original error.
            return
        Fil.objects.filter(navn=name).delete()

    def exists(self, name):
        return Fil.objects.filter(navn=name).exists()

    def size(self, name):
        stoerrelse = Fil.objects.filter(navn=name).values_list("stoerrelse", flat=True).first()
        if stoerrelse is None:
            raise FileNotFoundError(name)
        return stoerrelse

    def listdir(self, path):
        praefiks = f"{path.strip('/')}/" if path.strip("/") else ""
        mapper, filer = set(), []
        for navn in Fil.objects.filter(navn__startswith=praefiks).values_list("navn", flat=True):
            rest = navn[len(praefiks) :]
            if "/" in rest:
                mapper.add(rest.split("/", 1)[0])
            else:
                filer.append(rest)
        return sorted(mapper), sorted(filer)

    def get_modified_time(self, name):
        oprettet = Fil.objects.filter(navn=name).values_list("oprettet", flat=True).first()
        if oprettet is None:
            raise FileNotFoundError(name)
        return oprettet

    get_created_time = get_modified_time
