"""The joint intake assessment (visitation) and each party's signature on its decision."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstModel
from mikrolaan.konti.adgang import SynligQuerySet
from mikrolaan.konti.models import Organisation

from .henvisning import Henvisning


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


auditlog.register(Visitation)
auditlog.register(Underskrift)
