"""The programme's two phases: planned dates, extensions and the assessment before the main
phase."""

from auditlog.registry import auditlog
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstModel

from .forloeb import Forloeb

FASE_MAANEDER = 6


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


class Faseforlaengelse(FritekstModel, models.Model):
    """An extension of a phase's planned end: always with a reason, never silently."""

    CPR_FRITEKST = ("begrundelse",)

    fase = models.ForeignKey(Fase, on_delete=models.PROTECT, related_name="forlaengelser")
    tidligere_slut = models.DateField(_("tidligere planlagt slut"))
    ny_slut = models.DateField(_("ny planlagt slut"))
    begrundelse = models.TextField(_("begrundelse"))
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("faseforlængelse")
        verbose_name_plural = _("faseforlængelser")
        ordering = ["oprettet"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ny_slut__gt=F("tidligere_slut")), name="forlaengelse_senere_slut"
            ),
            models.CheckConstraint(condition=~Q(begrundelse=""), name="forlaengelse_begrundet"),
        ]

    def __str__(self):
        return f"{self.fase}: {self.tidligere_slut} → {self.ny_slut}"


class Overgangsvurdering(FritekstModel, models.Model):
    """Course staff's assessment that the citizen is ready for the main phase (DOMAIN.md rule 5)."""

    CPR_FRITEKST = ("anbefaling", "bekraeftelse")

    # The programme whose move this assessment stands behind; when the move is undone
    # (services.rettelser.fortryd_hovedforloeb) the assessment stays in the history under
    # `annulleret_forloeb`, and a later move needs a new one.
    forloeb = models.OneToOneField(
        Forloeb,
        on_delete=models.PROTECT,
        related_name="overgangsvurdering",
        null=True,
        blank=True,
    )
    annulleret_forloeb = models.ForeignKey(
        Forloeb,
        on_delete=models.PROTECT,
        related_name="annullerede_overgangsvurderinger",
        null=True,
        blank=True,
    )
    personlig_vejledning = models.BooleanField(_("har modtaget personlig vejledning"))
    erhvervscoaching = models.BooleanField(_("har modtaget erhvervscoaching"))
    finansiel_raadgivning = models.BooleanField(_("har modtaget finansiel rådgivning"))
    regnskab = models.BooleanField(_("har deltaget i undervisning i regnskab"))
    skat = models.BooleanField(_("har deltaget i undervisning i skat"))
    moms = models.BooleanField(_("har deltaget i undervisning i moms"))
    forretningsplan_klar = models.BooleanField(_("forretningsplanen er klar"))
    anbefaling = models.TextField(_("anbefaling"))
    # Why the move was made anyway, when it came before the qualifying phase's planned end or
    # with the checklist incomplete (the staff member confirmed it); empty otherwise.
    bekraeftelse = models.TextField(_("begrundelse for at gå videre alligevel"), blank=True)
    vurderet = models.DateTimeField(auto_now_add=True)
    vurderet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("overgangsvurdering")
        verbose_name_plural = _("overgangsvurderinger")
        constraints = [
            # Either the assessment behind the programme's move, or one whose move was undone.
            models.CheckConstraint(
                condition=Q(forloeb__isnull=False, annulleret_forloeb__isnull=True)
                | Q(forloeb__isnull=True, annulleret_forloeb__isnull=False),
                name="overgangsvurdering_gaeldende_eller_annulleret",
            ),
        ]

    def __str__(self):
        return str(self.forloeb or self.annulleret_forloeb)


auditlog.register(Fase)
auditlog.register(Faseforlaengelse)
auditlog.register(Overgangsvurdering)
