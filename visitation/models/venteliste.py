"""The waiting list: citizens waiting for a place under an agreement, in order."""

from auditlog.registry import auditlog
from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mikrolaan.konti.adgang import SynligQuerySet

from .henvisning import Henvisning
from .pladsaftale import Pladsaftale


class VentelisteQuerySet(SynligQuerySet):
    def ventende(self):
        """Citizens still waiting, first in line first, each with its position on its list."""
        return (
            self.filter(afsluttet__isnull=True)
            .annotate(
                nummer=Window(
                    RowNumber(),
                    partition_by=[F("pladsaftale_id")],
                    order_by=[F("opskrevet"), F("id")],
                )
            )
            .order_by("pladsaftale_id", "opskrevet", "id")
        )


class VentelistePlads(models.Model):
    """A citizen waiting for a place under an agreement, in the order they were put on the list."""

    DELTAGENDE_ORGANISATIONER = ("henvisning__jobcenter", "pladsaftale__leverandoer")

    pladsaftale = models.ForeignKey(
        Pladsaftale, on_delete=models.PROTECT, related_name="venteliste"
    )
    henvisning = models.OneToOneField(
        Henvisning, on_delete=models.PROTECT, related_name="ventelisteplads"
    )
    opskrevet = models.DateTimeField(_("opskrevet"), auto_now_add=True)
    afsluttet = models.DateTimeField(_("afsluttet"), null=True, blank=True)

    objects = VentelisteQuerySet.as_manager()

    class Meta:
        verbose_name = _("ventelisteplads")
        verbose_name_plural = _("venteliste")
        ordering = ["opskrevet", "id"]

    def __str__(self):
        return str(self.henvisning)

    @property
    def ventedage(self) -> int:
        slut = self.afsluttet or timezone.now()
        return (slut - self.opskrevet).days

    @property
    def position(self) -> int:
        """1 for the first in line (for a single row; lists use `ventende()`'s `nummer`)."""
        foran = VentelistePlads.objects.filter(
            pladsaftale_id=self.pladsaftale_id, afsluttet__isnull=True
        ).filter(Q(opskrevet__lt=self.opskrevet) | Q(opskrevet=self.opskrevet, id__lt=self.id))
        return foran.count() + 1


auditlog.register(VentelistePlads)
