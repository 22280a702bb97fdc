"""Citizens' documents encrypted at rest, with the CPR numbers' rotating keys (borgere/cpr.py).

`KrypteretLager` wraps the configured default storage (STORAGES["default"]: the database, an S3
bucket or a folder outside the web root, chosen by DOKUMENTLAGER; see mikrolaan/lager/): what it
writes is a marker line followed by a Fernet token of the file's bytes, and what it reads is
decrypted again. The storage beneath only ever holds ciphertext. A file without the marker was
stored before encryption was added and is read as it is; `manage.py roter_noegler` encrypts such
files and re-encrypts old-key ones. The whole file is held in memory while it is encrypted or
decrypted, which the 10 MB upload limit (services.DOKUMENT_MAKS_BYTES) keeps small.
"""

import os

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible

from . import cpr

MARKOER = b"mikrolaan-fernet-v1\n"


def krypter_indhold(data: bytes) -> bytes:
    return MARKOER + cpr.krypter_bytes(data)


def dekrypter_indhold(data: bytes) -> bytes:
    if not data.startswith(MARKOER):
        return data  # stored before encryption at rest
    return cpr.dekrypter_bytes(data[len(MARKOER) :])


def er_krypteret(data: bytes) -> bool:
    return data.startswith(MARKOER)


@deconstructible(path="borgere.lager.KrypteretLager")
class KrypteretLager(Storage):
    # Looked up on every call, not at start-up, so a change of STORAGES (tests use a temporary
    # folder) takes effect.
    @property
    def _lager(self) -> Storage:
        return storages["default"]

    def _save(self, name, content):
        content.seek(0)
        return self._lager.save(name, ContentFile(krypter_indhold(content.read())))

    def _open(self, name, mode="rb"):
        with self._lager.open(name, "rb") as fil:
            data = fil.read()
        return ContentFile(dekrypter_indhold(data), name=name)

    def laes_raa(self, name) -> bytes:
        """The stored bytes as they are, still encrypted (for key rotation and moving)."""
        with self._lager.open(name, "rb") as fil:
            return fil.read()

    def erstat_raa(self, name, data: bytes) -> None:
        """Replace a stored file's bytes, keeping its name (for key rotation).

        A download meanwhile must read the old bytes or the new, never half: the database and S3
        storages replace in one step (`erstat`: an UPDATE, a PUT); a folder by writing beside the
        file and renaming over it.
        """
        lager = self._lager
        if hasattr(lager, "erstat"):
            lager.erstat(name, data)
            return
        if not lager.exists(name):
            raise FileNotFoundError(name)
        sti = lager.path(name)
        midlertidig = f"{sti}.roterer"
        with open(midlertidig, "wb") as fil:
            fil.write(data)
            fil.flush()
        # A rename replaces the file at once: a download never sees half a file.
        os.replace(midlertidig, sti)

    def delete(self, name):
        self._lager.delete(name)

    def exists(self, name):
        return self._lager.exists(name)

    def size(self, name):
        return self._open(name).size

    def path(self, name):
        return self._lager.path(name)

    def get_available_name(self, name, max_length=None):
        return self._lager.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self._lager.generate_filename(filename)

    def listdir(self, path):
        return self._lager.listdir(path)
