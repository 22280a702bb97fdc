"""The programme (forløb): its status machine, and the key figures work lists show for it."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borgere.models import Borger
from mikrolaan.konti.adgang import SynligQuerySet
from mikrolaan.konti.models import Organisation
from mikrolaan.statusmaskine import Statusmaskine
from visitation.models import Henvisning, Pladsaftale

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
        # Imported here: Fase points to Forloeb, so its module imports this one.
        from .faser import Fase

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

    DELTAGENDE_ORGANISATIONER = ("jobcenter", "pladsaftale__leverandoer")
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
    # The referral's jobcenter, copied at admission: scoping reads it on the programme's own row
    # (issue 13). Through the referral, every wide read of programmes, loans or attendance had to
    # join its referral to ask, which cost a provider's loan portfolio 30 ms at national scale;
    # `IN (the jobcenter's 21,774 referrals)` instead cost the jobcentre as much in every query.
    # A referral never changes jobcenter, and on PostgreSQL a key on (henvisning, jobcenter) to
    # the referral's (id, jobcenter) keeps the copy equal (migration 0011).
    jobcenter = models.ForeignKey(
        Organisation,
        verbose_name=_("jobcenter"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
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

    def save(self, *args, **kwargs):
        if self.jobcenter_id is None and self.henvisning_id is not None:
            self.jobcenter_id = self.henvisning.jobcenter_id
        super().save(*args, **kwargs)

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


auditlog.register(Forloeb)
