import unicodedata
import uuid

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mikrolaan.konti.adgang import Sti, SynligQuerySet
from mikrolaan.konti.models import Organisation
from mikrolaan.revision.models import UforanderligError

from . import cpr
from .fritekst import FritekstModel
from .lager import KrypteretLager


class ForsoergelsesgrundlagQuerySet(models.QuerySet):
    def gyldige(self, dato=None):
        dato = dato or timezone.localdate()
        return self.filter(
            Q(gyldig_fra__lte=dato), Q(gyldig_til__isnull=True) | Q(gyldig_til__gte=dato)
        )


class Forsoergelsesgrundlag(models.Model):
    """A means of support: a table with validity dates, as the reforms change the categories."""

    navn = models.CharField(_("navn"), max_length=100, unique=True)
    gyldig_fra = models.DateField(_("gyldig fra"))
    gyldig_til = models.DateField(_("gyldig til"), null=True, blank=True)

    objects = ForsoergelsesgrundlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("forsørgelsesgrundlag")
        verbose_name_plural = _("forsørgelsesgrundlag")
        ordering = ["navn"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gyldig_til__isnull=True) | Q(gyldig_til__gte=models.F("gyldig_fra")),
                name="forsoergelsesgrundlag_periode",
                violation_error_message=_("Slutdatoen skal ligge efter startdatoen."),
            )
        ]

    def __str__(self):
        return self.navn


class BorgerQuerySet(SynligQuerySet):
    def med_cpr(self, vaerdi: str):
        """Exact match on a full CPR number through the blind index."""
        return self.filter(cpr_indeks=cpr.blindindeks(cpr.normaliser(vaerdi)))

    def med_navn(self, tekst: str):
        """Partial, case- and accent-insensitive match on first and last name, in either order:
        "Anna Jensen", "jens", and "Jensen, Anna" as the lists write names (the comma only
        separates the names)."""
        qs = self
        for ord_ in Borger.soegenoegle(tekst.replace(",", " ")).split():
            qs = qs.filter(soegenavn__contains=ord_)
        return qs


class Borger(FritekstModel, models.Model):
    """A citizen. The CPR number is only ever stored encrypted, with a keyed hash for search."""

    CPR_FRITEKST = ("forretningsidee",)

    # The case's organisations: the jobcenter that registered the citizen and the providers of the
    # place agreements the citizen is referred to, through referrals that still share the citizen
    # (not one the provider rejected at visitation; see mikrolaan/konti/adgang.py).
    DELTAGENDE_ORGANISATIONER = (
        "jobcenter",
        Sti("henvisninger__pladsaftale__leverandoer", henvisninger__deler_borger=True),
    )

    fornavn = models.CharField(_("fornavn"), max_length=100)
    efternavn = models.CharField(_("efternavn"), max_length=100)
    # Lower-case, accent-stripped "fornavn efternavn", for search on both SQLite and PostgreSQL.
    soegenavn = models.CharField(max_length=201, editable=False, db_index=True)
    cpr_krypteret = models.TextField(editable=False)
    cpr_indeks = models.CharField(max_length=64, unique=True, editable=False)
    adresse = models.CharField(_("adresse"), max_length=200, blank=True)
    postnummer = models.CharField(_("postnummer"), max_length=4, blank=True)
    by = models.CharField(_("by"), max_length=100, blank=True)
    telefon = models.CharField(_("telefon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    forsoergelsesgrundlag = models.ForeignKey(
        Forsoergelsesgrundlag,
        verbose_name=_("forsørgelsesgrundlag"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    forretningsidee = models.TextField(_("forretningsidé"), blank=True)
    jobcenter = models.ForeignKey(
        Organisation, verbose_name=_("jobcenter"), on_delete=models.PROTECT, related_name="+"
    )
    oprettet = models.DateTimeField(_("oprettet"), auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("oprettet af"),
    )

    objects = BorgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")
        ordering = [Lower("efternavn"), Lower("fornavn"), "id"]
        indexes = [
            # The lists' order: a page of 25 walks it and checks each row's visibility, instead
            # of sorting every visible citizen (issue 13).
            models.Index(Lower("efternavn"), Lower("fornavn"), "id", name="borger_navn_idx"),
        ]

    def __str__(self):
        return self.navn

    def save(self, *args, **kwargs):
        self.soegenavn = self.soegenoegle(f"{self.fornavn} {self.efternavn}")
        super().save(*args, **kwargs)

    @property
    def navn(self) -> str:
        return f"{self.fornavn} {self.efternavn}"

    @staticmethod
    def soegenoegle(tekst: str) -> str:
        # æ, ø and å are letters of their own in Danish and are kept; other accents are dropped
        # (é → e, ü → u), so "Rene" finds "René".
        tekst = tekst.strip().lower()
        ud = []
        for tegn in tekst:
            if tegn in "æøå":
                ud.append(tegn)
            else:
                ud.append(
                    "".join(
                        c
                        for c in unicodedata.normalize("NFKD", tegn)
                        if not unicodedata.combining(c)
                    )
                )
        return " ".join("".join(ud).split())

    def saet_cpr(self, vaerdi: str) -> None:
        cifre = cpr.normaliser(vaerdi)
        self.cpr_krypteret = cpr.krypter(cifre)
        self.cpr_indeks = cpr.blindindeks(cifre)

    @property
    def cpr(self) -> str:
        """The CPR number in clear. Callers must access-log a reveal (services.vis_cpr)."""
        return cpr.dekrypter(self.cpr_krypteret)

    @property
    def cpr_maskeret(self) -> str:
        return cpr.maskeret(self.cpr)


class JournalnotatQuerySet(models.QuerySet):
    # Bulk updates and deletes bypass the model's save() and delete(); refuse them too.
    def update(self, **kwargs):
        raise UforanderligError("Journalnotater kan ikke ændres; skriv en rettelse.")

    def delete(self):
        raise UforanderligError("Journalnotater kan ikke slettes.")

    def for_borger(self, borger):
        return (
            self.filter(borger=borger)
            .select_related("forfatter", "retter")
            .order_by("-oprettet", "-id")
        )


class Journalnotat(FritekstModel, models.Model):
    """An append-only journal note. A correction is a new note pointing at the one it corrects."""

    CPR_FRITEKST = ("tekst",)

    borger = models.ForeignKey(Borger, on_delete=models.PROTECT, related_name="journalnotater")
    tekst = models.TextField(_("notat"))
    forfatter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("forfatter"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    oprettet = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    retter = models.ForeignKey(
        "self",
        verbose_name=_("retter notat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rettelser",
    )

    objects = JournalnotatQuerySet.as_manager()

    class Meta:
        verbose_name = _("journalnotat")
        verbose_name_plural = _("journalnotater")
        ordering = ["-oprettet", "-id"]

    def __str__(self):
        return f"{self.borger_id} {self.oprettet:%d.%m.%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise UforanderligError("Et journalnotat kan ikke ændres; skriv en rettelse.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise UforanderligError("Et journalnotat kan ikke slettes.")


def _dokument_sti(instance, filename) -> str:
    # A random name: the stored file never carries the citizen's name, CPR or the original name.
    return f"borgere/{uuid.uuid4().hex}"


class Dokument(models.Model):
    class Type(models.TextChoices):
        FORRETNINGSPLAN = "forretningsplan", _("Forretningsplan")
        BUDGET = "budget", _("Budget")
        ANDET = "andet", _("Andet")

    borger = models.ForeignKey(Borger, on_delete=models.PROTECT, related_name="dokumenter")
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    # Encrypted at rest with the CPR keys (borgere/lager.py).
    fil = models.FileField(_("fil"), upload_to=_dokument_sti, storage=KrypteretLager())
    filnavn = models.CharField(_("filnavn"), max_length=200)
    indholdstype = models.CharField(max_length=100)
    stoerrelse = models.PositiveIntegerField(_("størrelse"))
    uploadet = models.DateTimeField(_("uploadet"), auto_now_add=True)
    uploadet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploadet af"),
    )

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenter")
        ordering = ["-uploadet", "-id"]

    def __str__(self):
        return self.filnavn


# Change history: never the encrypted CPR or its index (the history is readable by administrators).
auditlog.register(Borger, exclude_fields=["cpr_krypteret", "cpr_indeks", "soegenavn"])
auditlog.register(Forsoergelsesgrundlag)
auditlog.register(Journalnotat)
auditlog.register(Dokument, exclude_fields=["fil"])
