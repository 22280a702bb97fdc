"""The notification outbox (DOMAIN.md rule 7).

A `Notifikation` row is written in the same transaction as the event it reports, one per recipient.
The row *is* the in-app notification (the bell and the list page read it) and it is the source of
truth for email delivery: the Celery task and the periodic sweep both claim a row with a
compare-and-swap on `email_sendt`/`email_laast_til`, so a message delivered twice by the broker, or
a row picked up by both the task and the sweep, is sent once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Haendelse(models.TextChoices):
    """The kinds of events that notify someone. Other apps pass one of these to `notificer`."""

    HENVISNING_MODTAGET = "henvisning_modtaget", _("Henvisning modtaget")
    UNDERSKRIFT_AFVENTER = "underskrift_afventer", _("Visitation afventer din underskrift")
    INDSKREVET = "indskrevet", _("Borger indskrevet")
    VENTELISTE = "venteliste", _("Borger sat på venteliste")
    UDSKREVET = "udskrevet", _("Borger udskrevet")
    HENVISNING_TILBAGETRUKKET = "henvisning_tilbagetrukket", _("Henvisning trukket tilbage")
    FJERNET_FRA_VENTELISTE = "fjernet_fra_venteliste", _("Borger fjernet fra venteliste")
    HENVISNING_OMFORDELT = "henvisning_omfordelt", _("Sag omfordelt til en anden sagsbehandler")
    FASESKIFT = "faseskift", _("Overgang til hovedforløb")
    PAAMINDELSE = "paamindelse", _("Påmindelse")
    LAAN_AFVENTER = "laan_afventer", _("Lån afventer godkendelse")
    LAAN_AFGJORT = "laan_afgjort", _("Afgørelse eller udbetaling på et lån")
    LAAN_RESTANCE = "laan_restance", _("Afdrag i restance")
    UGEBREV = "ugebrev", _("Ugebrev om ind- og udskrivning")
    AKTIVITET_FLYTTET = "aktivitet_flyttet", _("Aktivitet flyttet")
    AKTIVITET_AFLYST = "aktivitet_aflyst", _("Aktivitet aflyst")
    # To every other administrator when one gives a user a role with access to citizens.
    ROLLE_TILDELT = "rolle_tildelt", _("Rolle med adgang til borgere givet")


class NotifikationQuerySet(models.QuerySet):
    def til(self, bruger) -> "NotifikationQuerySet":
        """The user's own notifications: the only ones a user ever sees or marks."""
        if not bruger.is_authenticated:
            return self.none()
        return self.filter(modtager=bruger)

    def ulaeste(self) -> "NotifikationQuerySet":
        return self.filter(laest__isnull=True)

    def aabne(self) -> "NotifikationQuerySet":
        """Unread and not handled: what the bell counts (partial index `notifikation_aaben_idx`).
        A notification whose task is done (`haandteret`) no longer asks for attention."""
        return self.filter(laest__isnull=True, haandteret__isnull=True)

    def email_udestaaende(self, nu, maks_forsoeg: int) -> "NotifikationQuerySet":
        """Rows whose email is wanted, unsent, not given up on, and not leased to a live worker."""
        return self.filter(
            Q(email_laast_til__isnull=True) | Q(email_laast_til__lte=nu),
            email_oensket=True,
            email_sendt__isnull=True,
            email_forsoeg__lt=maks_forsoeg,
        )


class Notifikation(models.Model):
    """One event for one recipient: an in-app notification and, if wanted, an outgoing email.

    Texts are name-level (never a CPR number) because they are shown in a list, sent by email and
    stored for as long as the user keeps them.
    """

    modtager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modtager"),
        on_delete=models.CASCADE,
        related_name="notifikationer",
    )
    haendelse = models.CharField(_("hændelse"), max_length=40, choices=Haendelse.choices)
    emne = models.CharField(_("emne"), max_length=200)
    tekst = models.TextField(_("tekst"), blank=True)
    # A path inside Mikrolån ("/forloeb/12/"), never an external address.
    link = models.CharField(_("link"), max_length=500, blank=True)
    # Idempotency key from the caller (e.g. "paamindelse:opfoelgning:12:3m"): the same key is
    # never created twice for one recipient. Empty means "no key".
    noegle = models.CharField(_("nøgle"), max_length=200, blank=True)
    oprettet = models.DateTimeField(_("oprettet"), default=timezone.now, db_index=True)
    laest = models.DateTimeField(_("læst"), null=True, blank=True)
    # When the work the notification asks for was done (a visitation signed, a loan decided), by
    # whoever did it: `services.marker_haandteret`, called by the service that did the work.
    haandteret = models.DateTimeField(_("håndteret"), null=True, blank=True)

    email_oensket = models.BooleanField(_("e-mail ønsket"), default=False)
    email_sendt = models.DateTimeField(_("e-mail sendt"), null=True, blank=True)
    email_forsoeg = models.PositiveSmallIntegerField(_("e-mail-forsøg"), default=0)
    # While a worker sends, the row is leased to it until this time; a worker that dies mid-send
    # leaves a lease that expires, after which the sweep claims the row again.
    email_laast_til = models.DateTimeField(_("e-mail låst til"), null=True, blank=True)
    # The error's type (and SMTP code), never its message: SMTP errors quote the address.
    sidste_fejl = models.CharField(_("sidste fejl"), max_length=200, blank=True)

    objects = NotifikationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifikation")
        verbose_name_plural = _("notifikationer")
        ordering = ["-oprettet", "-id"]
        constraints = [
            # The key leads: a run asks "which of these keys exist?" for thousands of keys at
            # once (`notificer_mange`), which with the recipient leading read the whole index
            # (issue 13: 0.8 s a run). A key has a handful of recipients, so `notificer`'s
            # "this key, these recipients" is just as quick this way round.
            models.UniqueConstraint(
                fields=["noegle", "modtager"],
                condition=~Q(noegle=""),
                name="notifikation_unik_noegle_per_modtager",
            ),
        ]
        indexes = [
            # The list page and the bell's unread count.
            models.Index(fields=["modtager", "-oprettet"], name="notifikation_modtager_idx"),
            # The bell's count on every page reads only the recipient's open rows (issue 13: a
            # course worker with 100,000 notifications; a partial index took it from 256 to
            # 12 ms).
            models.Index(
                fields=["modtager"],
                condition=Q(laest__isnull=True, haandteret__isnull=True),
                name="notifikation_aaben_idx",
            ),
            # `marker_haandteret` finds the unhandled rows pointing at a page without scanning
            # the table.
            models.Index(
                fields=["link"],
                condition=Q(haandteret__isnull=True),
                name="notifikation_link_idx",
            ),
            # The timeline's notifications about one citizen (oversigt/tidslinje): the
            # recipient's rows whose link starts with one of the case's paths. LIKE 'prefix%'
            # needs the pattern operator class under any collation but "C" (ignored on SQLite).
            # Issue 13: 757 ms for a course worker with 125,000 notifications (every one read
            # and filtered) -> 0.15 ms (one index range per path).
            models.Index(
                fields=["modtager", "link"],
                opclasses=["", "varchar_pattern_ops"],
                name="notifikation_modtager_link_idx",
            ),
            # The sweep: only the few rows still waiting for an email.
            models.Index(
                fields=["oprettet"],
                condition=Q(email_oensket=True, email_sendt__isnull=True),
                name="notifikation_udestaaende_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_haendelse_display()}: {self.emne}"


class EmailValg(models.Model):
    """A user's choice of email for one event type. No row means the default: email on.

    In-app notifications cannot be turned off; only the email copy can.
    """

    bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        on_delete=models.CASCADE,
        related_name="email_valg",
    )
    haendelse = models.CharField(_("hændelse"), max_length=40, choices=Haendelse.choices)
    email = models.BooleanField(_("send e-mail"), default=True)

    class Meta:
        verbose_name = _("e-mail-valg")
        verbose_name_plural = _("e-mail-valg")
        constraints = [
            models.UniqueConstraint(
                fields=["bruger", "haendelse"], name="emailvalg_unik_per_bruger_og_haendelse"
            ),
        ]

    def __str__(self):
        return f"{self.bruger_id} {self.haendelse}: {self.email}"


class Koersel(models.Model):
    """One run of a scheduled job, so "did the reminders go out last night?" has an answer.

    `antal` is what the job did (emails sent, reminders created); `fejl` is an error type, never
    personal data.
    """

    opgave = models.CharField(_("opgave"), max_length=200)
    startet = models.DateTimeField(_("startet"), default=timezone.now)
    afsluttet = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    antal = models.PositiveIntegerField(_("antal"), default=0)
    fejl = models.CharField(_("fejl"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kørsel")
        verbose_name_plural = _("kørsler")
        ordering = ["-startet", "-id"]
        indexes = [
            # The sweep alone logs a run every five minutes (105,000 a year): the admin's list,
            # newest first, and "the last runs of this job" read an index, not the table.
            models.Index(fields=["startet", "id"], name="koersel_startet_idx"),
            models.Index(fields=["opgave", "startet"], name="koersel_opgave_idx"),
        ]

    def __str__(self):
        return f"{self.opgave} {self.startet:%d.%m.%Y %H:%M}"
