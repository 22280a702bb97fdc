from auditlog.registry import auditlog
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from borgere.models import Borger
from mikrolaan.konti.adgang import SynligQuerySet
from visitation.models import Henvisning, Pladsaftale

FASE_MAANEDER = 6


class ForloebQuerySet(SynligQuerySet):
    def aktive(self):
        """Programmes that occupy a place."""
        return self.filter(status__in=Forloeb.AKTIVE)


class Forloeb(models.Model):
    """One citizen's run through the qualifying phase and the main phase."""

    DELTAGENDE_ORGANISATIONER = ("henvisning__jobcenter", "pladsaftale__leverandoer")

    class Status(models.TextChoices):
        OPKVALIFICERING = "opkvalificering", _("Opkvalificering")
        HOVEDFORLOEB = "hovedforloeb", _("Hovedforløb")
        AFSLUTTET = "afsluttet", _("Afsluttet")
        AFBRUDT = "afbrudt", _("Afbrudt")

    AKTIVE = (Status.OPKVALIFICERING, Status.HOVEDFORLOEB)

    borger = models.ForeignKey(Borger, on_delete=models.PROTECT, related_name="forloeb")
    henvisning = models.OneToOneField(Henvisning, on_delete=models.PROTECT, related_name="forloeb")
    pladsaftale = models.ForeignKey(Pladsaftale, on_delete=models.PROTECT, related_name="forloeb")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPKVALIFICERING
    )
    startdato = models.DateField(_("startdato"))
    oprettet = models.DateTimeField(_("indskrevet"), auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ForloebQuerySet.as_manager()

    class Meta:
        verbose_name = _("forløb")
        verbose_name_plural = _("forløb")
        ordering = ["-startdato", "-id"]

    def __str__(self):
        return f"{self.borger} ({self.get_status_display()})"


class Fase(models.Model):
    class Type(models.TextChoices):
        OPKVALIFICERING = "opkvalificering", _("Opkvalificerende forløb")
        HOVEDFORLOEB = "hovedforloeb", _("Hovedforløb")

    forloeb = models.ForeignKey(Forloeb, on_delete=models.CASCADE, related_name="faser")
    type = models.CharField(_("fase"), max_length=20, choices=Type.choices)
    planlagt_start = models.DateField(_("planlagt start"))
    planlagt_slut = models.DateField(_("planlagt slut"))
    faktisk_start = models.DateField(_("faktisk start"), null=True, blank=True)
    faktisk_slut = models.DateField(_("faktisk slut"), null=True, blank=True)

    class Meta:
        verbose_name = _("fase")
        verbose_name_plural = _("faser")
        ordering = ["planlagt_start"]
        constraints = [
            models.UniqueConstraint(fields=["forloeb", "type"], name="fase_en_pr_type"),
            models.CheckConstraint(
                condition=Q(planlagt_slut__gt=F("planlagt_start")), name="fase_planlagt_periode"
            ),
        ]

    def __str__(self):
        return self.get_type_display()


def planlagte_faser(startdato) -> list[tuple[str, object, object]]:
    """The two phases' planned dates: 6 and 12 calendar months from the start.

    relativedelta clamps to the month's end (31 Aug + 6 months = 28/29 Feb), and the main phase's
    end is counted from the start date, not from the clamped date, so it lands on 31 Aug again.
    """
    skifte = startdato + relativedelta(months=FASE_MAANEDER)
    slut = startdato + relativedelta(months=2 * FASE_MAANEDER)
    return [
        (Fase.Type.OPKVALIFICERING, startdato, skifte),
        (Fase.Type.HOVEDFORLOEB, skifte, slut),
    ]


auditlog.register(Forloeb)
auditlog.register(Fase)
