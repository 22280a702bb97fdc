from django.db import models
from django.utils.translation import gettext_lazy as _


class Fil(models.Model):
    """One stored file: its name in the storage and its bytes (already encrypted by the caller)."""

    navn = models.CharField(_("navn"), max_length=255, unique=True)
    indhold = models.BinaryField(_("indhold"))
    # Kept beside the bytes so size() and listings never load a file's content.
    stoerrelse = models.PositiveBigIntegerField(_("størrelse"))
    oprettet = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("fil")
        verbose_name_plural = _("filer")

    def __str__(self):
        return self.navn
