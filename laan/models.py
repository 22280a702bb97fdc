"""Microloans: the application, its four-eyes approval, the repayment plan and the repayments.

A loan belongs to one programme (`Forloeb`) and is seen by the organisations taking part in it,
through `synlige_for` like every case object. Its status moves only through `OVERGANGE`
(`skift_status`, as `Forloeb`), and every move is a `Sagsgang` row: who, when, why.

Money is `Decimal` with two places (øre) everywhere; the rules that matter are held three times:
in the form, in the service and here as database constraints (amount bounds, four eyes, an
instalment never paid beyond its amount, a reversed payment always with its reason).
"""

from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstModel
from borgere.models import Dokument
from forloeb.models import Forloeb
from mikrolaan.konti.adgang import SynligQuerySet
from mikrolaan.statusmaskine import Statusmaskine

MINDSTE_BELOEB = Decimal("1000.00")
STOERSTE_BELOEB = Decimal("50000.00")
# DOMAIN.md rule 1: one programme's loans together never exceed this.
LOFT_PR_FORLOEB = Decimal("50000.00")
MAKS_LOEBETID = 60
MAKS_AFDRAGSFRI = 12

_beloeb = {"max_digits": 9, "decimal_places": 2}


class LaanQuerySet(SynligQuerySet):
    def bevilgede(self):
        """Loans that count towards the programme's ceiling: granted, and not refused or
        withdrawn. A written-off loan still counts: the money was lent."""
        return self.filter(status__in=Laan.BEVILGEDE)


class Laan(FritekstModel, Statusmaskine, models.Model):
    CPR_FRITEKST = ("formaal", "budget", "afskrivning_begrundelse")

    DELTAGENDE_ORGANISATIONER = (
        "forloeb__jobcenter",
        "forloeb__pladsaftale__leverandoer",
    )
    KOEBER = "forloeb__pladsaftale__koeber"

    class Status(models.TextChoices):
        ANSOEGT = "ansoegt", _("Ansøgt")
        BEVILGET = "bevilget", _("Bevilget")
        AFSLAAET = "afslaaet", _("Afslået")
        TILBAGETRUKKET = "tilbagetrukket", _("Tilbagetrukket")
        UDBETALT = "udbetalt", _("Udbetalt")
        INDFRIET = "indfriet", _("Indfriet")
        AFSKREVET = "afskrevet", _("Afskrevet")

    BEVILGEDE = (Status.BEVILGET, Status.UDBETALT, Status.INDFRIET, Status.AFSKREVET)
    # The loan's life (issue 8): granted or not, paid out, then repaid or written off. "Bevilget →
    # ansøgt" is the undo of an approval made by mistake (with a reason); "indfriet → udbetalt"
    # happens only when a payment that completed the loan is reversed.
    OVERGANGE = {
        Status.ANSOEGT: {Status.BEVILGET, Status.AFSLAAET, Status.TILBAGETRUKKET},
        Status.BEVILGET: {Status.UDBETALT, Status.ANSOEGT},
        Status.AFSLAAET: set(),
        Status.TILBAGETRUKKET: set(),
        Status.UDBETALT: {Status.INDFRIET, Status.AFSKREVET},
        Status.INDFRIET: {Status.UDBETALT},
        Status.AFSKREVET: set(),
    }
    ULOVLIG_OVERGANG = _("Et lån kan ikke gå fra %(fra)s til %(til)s.")

    forloeb = models.ForeignKey(
        Forloeb, on_delete=models.PROTECT, related_name="laan", verbose_name=_("forløb")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ANSOEGT
    )
    beloeb = models.DecimalField(
        _("beløb"),
        **_beloeb,
        validators=[MinValueValidator(MINDSTE_BELOEB), MaxValueValidator(STOERSTE_BELOEB)],
    )
    formaal = models.CharField(_("formål"), max_length=200)
    budget = models.TextField(_("budget"), help_text=_("Hvad pengene skal købe."))
    loebetid = models.PositiveSmallIntegerField(
        _("løbetid (måneder)"), validators=[MinValueValidator(1), MaxValueValidator(MAKS_LOEBETID)]
    )
    afdragsfri = models.PositiveSmallIntegerField(
        _("afdragsfrie måneder"), default=0, validators=[MaxValueValidator(MAKS_AFDRAGSFRI)]
    )
    # The programme lends interest-free (aktivloven §65); the field exists so a plan with interest
    # is a deliberate change, and the database keeps it at 0 until such a plan exists.
    rente = models.DecimalField(_("rente (% p.a.)"), max_digits=5, decimal_places=2, default=0)
    forretningsplan = models.ForeignKey(
        Dokument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forretningsplan"),
    )
    budgetdokument = models.ForeignKey(
        Dokument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("budget (dokument)"),
    )
    # Maker: the course staff member who registered the application.
    oprettet = models.DateTimeField(_("ansøgt"), auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Checker: the caseworker who granted it (never the maker).
    bevilget = models.DateTimeField(_("bevilget"), null=True, blank=True)
    bevilget_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    udbetalt_dato = models.DateField(_("udbetalt"), null=True, blank=True)
    # The payment reference a citizen puts on a bank transfer: the loan's number and a Luhn check
    # digit, given at disbursement (when there is something to pay back).
    reference = models.CharField(_("betalingsreference"), max_length=20, null=True, blank=True)
    # Write-off has its own four eyes: proposed by one person, approved by another caseworker.
    afskrivning_indstillet = models.DateTimeField(null=True, blank=True)
    afskrivning_indstillet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    afskrivning_begrundelse = models.TextField(_("begrundelse for afskrivning"), blank=True)
    afskrevet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = LaanQuerySet.as_manager()

    class Meta:
        verbose_name = _("lån")
        verbose_name_plural = _("lån")
        ordering = ["-oprettet", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(beloeb__gte=MINDSTE_BELOEB, beloeb__lte=STOERSTE_BELOEB),
                name="laan_beloeb_inden_for_graenser",
            ),
            models.CheckConstraint(
                condition=Q(loebetid__gte=1, loebetid__lte=MAKS_LOEBETID),
                name="laan_loebetid_1_til_60",
            ),
            models.CheckConstraint(
                condition=Q(afdragsfri__lte=MAKS_AFDRAGSFRI), name="laan_afdragsfri_hoejst_12"
            ),
            models.CheckConstraint(condition=Q(rente=0), name="laan_rentefrit"),
            # Four eyes (DOMAIN.md rule 2), also for a write-off.
            models.CheckConstraint(
                condition=Q(bevilget_af__isnull=True) | ~Q(bevilget_af=F("oprettet_af")),
                name="laan_fire_oejne_bevilling",
            ),
            models.CheckConstraint(
                condition=Q(afskrevet_af__isnull=True)
                | ~Q(afskrevet_af=F("afskrivning_indstillet_af")),
                name="laan_fire_oejne_afskrivning",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["ansoegt", "afslaaet", "tilbagetrukket"])
                | Q(bevilget_af__isnull=False),
                name="laan_bevilget_har_bevilger",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["udbetalt", "indfriet", "afskrevet"])
                | Q(udbetalt_dato__isnull=False, reference__isnull=False),
                name="laan_udbetalt_har_dato_og_reference",
            ),
            models.CheckConstraint(
                condition=~Q(status="afskrevet")
                | (Q(afskrevet_af__isnull=False) & ~Q(afskrivning_begrundelse="")),
                name="laan_afskrevet_begrundet",
            ),
            models.UniqueConstraint(fields=["reference"], name="laan_reference_unik"),
        ]
        indexes = [models.Index(fields=["status"], name="laan_status_idx")]

    def __str__(self):
        return f"{self.forloeb.borger} – {self.beloeb} kr. ({self.get_status_display()})"

    @property
    def er_aaben(self) -> bool:
        """Paid out and not yet repaid or written off: money is outstanding."""
        return self.status == self.Status.UDBETALT


class Sagsgang(FritekstModel, models.Model):
    """One move in a loan's life: who, when, from which status to which, and why."""

    CPR_FRITEKST = ("begrundelse",)

    laan = models.ForeignKey(Laan, on_delete=models.PROTECT, related_name="sagsgange")
    fra_status = models.CharField(max_length=20, choices=Laan.Status.choices, blank=True)
    til_status = models.CharField(max_length=20, choices=Laan.Status.choices)
    begrundelse = models.TextField(_("begrundelse"), blank=True)
    tidspunkt = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    udfoert_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sagsgang")
        verbose_name_plural = _("sagsgange")
        ordering = ["tidspunkt", "id"]
        constraints = [
            # Refusal, undo and write-off are never silent.
            models.CheckConstraint(
                condition=~Q(til_status__in=["afslaaet", "afskrevet"]) | ~Q(begrundelse=""),
                name="sagsgang_begrundet_afslag_og_afskrivning",
            ),
            models.CheckConstraint(
                condition=~(Q(fra_status="bevilget") & Q(til_status="ansoegt"))
                | ~Q(begrundelse=""),
                name="sagsgang_begrundet_fortrydelse",
            ),
        ]

    def __str__(self):
        return f"{self.laan_id}: {self.fra_status} → {self.til_status}"


class Afdrag(models.Model):
    """One monthly instalment of the plan made at disbursement. `betalt` is the part of the
    repayments allocated to it (oldest due first), recomputed whenever a payment is registered or
    reversed."""

    laan = models.ForeignKey(Laan, on_delete=models.PROTECT, related_name="afdrag")
    nummer = models.PositiveSmallIntegerField(_("nr."))
    forfald = models.DateField(_("forfald"))
    beloeb = models.DecimalField(_("beløb"), **_beloeb)
    betalt = models.DecimalField(_("betalt"), **_beloeb, default=Decimal("0.00"))
    # Set by the daily arrears run when it has told the case's people that this instalment is
    # overdue, so it is told once (the notification's idempotency key guards the same).
    restance_meldt = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("afdrag")
        verbose_name_plural = _("afdrag")
        # By the column, not the relation: ordering by "laan" would join every instalment query
        # to the loan table to sort by the loan's own ordering.
        ordering = ["laan_id", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["laan", "nummer"], name="afdrag_nummer_unikt"),
            models.UniqueConstraint(fields=["laan", "forfald"], name="afdrag_forfald_unikt"),
            models.CheckConstraint(condition=Q(beloeb__gt=0), name="afdrag_beloeb_positivt"),
            models.CheckConstraint(
                condition=Q(betalt__gte=0, betalt__lte=F("beloeb")),
                name="afdrag_betalt_hoejst_beloeb",
            ),
        ]
        indexes = [
            # The arrears run and the overdue list look for unpaid instalments by due date.
            models.Index(
                fields=["forfald"],
                condition=Q(betalt__lt=F("beloeb")),
                name="afdrag_ubetalt_forfald_idx",
            ),
        ]

    def __str__(self):
        return f"{self.nummer}: {self.forfald} {self.beloeb}"

    @property
    def rest(self) -> Decimal:
        return self.beloeb - self.betalt


class Indbetaling(FritekstModel, models.Model):
    """A repayment. Never deleted: a wrong one is reversed with a reason, and the allocation of the
    remaining payments over the instalments is recomputed."""

    CPR_FRITEKST = ("tilbagefoert_begrundelse",)

    laan = models.ForeignKey(Laan, on_delete=models.PROTECT, related_name="indbetalinger")
    dato = models.DateField(_("dato"))
    beloeb = models.DecimalField(_("beløb"), **_beloeb)
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    registreret = models.DateTimeField(auto_now_add=True)
    registreret_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A line of a bank statement, identified by its content and its occurrence in the file, so
    # importing the same statement twice adds nothing (the unique constraint holds it).
    importnoegle = models.CharField(max_length=64, null=True, blank=True)
    tilbagefoert = models.DateTimeField(_("tilbageført"), null=True, blank=True)
    tilbagefoert_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tilbagefoert_begrundelse = models.TextField(_("begrundelse for tilbageførsel"), blank=True)

    class Meta:
        verbose_name = _("indbetaling")
        verbose_name_plural = _("indbetalinger")
        ordering = ["dato", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(beloeb__gt=0), name="indbetaling_beloeb_positivt"),
            models.CheckConstraint(
                condition=Q(tilbagefoert__isnull=True)
                | (Q(tilbagefoert_af__isnull=False) & ~Q(tilbagefoert_begrundelse="")),
                name="indbetaling_tilbagefoersel_begrundet",
            ),
            models.UniqueConstraint(fields=["importnoegle"], name="indbetaling_importnoegle_unik"),
        ]

    def __str__(self):
        return f"{self.dato} {self.beloeb}"

    @property
    def er_gyldig(self) -> bool:
        return self.tilbagefoert is None


auditlog.register(Laan)
auditlog.register(Afdrag, exclude_fields=["restance_meldt"])
auditlog.register(Indbetaling)
