from auditlog.registry import auditlog
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstModel
from borgere.models import Borger, Forsoergelsesgrundlag
from mikrolaan.konti.adgang import SynligQuerySet
from mikrolaan.revision.models import UforanderligError
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
        # A cancelled session's attendance rows are kept but not counted.
        gaeldende = Q(deltagelser__aktivitet__aflyst__isnull=True)
        return self.annotate(
            antal_registreret=Count("deltagelser", filter=gaeldende, distinct=True),
            antal_deltog=Count(
                "deltagelser", filter=gaeldende & Q(deltagelser__status="deltog"), distinct=True
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
    # active state, and the undo of a mistake. Everything else is refused by `skift_status`.
    OVERGANGE = {
        Status.OPKVALIFICERING: {Status.HOVEDFORLOEB, Status.AFBRUDT},
        # Back to the qualifying phase: a move to the main phase registered by mistake
        # (services.rettelser.fortryd_hovedforloeb decides who and until when).
        Status.HOVEDFORLOEB: {Status.AFSLUTTET, Status.AFBRUDT, Status.OPKVALIFICERING},
        # A discharge registered by mistake is reopened to the phase the programme was in
        # (services.rettelser.genaabn_forloeb: within 30 days, and only if a place is free).
        Status.AFSLUTTET: {Status.HOVEDFORLOEB},
        Status.AFBRUDT: {Status.OPKVALIFICERING, Status.HOVEDFORLOEB},
    }
    # A correction of the course (undoing the move to the main phase, reopening a discharge) is
    # possible this long after the step it corrects.
    RETTEFRIST_DAGE = 30
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
    # The provider's course staff member responsible for the programme: "Mine forløb" and the
    # phase reminders follow this. Set at admission (the admitting user if course staff, else
    # the provider's signer of the visitation); changed only by
    # `services.rettelser.omfordel_forloeb`.
    forloebsmedarbejder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarlig forløbsmedarbejder"),
        on_delete=models.PROTECT,
        related_name="ansvarlige_forloeb",
        null=True,
        blank=True,
    )

    objects = ForloebQuerySet.as_manager()

    class Meta:
        verbose_name = _("forløb")
        verbose_name_plural = _("forløb")
        ordering = ["-startdato", "-id"]
        indexes = [
            # The active programmes (AKTIVE; about a sixth of all) for the inbox's phases and the
            # reminders: a seq scan of every forløb before (55 ms at national scale, 15 ms with
            # it; issue 13). Partial, so finished programmes cost the index nothing.
            models.Index(
                fields=["status"],
                condition=Q(status__in=["opkvalificering", "hovedforloeb"]),
                name="forloeb_aktiv_idx",
            ),
        ]

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


class Aktivitet(FritekstModel, models.Model):
    """A session run by course staff: individual or for a group of citizens."""

    CPR_FRITEKST = ("sted", "beskrivelse", "aflysningsgrund")

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
    # People at a group session who are not programme participants (a partner, a guest speaker's
    # company): only their number, no personal data, so a course day shows its real size.
    gaester = models.PositiveSmallIntegerField(
        _("gæster"), default=0, validators=[MaxValueValidator(500)]
    )
    oprettet = models.DateTimeField(auto_now_add=True)
    # A cancelled session stays in the history, marked with who, when and why; its attendance
    # rows are then not counted anywhere.
    aflyst = models.DateTimeField(_("aflyst"), null=True, blank=True)
    aflyst_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aflyst af"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    aflysningsgrund = models.TextField(_("begrundelse for aflysningen"), blank=True)
    # The rows are created as "deltog"; the attendance counts as registered once someone has
    # confirmed it ("Alle deltog") or tapped a row. Until then the session is a to-do.
    fremmoede_registreret = models.DateTimeField(_("fremmøde registreret"), null=True, blank=True)
    fremmoede_registreret_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = SynligQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["-dato", "-starttid", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(varighed__gte=5) & Q(varighed__lte=600), name="aktivitet_varighed"
            ),
            models.CheckConstraint(
                condition=Q(form="gruppe") | Q(gaester=0), name="aktivitet_gaester_kun_i_gruppe"
            ),
            # Cancelled with who, when and why, or not cancelled at all.
            models.CheckConstraint(
                condition=Q(aflyst__isnull=True, aflyst_af__isnull=True, aflysningsgrund="")
                | (Q(aflyst__isnull=False, aflyst_af__isnull=False) & ~Q(aflysningsgrund="")),
                name="aktivitet_aflysning_begrundet",
            ),
            models.CheckConstraint(
                condition=Q(
                    fremmoede_registreret__isnull=True, fremmoede_registreret_af__isnull=True
                )
                | Q(fremmoede_registreret__isnull=False, fremmoede_registreret_af__isnull=False),
                name="aktivitet_fremmoede_registreret_af",
            ),
        ]
        indexes = [
            # The to-do "sessions without registered attendance" reads only these rows.
            models.Index(
                fields=["organisation", "dato"],
                condition=Q(fremmoede_registreret__isnull=True, aflyst__isnull=True),
                name="aktivitet_uregistreret",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.dato:%d.%m.%Y}"

    @property
    def er_aflyst(self) -> bool:
        return self.aflyst is not None


class Aktivitetsrettelse(FritekstModel, models.Model):
    """One correction of a session: which fields changed from what to what, by whom and why.

    The values are the page's own (dates, times, place, staff member, number of participants),
    never a citizen's name, so the record does not outlive a case's anonymisation.
    """

    CPR_FRITEKST = ("begrundelse",)

    aktivitet = models.ForeignKey(Aktivitet, on_delete=models.PROTECT, related_name="rettelser")
    # [{"felt": label, "foer": text, "efter": text}, ...]
    aendringer = models.JSONField(_("ændringer"), default=list)
    begrundelse = models.TextField(_("begrundelse"))
    oprettet = models.DateTimeField(_("rettet"), auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("rettelse af aktivitet")
        verbose_name_plural = _("rettelser af aktiviteter")
        ordering = ["oprettet", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(begrundelse=""), name="aktivitetsrettelse_begrundet"
            ),
        ]

    def __str__(self):
        return f"{self.aktivitet}: {self.oprettet:%d.%m.%Y}"


class Deltagelse(FritekstModel, models.Model):
    """One citizen's attendance at one session."""

    CPR_FRITEKST = ("note",)

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


class Udskrivning(FritekstModel, models.Model):
    """The discharge: ends the programme, frees the place, and the Erhvervschef is told."""

    CPR_FRITEKST = ("note",)

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
        "forloeb__henvisning__jobcenter",
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


auditlog.register(Forloeb)
auditlog.register(Fase)
auditlog.register(Faseforlaengelse)
auditlog.register(Overgangsvurdering)
auditlog.register(Aktivitet)
auditlog.register(Aktivitetsrettelse)
auditlog.register(Deltagelse)
auditlog.register(Udskrivning)
auditlog.register(Opfoelgning)
auditlog.register(Forloebsrettelse)

# The calendar link's table lives in its own module; imported here so Django finds the model.
from .kalenderlinks import Kalenderlink  # noqa: E402, F401
