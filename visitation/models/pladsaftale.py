"""Place agreements: places one organisation buys from another, and their occupancy."""

from auditlog.registry import auditlog
from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mikrolaan.konti.adgang import SAGSROLLER, SynligQuerySet
from mikrolaan.konti.models import Organisation, Rolle


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
        # Imported here: both models point to Pladsaftale, so their modules import this one.
        from .henvisning import Henvisning
        from .venteliste import VentelistePlads

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
    # A handful of agreements per organisation: paths through one check `IN (the organisation's
    # agreements)` (mikrolaan/konti/adgang.py).
    FAA_PR_ORGANISATION = True

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


auditlog.register(Pladsaftale)
