"""The discharge that ends a programme, and the follow-ups 3, 6 and 12 months after it."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstModel
from borgere.models import Forsoergelsesgrundlag
from mikrolaan.konti.adgang import SynligQuerySet

from .forloeb import Forloeb


class Udskrivning(FritekstModel, models.Model):
    """The discharge: ends the programme, frees the place, and the Erhvervschef is told."""

    CPR_FRITEKST = ("note",)

    DELTAGENDE_ORGANISATIONER = (
        "forloeb__jobcenter",
        "forloeb__pladsaftale__leverandoer",
    )
    KOEBER = "forloeb__pladsaftale__koeber"

    class Aarsag(models.TextChoices):
        EGEN_VIRKSOMHED = "egen_virksomhed", _("Gennemført med egen virksomhed")
        UDEN_VIRKSOMHED = "uden_virksomhed", _("Gennemført uden virksomhed")
        JOB = "job", _("Job")
        UDDANNELSE = "uddannelse", _("Uddannelse")
        SYGDOM = "sygdom", _("Sygdom")
        MANGLENDE_MOTIVATION = "manglende_motivation", _("Manglende motivation")
        FLYTTET = "flyttet", _("Flyttet")
        ANDET = "andet", _("Andet")

    # Reasons that complete the programme (status afsluttet); the rest break it off (afbrudt).
    GENNEMFOERT = (Aarsag.EGEN_VIRKSOMHED, Aarsag.UDEN_VIRKSOMHED)

    # The programme this discharge ended. A discharge reopened as a mistake
    # (services.rettelser.genaabn_forloeb) stays in the history under `annulleret_forloeb`, and
    # `forloeb.udskrivning` is again free for a later discharge. Annulled discharges are outside
    # every scoped query (they have no `forloeb`), so no overview counts them.
    forloeb = models.OneToOneField(
        Forloeb,
        on_delete=models.PROTECT,
        related_name="udskrivning",
        null=True,
        blank=True,
    )
    annulleret_forloeb = models.ForeignKey(
        Forloeb,
        on_delete=models.PROTECT,
        related_name="annullerede_udskrivninger",
        null=True,
        blank=True,
    )
    dato = models.DateField(_("udskrivningsdato"))
    aarsag = models.CharField(_("årsag"), max_length=30, choices=Aarsag.choices)
    cvr = models.CharField(_("CVR-nummer"), max_length=8, blank=True)
    virksomhed_startet = models.DateField(_("virksomheden startede"), null=True, blank=True)
    forsoergelse_efter = models.ForeignKey(
        Forsoergelsesgrundlag,
        verbose_name=_("forsørgelsesgrundlag efter udskrivning"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("bemærkning"), blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = SynligQuerySet.as_manager()

    class Meta:
        verbose_name = _("udskrivning")
        verbose_name_plural = _("udskrivninger")
        ordering = ["-dato", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(aarsag="egen_virksomhed") | ~Q(cvr=""),
                name="udskrivning_egen_virksomhed_kraever_cvr",
                violation_error_message=_("Angiv virksomhedens CVR-nummer."),
            ),
            # Either the discharge that ended the programme, or one reopened as a mistake.
            models.CheckConstraint(
                condition=Q(forloeb__isnull=False, annulleret_forloeb__isnull=True)
                | Q(forloeb__isnull=True, annulleret_forloeb__isnull=False),
                name="udskrivning_gaeldende_eller_annulleret",
            ),
        ]
        indexes = [
            # The dashboard's discharge list walks the period's discharges in date order and
            # stops after a page of the buyer's: without it, every discharge of the period in
            # the country was sorted first (72 ms at national scale, 6 ms with it; issue 13).
            models.Index(fields=["dato", "id"], name="udskrivning_dato_idx"),
        ]

    def __str__(self):
        return f"{(self.forloeb or self.annulleret_forloeb).borger}: {self.get_aarsag_display()}"


class Opfoelgning(FritekstModel, models.Model):
    """Follow-up 3, 6 and 12 months after discharge: is the citizen self-supporting?"""

    CPR_FRITEKST = ("note",)

    DELTAGENDE_ORGANISATIONER = (
        "forloeb__jobcenter",
        "forloeb__pladsaftale__leverandoer",
    )
    MAANEDER = (3, 6, 12)

    forloeb = models.ForeignKey(Forloeb, on_delete=models.PROTECT, related_name="opfoelgninger")
    maaneder = models.PositiveSmallIntegerField(_("måneder efter udskrivning"))
    forfalder = models.DateField(_("forfalder"))
    selvforsoergende = models.BooleanField(_("selvforsørgende"), null=True, blank=True)
    forsoergelsesgrundlag = models.ForeignKey(
        Forsoergelsesgrundlag,
        verbose_name=_("forsørgelsesgrundlag"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.TextField(_("bemærkning"), blank=True)
    registreret = models.DateTimeField(null=True, blank=True)
    registreret_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = SynligQuerySet.as_manager()

    class Meta:
        verbose_name = _("opfølgning")
        verbose_name_plural = _("opfølgninger")
        ordering = ["forfalder", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["forloeb", "maaneder"], name="opfoelgning_en_pr_tidspunkt"
            ),
            models.CheckConstraint(condition=Q(maaneder__in=[3, 6, 12]), name="opfoelgning_3_6_12"),
        ]
        indexes = [
            # The daily reminders look for open follow-ups that have fallen due (forfalder <= today,
            # registreret IS NULL). Most follow-ups are registered, so the open ones are a small
            # slice: without this the run hash-scanned every follow-up (issue 13: 259k rows).
            models.Index(
                fields=["forfalder"],
                condition=Q(registreret__isnull=True),
                name="opfoelgning_aaben_idx",
            ),
        ]

    def __str__(self):
        return f"{self.forloeb.borger}: {self.maaneder} mdr."


auditlog.register(Udskrivning)
auditlog.register(Opfoelgning)
