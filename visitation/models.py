from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstModel
from borgere.models import Borger, Forsoergelsesgrundlag
from mikrolaan.konti.adgang import SAGSROLLER, SynligQuerySet
from mikrolaan.konti.models import Organisation, Rolle
from mikrolaan.revision.models import UforanderligError
from mikrolaan.statusmaskine import Statusmaskine


def _antal(raekker: models.QuerySet, felt: str) -> Coalesce:
    """COUNT of `raekker` per outer row as a correlated subquery (0 when there are none).

    One subquery per count rather than Count() over joins: two LEFT JOINs multiply rows, and at
    national scale (100,000 citizens) the DISTINCT counts over them took 11 s; this takes ms.
    """
    taelling = raekker.order_by().values(felt).annotate(antal=Count("pk")).values("antal")
    return Coalesce(Subquery(taelling, output_field=IntegerField()), 0)


class PladsaftaleQuerySet(SynligQuerySet):
    def aktuelle(self, dato=None):
        """Agreements running on the date: the ones a citizen can be referred to."""
        dato = dato or timezone.localdate()
        return self.filter(gyldig_fra__lte=dato, gyldig_til__gte=dato)

    def henviselige_for(self, bruger):
        """The agreements the user's organisation may refer citizens to: those it buys itself, or
        that a municipality it serves as jobcenter buys (`Organisation.betjent_af`). A referral
        shares the citizen with the provider, so an agreement between two other organisations is
        not on offer. One subquery on the small organisation table, so the agreement's buyer
        index does the rest."""
        if bruger.organisation_id is None:
            return self.none()
        koebere = Organisation.objects.filter(
            Q(pk=bruger.organisation_id) | Q(betjent_af=bruger.organisation_id)
        ).values("pk")
        return self.filter(koeber__in=koebere)

    def med_belaegning(self):
        """Each agreement with `optagne` (places in use) and `ventende` (waiting list length).

        A place is in use while its referral is `optaget`: the programme's discharge moves the
        referral on to `afsluttet`, so this app counts places from its own rows.
        """
        return self.annotate(
            optagne=_antal(
                Henvisning.objects.filter(
                    pladsaftale=OuterRef("pk"), status=Henvisning.Status.OPTAGET
                ),
                "pladsaftale",
            ),
            ventende=_antal(
                VentelistePlads.objects.filter(pladsaftale=OuterRef("pk"), afsluttet__isnull=True),
                "pladsaftale",
            ),
        )


class Pladsaftale(models.Model):
    """Places one organisation buys from another for a period, e.g. Ishøj buys 2 at Næstved."""

    # Buyer and provider see the agreement, and so does a jobcenter that referred citizens to it.
    DELTAGENDE_ORGANISATIONER = ("koeber", "leverandoer", "henvisninger__jobcenter")
    SYNLIG_FOR_ROLLER = (*SAGSROLLER, Rolle.ERHVERVSCHEF)
    KOEBER = "koeber"

    navn = models.CharField(_("navn"), max_length=200)
    koeber = models.ForeignKey(
        Organisation, verbose_name=_("køber"), on_delete=models.PROTECT, related_name="+"
    )
    leverandoer = models.ForeignKey(
        Organisation, verbose_name=_("leverandør"), on_delete=models.PROTECT, related_name="+"
    )
    antal_pladser = models.PositiveSmallIntegerField(_("antal pladser"))
    gyldig_fra = models.DateField(_("gyldig fra"))
    gyldig_til = models.DateField(_("gyldig til"))
    pris_pr_plads = models.DecimalField(_("pris pr. plads (kr.)"), max_digits=10, decimal_places=2)

    objects = PladsaftaleQuerySet.as_manager()

    class Meta:
        verbose_name = _("pladsaftale")
        verbose_name_plural = _("pladsaftaler")
        ordering = ["-gyldig_fra", "navn"]
        constraints = [
            models.CheckConstraint(
                condition=Q(antal_pladser__gte=1),
                name="pladsaftale_mindst_en_plads",
                violation_error_message=_("En pladsaftale skal have mindst én plads."),
            ),
            models.CheckConstraint(
                condition=Q(gyldig_til__gte=F("gyldig_fra")),
                name="pladsaftale_periode",
                violation_error_message=_("Slutdatoen skal ligge efter startdatoen."),
            ),
            models.CheckConstraint(
                condition=Q(pris_pr_plads__gte=0),
                name="pladsaftale_pris_ikke_negativ",
                violation_error_message=_("Prisen kan ikke være negativ."),
            ),
            models.CheckConstraint(
                condition=~Q(koeber=F("leverandoer")),
                name="pladsaftale_to_parter",
                violation_error_message=_("Køber og leverandør skal være forskellige."),
            ),
        ]

    def __str__(self):
        return self.navn


class Henvisning(FritekstModel, Statusmaskine, models.Model):
    """The caseworker's referral of a citizen to a place agreement's programme.

    Its status follows the intake from referral to the end of the place it may win: `optaget`
    while the citizen holds a place, `afsluttet` once the programme has ended (set by the
    discharge), so occupancy and "one open case per citizen" are answered from this table alone.
    """

    CPR_FRITEKST = ("forretningsidee", "motivation", "vurdering")

    DELTAGENDE_ORGANISATIONER = ("jobcenter", "pladsaftale__leverandoer")
    KOEBER = "pladsaftale__koeber"

    class Status(models.TextChoices):
        HENVIST = "henvist", _("Henvist – afventer visitation")
        AFVENTER_UNDERSKRIFT = "afventer_underskrift", _("Visitation afventer underskrift")
        OPTAGET = "optaget", _("Optaget")
        VENTELISTE = "venteliste", _("På venteliste")
        AFVIST = "afvist", _("Afvist")
        AFSLUTTET = "afsluttet", _("Forløbet er afsluttet")
        TILBAGETRUKKET = "tilbagetrukket", _("Trukket tilbage")
        # Its own status rather than "tilbagetrukket": the referral was not withdrawn by the
        # jobcenter but taken off the queue (by either party, e.g. the citizen found work or lost
        # interest), and the lists and the committee's figures tell the two apart.
        FJERNET_FRA_VENTELISTE = "fjernet_fra_venteliste", _("Fjernet fra venteliste")

    # A citizen has at most one referral in these statuses: still being decided, waiting for a
    # place, or holding one (the partial unique constraint below keeps it in the database too).
    AABNE = (
        Status.HENVIST,
        Status.AFVENTER_UNDERSKRIFT,
        Status.VENTELISTE,
        Status.OPTAGET,
    )
    OVERGANGE = {
        # The joint visitation is recorded and signed by the first party; until a decision holds,
        # the referring caseworker may withdraw the referral.
        Status.HENVIST: {Status.AFVENTER_UNDERSKRIFT, Status.TILBAGETRUKKET},
        # The last signature decides: admitted, waiting list (also when the agreement is full),
        # or rejected.
        Status.AFVENTER_UNDERSKRIFT: {
            Status.OPTAGET,
            Status.VENTELISTE,
            Status.AFVIST,
            Status.TILBAGETRUKKET,
        },
        # A freed place is given to the first in line; a citizen may leave the queue.
        Status.VENTELISTE: {
            Status.OPTAGET,
            Status.TILBAGETRUKKET,
            Status.FJERNET_FRA_VENTELISTE,
        },
        # The programme's discharge ends the place.
        Status.OPTAGET: {Status.AFSLUTTET},
        Status.AFVIST: set(),
        # A discharge registered by mistake, reopened within 30 days (forloeb decides who and
        # when, and that the place is still free, under the agreement's lock).
        Status.AFSLUTTET: {Status.OPTAGET},
        Status.TILBAGETRUKKET: set(),
        Status.FJERNET_FRA_VENTELISTE: set(),
    }
    ULOVLIG_OVERGANG = _("En henvisning kan ikke gå fra %(fra)s til %(til)s.")
    # The statuses in which the referral shares the citizen's record with the provider: while it
    # is decided, on the waiting list, in the programme and after it (follow-ups). A provider that
    # rejected the citizen, or whose referral was withdrawn or left the queue, keeps the referral
    # and its visitation record, not the citizen (`deler_borger`, Borger.DELTAGENDE_ORGANISATIONER).
    DELER_BORGEREN = (
        Status.HENVIST,
        Status.AFVENTER_UNDERSKRIFT,
        Status.VENTELISTE,
        Status.OPTAGET,
        Status.AFSLUTTET,
    )

    borger = models.ForeignKey(
        Borger, verbose_name=_("borger"), on_delete=models.PROTECT, related_name="henvisninger"
    )
    pladsaftale = models.ForeignKey(
        Pladsaftale,
        verbose_name=_("pladsaftale"),
        on_delete=models.PROTECT,
        related_name="henvisninger",
    )
    jobcenter = models.ForeignKey(
        Organisation, verbose_name=_("jobcenter"), on_delete=models.PROTECT, related_name="+"
    )
    forretningsidee = models.TextField(_("forretningsidé"))
    motivation = models.TextField(_("motivation"))
    forsoergelsesgrundlag = models.ForeignKey(
        Forsoergelsesgrundlag,
        verbose_name=_("forsørgelsesgrundlag"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    vurdering = models.TextField(_("sagsbehandlers vurdering"))
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.HENVIST
    )
    # Computed by the database from the status, so the citizen's scoping (a lower app) reads a
    # fact of the referral instead of copying this app's status values.
    deler_borger = models.GeneratedField(
        expression=Q(status__in=DELER_BORGEREN),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("deler borgeren med leverandøren"),
    )
    oprettet = models.DateTimeField(_("henvist"), auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("henvist af"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The caseworker responsible for the case now: the referrer until the case is reassigned to a
    # colleague of the same jobcenter. Notifications and the "Mine" lists follow this, not
    # `oprettet_af`, which stays who referred.
    sagsbehandler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarlig sagsbehandler"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SynligQuerySet.as_manager()

    class Meta:
        verbose_name = _("henvisning")
        verbose_name_plural = _("henvisninger")
        ordering = ["-oprettet", "-id"]
        constraints = [
            # One open referral (or held place) per citizen at a time; a rejected or ended one
            # may be followed by a new one. The values are Henvisning.AABNE.
            models.UniqueConstraint(
                fields=["borger"],
                condition=Q(
                    status__in=["henvist", "afventer_underskrift", "venteliste", "optaget"]
                ),
                name="henvisning_en_aaben_pr_borger",
                violation_error_message=_(
                    "Borgeren har allerede en åben henvisning eller et aktivt forløb."
                ),
            )
        ]
        indexes = [
            # The Erhvervschef's funnel: the referrals of the agreements she buys made in a
            # period (oversigt/tragt.py). Issue 13: a parallel scan of all 110,000 referrals,
            # 29 ms for a quarter, became one index range per agreement, 0.7 ms.
            models.Index(fields=["pladsaftale", "oprettet"], name="henvisning_aftale_tid_idx"),
            # The to-do inbox's referrals waiting for a visitation or a signature: a few hundred
            # of 110,000 (issue 13: 23 ms -> 0.8 ms).
            models.Index(fields=["status"], name="henvisning_status_idx"),
        ]

    def __str__(self):
        return f"{self.borger} – {self.pladsaftale}"

    def save(self, *args, **kwargs):
        # The referrer is responsible until someone reassigns the case.
        if self.sagsbehandler_id is None:
            self.sagsbehandler_id = self.oprettet_af_id
        super().save(*args, **kwargs)

    @property
    def parter(self) -> list[int]:
        """The organisations that must each sign the visitation: jobcenter and provider."""
        return [self.jobcenter_id, self.pladsaftale.leverandoer_id]


class Vurdering(models.TextChoices):
    JA = "ja", _("Ja")
    MAASKE = "maaske", _("Med forbehold")
    NEJ = "nej", _("Nej")


class Visitation(FritekstModel, models.Model):
    """The joint intake assessment by the jobcenter and the provider, signed by both."""

    CPR_FRITEKST = (
        "deltagere",
        "kan_gennemfoere_note",
        "motivation_note",
        "forretningsidee_note",
        "personlige_forhold_note",
        "oekonomiske_forhold_note",
        "afvisningsgrund",
    )

    DELTAGENDE_ORGANISATIONER = ("henvisning__jobcenter", "henvisning__pladsaftale__leverandoer")

    class Beslutning(models.TextChoices):
        OPTAGET = "optaget", _("Optages")
        AFVIST = "afvist", _("Afvises")
        VENTELISTE = "venteliste", _("Venteliste")

    henvisning = models.OneToOneField(
        Henvisning, on_delete=models.PROTECT, related_name="visitation"
    )
    moededato = models.DateField(_("mødedato"))
    deltagere = models.TextField(_("deltagere"), help_text=_("Navne og roller på deltagerne."))
    # The memo's key question comes first: can the citizen complete an entrepreneurship programme?
    kan_gennemfoere = models.CharField(
        _("Vil borgeren kunne gennemføre et iværksætterforløb?"),
        max_length=10,
        choices=Vurdering.choices,
    )
    kan_gennemfoere_note = models.TextField(_("begrundelse"))
    motivation = models.CharField(_("motivation"), max_length=10, choices=Vurdering.choices)
    motivation_note = models.TextField(_("begrundelse (motivation)"), blank=True)
    forretningsidee = models.CharField(
        _("forretningsidé"), max_length=10, choices=Vurdering.choices
    )
    forretningsidee_note = models.TextField(_("begrundelse (forretningsidé)"), blank=True)
    personlige_forhold = models.CharField(
        _("personlige forhold"), max_length=10, choices=Vurdering.choices
    )
    personlige_forhold_note = models.TextField(_("begrundelse (personlige forhold)"), blank=True)
    oekonomiske_forhold = models.CharField(
        _("økonomiske forhold"), max_length=10, choices=Vurdering.choices
    )
    oekonomiske_forhold_note = models.TextField(_("begrundelse (økonomiske forhold)"), blank=True)
    beslutning = models.CharField(_("beslutning"), max_length=20, choices=Beslutning.choices)
    afvisningsgrund = models.TextField(_("begrundelse for afvisning"), blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    afgjort = models.DateTimeField(_("afgjort"), null=True, blank=True)

    objects = SynligQuerySet.as_manager()

    class Meta:
        verbose_name = _("visitation")
        verbose_name_plural = _("visitationer")
        constraints = [
            models.CheckConstraint(
                condition=~Q(beslutning="afvist") | ~Q(afvisningsgrund=""),
                name="visitation_afvisning_kraever_grund",
                violation_error_message=_("En afvisning skal begrundes."),
            ),
            # The memo's key question decides: a "no" cannot end in admission or the waiting list.
            models.CheckConstraint(
                condition=~Q(kan_gennemfoere="nej") | Q(beslutning="afvist"),
                name="visitation_nej_kan_kun_afvises",
                violation_error_message=_(
                    "Borgeren kan ikke optages, når vurderingen er, at borgeren ikke vil kunne "
                    "gennemføre et iværksætterforløb."
                ),
            ),
        ]

    def __str__(self):
        return str(self.henvisning)


class Underskrift(models.Model):
    """One organisation's sign-off on a visitation's decision."""

    visitation = models.ForeignKey(
        Visitation, on_delete=models.PROTECT, related_name="underskrifter"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tidspunkt = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        ordering = ["tidspunkt"]
        constraints = [
            models.UniqueConstraint(
                fields=["visitation", "organisation"],
                name="underskrift_en_pr_organisation",
                violation_error_message=_("Organisationen har allerede underskrevet."),
            ),
            # One person cannot sign for both parties.
            models.UniqueConstraint(
                fields=["visitation", "bruger"],
                name="underskrift_en_pr_person",
                violation_error_message=_("Du har allerede underskrevet denne visitation."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.bruger}"


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


auditlog.register(Pladsaftale)
# `deler_borger` follows the status, which is recorded already.
auditlog.register(Henvisning, exclude_fields=["deler_borger"])
auditlog.register(Visitation)
auditlog.register(Underskrift)
auditlog.register(VentelistePlads)
auditlog.register(Henvisningsrettelse)
