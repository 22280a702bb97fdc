"""Sessions run by course staff, their corrections, and each citizen's attendance."""

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstModel
from mikrolaan.konti.adgang import SynligQuerySet

from .faser import Fase
from .forloeb import Forloeb


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
        "forloeb__jobcenter",
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


auditlog.register(Aktivitet)
auditlog.register(Aktivitetsrettelse)
auditlog.register(Deltagelse)
