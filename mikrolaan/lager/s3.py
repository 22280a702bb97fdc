"""Documents in an S3-compatible bucket (AWS S3, MinIO, Ceph, a municipality's object store),
through django-storages. Imported only when DOKUMENTLAGER=s3, so boto3 is needed only then."""

from django.core.files.base import ContentFile
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage


@deconstructible(path="mikrolaan.lager.s3.S3Lager")
class S3Lager(S3Storage):
    # Never overwrite on save (django-storages' default would): a name already taken gets a
    # suffix, as in the other storages. Only erstat() replaces a file, on purpose.
    file_overwrite = False
    # No URL is ever handed out (documents go through the access-checked view); no public ACL.
    default_acl = None

    def get_default_settings(self):
        return {**super().get_default_settings(), "file_overwrite": False, "default_acl": None}

    def erstat(self, name, data: bytes) -> None:
        """Replace a stored object's bytes, keeping its name (key rotation). An S3 PUT replaces
        the object whole: a reader gets the old object or the new one, never a mix."""
        if not self.exists(name):
            raise FileNotFoundError(name)
        self._save(name, ContentFile(data))
