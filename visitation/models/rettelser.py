"""Corrections of a referral (withdrawn, taken off the waiting list, reassigned), insert-only."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstModel
from mikrolaan.konti.adgang import SynligQuerySet
from mikrolaan.revision.models import UforanderligError

from .henvisning import Henvisning


class Henvisningsrettelse(FritekstModel, models.Model):
    """One correction of a referral: who, when, what and why (the reason is the point: auditlog
    records that a field changed, not why). Insert-only, like the case history it is part of."""

    CPR_FRITEKST = ("begrundelse",)

    class Handling(models.TextChoices):
        TILBAGETRUKKET = "tilbagetrukket", _("Henvisningen er trukket tilbage")
        FJERNET_FRA_VENTELISTE = "fjernet_fra_venteliste", _("Fjernet fra ventelisten")
        OMFORDELT = "omfordelt", _("Sagen er omfordelt")

    DELTAGENDE_ORGANISATIONER = ("henvisning__jobcenter", "henvisning__pladsaftale__leverandoer")

    henvisning = models.ForeignKey(Henvisning, on_delete=models.PROTECT, related_name="rettelser")
    handling = models.CharField(_("handling"), max_length=30, choices=Handling.choices)
    fra_status = models.CharField(_("fra status"), max_length=30, choices=Henvisning.Status.choices)
    til_status = models.CharField(_("til status"), max_length=30, choices=Henvisning.Status.choices)
    # For a reassignment: the caseworker before and after (empty for the other corrections).
    fra_sagsbehandler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fra sagsbehandler"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    til_sagsbehandler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("til sagsbehandler"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    begrundelse = models.TextField(_("begrundelse"))
    tidspunkt = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    udfoert_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("udført af"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SynligQuerySet.as_manager()

    class Meta:
        verbose_name = _("rettelse af henvisning")
        verbose_name_plural = _("rettelser af henvisninger")
        ordering = ["tidspunkt", "id"]
        constraints = [
            # A correction is never silent.
            models.CheckConstraint(
                condition=~Q(begrundelse=""), name="henvisningsrettelse_begrundet"
            ),
            # A reassignment names both caseworkers, and they differ.
            models.CheckConstraint(
                condition=~Q(handling="omfordelt")
                | (
                    Q(fra_sagsbehandler__isnull=False, til_sagsbehandler__isnull=False)
                    & ~Q(fra_sagsbehandler=F("til_sagsbehandler"))
                ),
                name="henvisningsrettelse_omfordeling_to_personer",
            ),
        ]

    def __str__(self):
        return f"{self.henvisning_id}: {self.get_handling_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise UforanderligError("En rettelse af en henvisning kan ikke ændres.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise UforanderligError("En rettelse af en henvisning kan ikke slettes.")


auditlog.register(Henvisningsrettelse)
