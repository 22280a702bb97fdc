from auditlog.registry import auditlog
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borgere.models import Borger, Forsoergelsesgrundlag
from mikrolaan.konti.adgang import SynligQuerySet
from mikrolaan.statusmaskine import Statusmaskine
from visitation.models import Henvisning, Pladsaftale

FASE_MAANEDER = 6


# Attendance below this share of registered sessions flags a programme as at risk.
RISIKO_FREMMOEDE = 0.75
# ... once at least this many sessions are registered (one missed meeting is not a pattern).
RISIKO_MINDST_REGISTRERET = 3


class ForloebQuerySet(SynligQuerySet):
    def aktive(self):
        """Programmes that occupy a place."""
        return self.filter(status__in=Forloeb.AKTIVE)

    def med_noegletal(self):
        """Each programme with its attendance counts and the current phase's planned end, for
        work lists and flags (`fremmoedeprocent`, `dage_tilbage`, `i_risiko`) in one query."""
        aktuel_fase = Fase.objects.filter(forloeb=OuterRef("pk"), type=OuterRef("status"))
        return self.annotate(
            antal_registreret=Count("deltagelser", distinct=True),
            antal_deltog=Count(
                "deltagelser", filter=Q(deltagelser__status="deltog"), distinct=True
            ),
            fase_slut=Subquery(aktuel_fase.values("planlagt_slut")[:1]),
        )


class Forloeb(Statusmaskine, models.Model):
    """One citizen's run through the qualifying phase and the main phase."""

    DELTAGENDE_ORGANISATIONER = ("henvisning__jobcenter", "pladsaftale__leverandoer")
    KOEBER = "pladsaftale__koeber"

    class Status(models.TextChoices):
        OPKVALIFICERING = "opkvalificering", _("Opkvalificering")
        HOVEDFORLOEB = "hovedforloeb", _("Hovedforløb")
        AFSLUTTET = "afsluttet", _("Afsluttet")
        AFBRUDT = "afbrudt", _("Afbrudt")

    AKTIVE = (Status.OPKVALIFICERING, Status.HOVEDFORLOEB)
    # The only moves the programme may make: forward through the phases, or broken off from any
    # active state. Everything else is refused by `skift_status`.
    OVERGANGE = {
        Status.OPKVALIFICERING: {Status.HOVEDFORLOEB, Status.AFBRUDT},
        Status.HOVEDFORLOEB: {Status.AFSLUTTET, Status.AFBRUDT},
        Status.AFSLUTTET: set(),
        Status.AFBRUDT: set(),
    }
    ULOVLIG_OVERGANG = _("Et forløb kan ikke gå fra %(fra)s til %(til)s.")

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

    @property
    def er_aktiv(self) -> bool:
        return self.status in self.AKTIVE

    # The three below need `Forloeb.objects.med_noegletal()`.
    @property
    def fremmoedeprocent(self) -> int | None:
        if not self.antal_registreret:
            return None
        return round(100 * self.antal_deltog / self.antal_registreret)

    @property
    def dage_tilbage(self) -> int | None:
        """Days until the current phase's planned end (negative when overdue)."""
        if self.fase_slut is None or not self.er_aktiv:
            return None
        return (self.fase_slut - timezone.localdate()).days

    @property
    def i_risiko(self) -> bool:
        lavt_fremmoede = (
            self.antal_registreret >= RISIKO_MINDST_REGISTRERET
            and self.antal_deltog / self.antal_registreret < RISIKO_FREMMOEDE
        )
        overskredet = self.dage_tilbage is not None and self.dage_tilbage < 0
        return lavt_fremmoede or overskredet


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


class Faseforlaengelse(models.Model):
    """An extension of a phase's planned end: always with a reason, never silently."""

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


class Overgangsvurdering(models.Model):
    """Course staff's assessment that the citizen is ready for the main phase (DOMAIN.md rule 5)."""

    forloeb = models.OneToOneField(
        Forloeb, on_delete=models.PROTECT, related_name="overgangsvurdering"
    )
    personlig_vejledning = models.BooleanField(_("har modtaget personlig vejledning"))
    erhvervscoaching = models.BooleanField(_("har modtaget erhvervscoaching"))
    finansiel_raadgivning = models.BooleanField(_("har modtaget finansiel rådgivning"))
    regnskab = models.BooleanField(_("har deltaget i undervisning i regnskab"))
    skat = models.BooleanField(_("har deltaget i undervisning i skat"))
    moms = models.BooleanField(_("har deltaget i undervisning i moms"))
    forretningsplan_klar = models.BooleanField(_("forretningsplanen er klar"))
    anbefaling = models.TextField(_("anbefaling"))
    vurderet = models.DateTimeField(auto_now_add=True)
    vurderet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("overgangsvurdering")
        verbose_name_plural = _("overgangsvurderinger")

    def __str__(self):
        return str(self.forloeb)


class Aktivitet(models.Model):
    """A session run by course staff: individual or for a group of citizens."""

    DELTAGENDE_ORGANISATIONER = ("organisation",)

    class Type(models.TextChoices):
        # Qualifying phase
        PERSONLIG_VEJLEDNING = "personlig_vejledning", _("Personlig vejledning")
        ERHVERVSCOACHING = "erhvervscoaching", _("Erhvervscoaching")
        FINANSIEL_RAADGIVNING = "finansiel_raadgivning", _("Finansiel rådgivning")
        REGNSKAB = "regnskab", _("Undervisning i regnskab")
        SKAT = "skat", _("Undervisning i skat")
        MOMS = "moms", _("Undervisning i moms")
        # Main phase
        SPARRING = "sparring", _("Individuel sparring og rådgivning")
        KURSUSDAG = "kursusdag", _("Kollektiv kursusdag")
        NETVAERKSMOEDE = "netvaerksmoede", _("Netværksmøde")

    class Form(models.TextChoices):
        INDIVIDUEL = "individuel", _("Individuel")
        GRUPPE = "gruppe", _("Gruppe")

    # Which phase offers which session types (the memo's two lists).
    TYPER_I_FASE = {
        Fase.Type.OPKVALIFICERING: [
            Type.PERSONLIG_VEJLEDNING,
            Type.ERHVERVSCOACHING,
            Type.FINANSIEL_RAADGIVNING,
            Type.REGNSKAB,
            Type.SKAT,
            Type.MOMS,
        ],
        Fase.Type.HOVEDFORLOEB: [Type.SPARRING, Type.KURSUSDAG, Type.NETVAERKSMOEDE],
    }

    type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    dato = models.DateField(_("dato"))
    starttid = models.TimeField(_("starttid"))
    varighed = models.PositiveSmallIntegerField(
        _("varighed (minutter)"), validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    sted = models.CharField(_("sted"), max_length=200)
    medarbejder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medarbejder"),
        on_delete=models.PROTECT,
        related_name="aktiviteter",
    )
    # The providing organisation that runs the session (its staff see it).
    organisation = models.ForeignKey(
        "konti.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    beskrivelse = models.TextField(_("beskrivelse"), blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = SynligQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["-dato", "-starttid", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(varighed__gte=5) & Q(varighed__lte=600), name="aktivitet_varighed"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.dato:%d.%m.%Y}"


class Deltagelse(models.Model):
    """One citizen's attendance at one session."""

    DELTAGENDE_ORGANISATIONER = (
        "forloeb__henvisning__jobcenter",
        "forloeb__pladsaftale__leverandoer",
    )

    class Status(models.TextChoices):
        DELTOG = "deltog", _("Deltog")
        AFBUD = "afbud", _("Afbud")
        UDEBLEV = "udeblev", _("Udeblev")

    aktivitet = models.ForeignKey(Aktivitet, on_delete=models.CASCADE, related_name="deltagelser")
    forloeb = models.ForeignKey(Forloeb, on_delete=models.PROTECT, related_name="deltagelser")
    status = models.CharField(_("fremmøde"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    registreret = models.DateTimeField(auto_now=True)
    registreret_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = SynligQuerySet.as_manager()

    class Meta:
        verbose_name = _("deltagelse")
        verbose_name_plural = _("deltagelser")
        constraints = [
            models.UniqueConstraint(
                fields=["aktivitet", "forloeb"], name="deltagelse_en_pr_forloeb"
            )
        ]

    def __str__(self):
        return f"{self.forloeb.borger} – {self.aktivitet}: {self.get_status_display()}"


class Udskrivning(models.Model):
    """The discharge: ends the programme, frees the place, and the Erhvervschef is told."""

    DELTAGENDE_ORGANISATIONER = (
        "forloeb__henvisning__jobcenter",
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

    forloeb = models.OneToOneField(Forloeb, on_delete=models.PROTECT, related_name="udskrivning")
    dato = models.DateField(_("udskrivningsdato"))
    aarsag = models.CharField(_("årsag"), max_length=30, choices=Aarsag.choices)
    cvr = models.CharField(_("CVR-nummer"), max_length=8, blank=True)
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
        ]

    def __str__(self):
        return f"{self.forloeb.borger}: {self.get_aarsag_display()}"


class Opfoelgning(models.Model):
    """Follow-up 3, 6 and 12 months after discharge: is the citizen self-supporting?"""

    DELTAGENDE_ORGANISATIONER = (
        "forloeb__henvisning__jobcenter",
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

    def __str__(self):
        return f"{self.forloeb.borger}: {self.maaneder} mdr."


auditlog.register(Forloeb)
auditlog.register(Fase)
auditlog.register(Faseforlaengelse)
auditlog.register(Overgangsvurdering)
auditlog.register(Aktivitet)
auditlog.register(Deltagelse)
auditlog.register(Udskrivning)
auditlog.register(Opfoelgning)
