from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UforanderligError(Exception):
    """Audit rows are written once and never changed or deleted by the application."""


class AdgangsLogQuerySet(models.QuerySet):
    # Bulk updates and deletes bypass the model's save() and delete(); refuse them too, so the
    # application cannot rewrite the log on any database (PostgreSQL's trigger is the last line).
    def update(self, **kwargs):
        raise UforanderligError("En adgangslog kan ikke ændres.")

    def delete(self):
        raise UforanderligError("En adgangslog kan ikke slettes.")


class AdgangsLog(models.Model):
    """One read of citizen data: who, when, what, and with which (CPR-free) search criteria.

    This is the record that answers a citizen's request under GDPR art. 15 ("who has looked at my
    case?"). Rows are insert-only: the model refuses updates and deletes, and on PostgreSQL a
    trigger refuses them too, so not even a bug or a raw query in the application can rewrite it.
    """

    class Handling(models.TextChoices):
        VIS = "vis", _("Visning")
        VIS_CPR = "vis_cpr", _("Visning af CPR-nummer")
        SOEG = "soeg", _("Søgning")
        HENT_DOKUMENT = "hent_dokument", _("Hentning af dokument")
        EKSPORT = "eksport", _("Eksport")
        # Changes of who may see what (issue 11): a user's roles, organisation or staff status,
        # and the superuser flag, which only `manage.py saet_superbruger` sets.
        ROLLEAENDRING = "rolleaendring", _("Ændring af rolle eller organisation")
        SUPERBRUGER = "superbruger", _("Ændring af superbrugerstatus")
        # Another administrator removed a user's two-factor devices (a lost phone), with a reason.
        NULSTIL_TOFAKTOR = "nulstil_tofaktor", _("Nulstilling af tofaktor-login")

    tidspunkt = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    # PROTECT: a user with access history is deactivated, never deleted.
    bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling = models.CharField(_("handling"), max_length=20, choices=Handling.choices)
    objekt_type = models.ForeignKey(
        ContentType,
        verbose_name=_("objekttype"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    objekt_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    kriterier = models.JSONField(_("søgekriterier"), default=dict, blank=True)
    ip_adresse = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)

    objects = AdgangsLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("adgangslog")
        verbose_name_plural = _("adgangslog")
        ordering = ["-tidspunkt", "-id"]
        indexes = [models.Index(fields=["objekt_type", "objekt_id"])]

    def __str__(self):
        return f"{self.tidspunkt:%d.%m.%Y %H:%M} {self.bruger_id} {self.handling}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise UforanderligError("En adgangslog kan ikke ændres.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise UforanderligError("En adgangslog kan ikke slettes.")


class Sletningslog(models.Model):
    """One use of the single path that may remove audit rows: the retention job.

    Written by the database functions `revision_slet_adgangslog` and `revision_slet_logposter`
    (migration 0003) in the same statement as the deletion, so the exception is logged even if the
    caller forgets; the trigger protects this table like the others and never lets it be erased.
    """

    tidspunkt = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    tabel = models.CharField(_("tabel"), max_length=63)
    # Access log: rows older than this were removed; change history: None (rows named by id).
    graense = models.DateTimeField(_("slettet før"), null=True, blank=True)
    antal = models.PositiveIntegerField(_("antal rækker"))
    databasebruger = models.CharField(_("databasebruger"), max_length=63)

    objects = AdgangsLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("sletning af revisionsspor")
        verbose_name_plural = _("sletninger af revisionsspor")
        ordering = ["-tidspunkt", "-id"]

    def __str__(self):
        return f"{self.tidspunkt:%d.%m.%Y %H:%M} {self.tabel}: {self.antal}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise UforanderligError("En sletningslog kan ikke ændres.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise UforanderligError("En sletningslog kan ikke slettes.")
