from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Indsendelse(models.Model):
    """A create form's one-time key, and what its first sending created."""

    # The primary key is the key itself: its uniqueness is what refuses the second sending.
    noegle = models.UUIDField(_("nøgle"), primary_key=True)
    bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    tidspunkt = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    objekt_type = models.ForeignKey(
        ContentType,
        verbose_name=_("objekttype"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    objekt_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    objekt = GenericForeignKey("objekt_type", "objekt_id")
    # Where the first sending sent the user; a repeat goes there too. Our URLs never carry a CPR.
    adresse = models.CharField(_("adresse"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("indsendelse")
        verbose_name_plural = _("indsendelser")

    def __str__(self):
        return str(self.noegle)
