"""The referral of a citizen to a place agreement's programme, and its status machine."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstModel
from borgere.models import Borger, Forsoergelsesgrundlag
from mikrolaan.konti.adgang import SynligQuerySet
from mikrolaan.konti.models import Organisation
from mikrolaan.statusmaskine import Statusmaskine

from .pladsaftale import Pladsaftale


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


# `deler_borger` follows the status, which is recorded already.
auditlog.register(Henvisning, exclude_fields=["deler_borger"])
