"""Corrections of a programme's course (undone move, annulled discharge, reassignment),
insert-only."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstModel
from mikrolaan.konti.adgang import SynligQuerySet
from mikrolaan.revision.models import UforanderligError

from .faser import Overgangsvurdering
from .forloeb import Forloeb
from .udskrivning import Udskrivning


class Forloebsrettelse(FritekstModel, models.Model):
    """One correction of a programme's course: who, when, what and why (auditlog records that a
    field changed, not why). Insert-only, like the case history it is part of."""

    CPR_FRITEKST = ("begrundelse",)

    class Handling(models.TextChoices):
        HOVEDFORLOEB_FORTRUDT = (
            "hovedforloeb_fortrudt",
            _("Overgangen til hovedforløbet er fortrudt"),
        )
        UDSKRIVNING_ANNULLERET = "udskrivning_annulleret", _("Udskrivningen er annulleret")
        OMFORDELT = "omfordelt", _("Forløbet er omfordelt")

    DELTAGENDE_ORGANISATIONER = (
        "forloeb__jobcenter",
        "forloeb__pladsaftale__leverandoer",
    )

    forloeb = models.ForeignKey(Forloeb, on_delete=models.PROTECT, related_name="rettelser")
    handling = models.CharField(_("handling"), max_length=30, choices=Handling.choices)
    fra_status = models.CharField(_("fra status"), max_length=20, choices=Forloeb.Status.choices)
    til_status = models.CharField(_("til status"), max_length=20, choices=Forloeb.Status.choices)
    # What the correction undid, kept in the history (marked annulled).
    overgangsvurdering = models.ForeignKey(
        Overgangsvurdering, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    udskrivning = models.ForeignKey(
        Udskrivning, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # For a reassignment: the course staff member before (may be none) and after.
    fra_medarbejder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fra forløbsmedarbejder"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    til_medarbejder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("til forløbsmedarbejder"),
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
        verbose_name = _("rettelse af forløb")
        verbose_name_plural = _("rettelser af forløb")
        ordering = ["tidspunkt", "id"]
        constraints = [
            # A correction is never silent.
            models.CheckConstraint(condition=~Q(begrundelse=""), name="forloebsrettelse_begrundet"),
            # A reassignment names the new course staff member, who is not the old one.
            models.CheckConstraint(
                condition=~Q(handling="omfordelt")
                | (Q(til_medarbejder__isnull=False) & ~Q(fra_medarbejder=F("til_medarbejder"))),
                name="forloebsrettelse_omfordeling_ny_person",
            ),
        ]

    def __str__(self):
        return f"{self.forloeb_id}: {self.get_handling_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise UforanderligError("En rettelse af et forløb kan ikke ændres.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise UforanderligError("En rettelse af et forløb kan ikke slettes.")


auditlog.register(Forloebsrettelse)
