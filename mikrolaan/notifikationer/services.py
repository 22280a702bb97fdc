"""Writes for notifications: the API other apps call (`notificer`), delivery, read marks, choices.

Other apps call `notificer(...)` inside the transaction that records their event. The outbox rows
are written in that transaction; the email task is only *published* after it commits, and a failed
publish is logged and left for the sweep (`lever_udestaaende`), so neither a rolled-back event nor
a broker outage can produce a wrong or a lost email.

A job that notifies many events at once (the daily reminders, the arrears run) calls
`masse.notificer_mange` instead: the same guarantees in a constant number of queries.
"""

import logging
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from mikrolaan.konti.models import Bruger

from .models import EmailValg, Haendelse, Koersel, Notifikation

log = logging.getLogger(__name__)

# A worker holds a row for this long while it sends. Longer than CELERY_TASK_TIME_LIMIT (5 min), so
# a slow but live worker never loses its lease to the sweep; short enough that a row whose worker
# died is retried within a quarter of an hour.
EMAIL_LEASE = timedelta(minutes=10)
# After this many failed attempts the row is left for an administrator (Django admin shows
# `sidste_fejl` and has an action to try again); a bad address must not be retried forever.
EMAIL_MAKS_FORSOEG = 10
# The sweep sends at most this many emails per run, well inside the task's soft time limit; the
# rest wait for the next run five minutes later.
FEJNING_GRAENSE = 100
FEJNING_OPGAVE = "notifikationer.lever_udestaaende"

# A CPR number: ten digits, optionally with a dash or space after the sixth. Deliberately not
# "any six digits": dates are written 27.11.2026 and a CVR number (8 digits) is not personal data.
_CPR = re.compile(r"(?<!\d)\d{6}[- ]?\d{4}(?!\d)")


def _uden_cpr(tekst: str, haendelse: Haendelse) -> str:
    renset, antal = _CPR.subn("[CPR]", tekst)
    if antal:
        # A caller bug: texts are name-level. Masked rather than refused, so the event still
        # reaches the user; logged without the text so the log itself stays free of CPR.
        log.warning("Et CPR-lignende tal blev fjernet fra en notifikation (%s).", haendelse.value)
    return renset


def _tjek_link(link: str) -> None:
    # Links are rendered as href and followed by the "open" view: only paths inside Mikrolån.
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link):
        raise ValueError("link skal være en sti i Mikrolån, fx '/forloeb/12/'.")


def notificer(
    *,
    haendelse: Haendelse,
    modtagere: Iterable[Bruger],
    emne: str,
    tekst: str,
    link: str = "",
    noegle: str = "",
) -> list[Notifikation]:
    """Notify each recipient of an event: an outbox row each, and an email after commit.

    Call it inside the transaction that records the event, so the notification exists exactly
    when the event does. Recipients are deduplicated; inactive users are skipped. `emne` and
    `tekst` must be name-level (no CPR number). `link` is a path inside Mikrolån.

    `noegle` is an idempotency key: a recipient who already has a notification with this key gets
    no new one (and no email). Returns the rows created by this call.
    """
    haendelse = Haendelse(haendelse)
    _tjek_link(link)
    unikke: dict[int, Bruger] = {}
    for bruger in modtagere:
        if bruger.is_active and bruger.pk not in unikke:
            unikke[bruger.pk] = bruger
    if not unikke:
        return []
    emne = _uden_cpr(str(emne), haendelse)[:200]
    tekst = _uden_cpr(str(tekst), haendelse)

    fravalgt = set(
        EmailValg.objects.filter(
            bruger_id__in=unikke, haendelse=haendelse, email=False
        ).values_list("bruger_id", flat=True)
    )
    oprettede: list[Notifikation] = []
    # Two tries: if a concurrent transaction creates the same key between our check and our
    # insert, the unique constraint refuses ours; the second try sees its row and skips it.
    for forsoeg in range(2):
        findes: set[int] = set()
        if noegle:
            findes = set(
                Notifikation.objects.filter(modtager_id__in=unikke, noegle=noegle).values_list(
                    "modtager_id", flat=True
                )
            )
        nu = timezone.now()
        nye = [
            Notifikation(
                modtager=bruger,
                haendelse=haendelse,
                emne=emne,
                tekst=tekst,
                link=link,
                noegle=noegle,
                oprettet=nu,
                email_oensket=bool(bruger.email) and pk not in fravalgt,
            )
            for pk, bruger in unikke.items()
            if pk not in findes
        ]
        try:
            # A savepoint, so a refused insert does not break the caller's transaction.
            with transaction.atomic():
                oprettede = Notifikation.objects.bulk_create(nye)
            break
        except IntegrityError:
            if not noegle or forsoeg:
                raise

    email_ids = [n.pk for n in oprettede if n.email_oensket]
    if email_ids:
        # robust: even an unexpected error while publishing must not fail the user's request.
        transaction.on_commit(partial(_laeg_i_koe, email_ids), robust=True)
    return oprettede


def _laeg_i_koe(notifikation_ids: list[int]) -> None:
    """Publish one email task per row. Runs after commit; a broker outage is logged, not raised."""
    from .tasks import send_email  # tasks import this module

    for i, pk in enumerate(notifikation_ids):
        try:
            send_email.delay(pk)
        except Exception as exc:  # kombu and redis raise many types when the broker is away
            # The rows stay undelivered and the sweep sends them. Stop at the first failure: each
            # publish retries for a second or two, and the user is waiting for their page.
            log.warning(
                "E-mail for %s notifikation(er) kunne ikke lægges i kø (%s); "
                "fejningen sender dem senere.",
                len(notifikation_ids) - i,
                type(exc).__name__,
            )
            return


def _fejlbeskrivelse(exc: Exception) -> str:
    """The error's type and SMTP code only: SMTP messages quote addresses and sometimes content."""
    beskrivelse = type(exc).__name__
    kode = getattr(exc, "smtp_code", None)
    if isinstance(kode, int):
        beskrivelse += f" {kode}"
    return beskrivelse[:200]


def _absolut_url(notifikation: Notifikation) -> str:
    # Emails need an absolute address; without SITE_URL the email just says where to look.
    grund = getattr(settings, "SITE_URL", "").rstrip("/")
    if not grund:
        return ""
    return grund + reverse("notifikationer:aabn", kwargs={"pk": notifikation.pk})


def _send(notifikation: Notifikation) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        kontekst = {
            "notifikation": notifikation,
            "haendelse": notifikation.get_haendelse_display(),
            "url": _absolut_url(notifikation),
        }
        emne = " ".join(render_to_string("notifikationer/email_emne.txt", kontekst).split())
        tekst = render_to_string("notifikationer/email.txt", kontekst)
    send_mail(emne, tekst, None, [notifikation.modtager.email], fail_silently=False)


def lever_email(*, notifikation_id: int) -> bool:
    """Send a row's email unless it is sent, being sent, or given up on. True if this call sent it.

    Safe to run any number of times, in any number of workers: the UPDATE below is a
    compare-and-swap that only one caller can win while the row is unsent and unleased.
    """
    nu = timezone.now()
    vundet = (
        Notifikation.objects.email_udestaaende(nu, EMAIL_MAKS_FORSOEG)
        .filter(pk=notifikation_id)
        .update(email_laast_til=nu + EMAIL_LEASE, email_forsoeg=F("email_forsoeg") + 1)
    )
    if not vundet:
        return False

    notifikation = Notifikation.objects.select_related("modtager").get(pk=notifikation_id)
    modtager = notifikation.modtager
    if not modtager.is_active or not modtager.email:
        # Deactivated or address removed since the event: nothing to send, and nothing to retry.
        Notifikation.objects.filter(pk=notifikation_id).update(
            email_oensket=False, email_laast_til=None
        )
        return False
    try:
        _send(notifikation)
    except Exception as exc:
        fejl = _fejlbeskrivelse(exc)
        # Release the lease at once: the error is known, so the task's retry or the sweep may try
        # again without waiting for the lease to run out.
        Notifikation.objects.filter(pk=notifikation_id, email_sendt__isnull=True).update(
            email_laast_til=None, sidste_fejl=fejl
        )
        log.warning(
            "E-mail for notifikation %s fejlede (forsøg %s): %s",
            notifikation_id,
            notifikation.email_forsoeg,
            fejl,
        )
        raise
    Notifikation.objects.filter(pk=notifikation_id).update(
        email_sendt=timezone.now(), email_laast_til=None, sidste_fejl=""
    )
    log.info("E-mail for notifikation %s sendt.", notifikation_id)
    return True


@contextmanager
def koersel(opgave: str) -> Iterator[Koersel]:
    """Record one run of a scheduled job: start, end, what it did (`antal`) and any error type.

    with koersel("paamindelser.opfoelgning") as k:
        k.antal = opret_paamindelser()
    """
    start = time.monotonic()
    k = Koersel.objects.create(opgave=opgave, startet=timezone.now())
    try:
        yield k
    except BaseException as exc:
        k.fejl = type(exc).__name__[:200]
        raise
    finally:
        k.afsluttet = timezone.now()
        k.save(update_fields=["afsluttet", "antal", "fejl"])
        log.info(
            "Kørsel %s: antal=%s fejl=%s (%.1f s)",
            opgave,
            k.antal,
            k.fejl or "-",
            time.monotonic() - start,
        )


def lever_udestaaende(*, graense: int = FEJNING_GRAENSE) -> Koersel:
    """The sweep: send every wanted email that is not sent and not leased to a live worker.

    Catches what a broker or worker outage left behind: rows never published, messages lost, and
    workers that died mid-send (their lease has expired).
    """
    with koersel(FEJNING_OPGAVE) as k:
        ids = list(
            Notifikation.objects.email_udestaaende(timezone.now(), EMAIL_MAKS_FORSOEG)
            .order_by("oprettet", "pk")
            .values_list("pk", flat=True)[:graense]
        )
        k.antal, fejlede = lever_emails(notifikation_ids=ids)
        if fejlede:
            k.fejl = f"{fejlede} e-mail(s) fejlede"
    return k


def lever_emails(*, notifikation_ids: Iterable[int]) -> tuple[int, int]:
    """Send each row's email through `lever_email`; returns (sent, failed).

    A failure is recorded on its row and the lease released (by `lever_email`), and the next row
    is tried: the sweep retries the failed ones, up to EMAIL_MAKS_FORSOEG attempts. Each row is
    claimed by compare-and-swap, so a row also in another task or the sweep is sent once.
    """
    sendt = fejlede = 0
    for pk in notifikation_ids:
        try:
            if lever_email(notifikation_id=pk):
                sendt += 1
        except SoftTimeLimitExceeded:
            # The rows not reached are unleased and the one in hand is leased until EMAIL_LEASE
            # runs out: the sweep sends both, nothing twice.
            raise
        except Exception:  # recorded on the row and logged by lever_email; go on to the next
            fejlede += 1
    return sendt, fejlede


def proev_email_igen(*, notifikationer: QuerySet[Notifikation]) -> int:
    """Give unsent emails a fresh set of attempts; returns how many.

    For after the cause is fixed (an SMTP setting, an address): the sweep sends them on its next
    run. Sent rows are left alone, so this can never send an email twice.
    """
    return notifikationer.filter(email_oensket=True, email_sendt__isnull=True).update(
        email_forsoeg=0, email_laast_til=None
    )


def marker_laest(*, notifikation: Notifikation) -> None:
    """Mark one notification read. The caller fetched it with `Notifikation.objects.til(bruger)`."""
    if notifikation.laest is None:
        nu = timezone.now()
        Notifikation.objects.filter(pk=notifikation.pk, laest__isnull=True).update(laest=nu)
        notifikation.laest = nu


def marker_alle_laest(*, bruger: Bruger) -> int:
    """Mark all the user's unread notifications read. Returns how many were unread."""
    return Notifikation.objects.til(bruger).ulaeste().update(laest=timezone.now())


def marker_haandteret(
    *,
    link: str,
    haendelser: Iterable[Haendelse] = (),
    noegle: str = "",
    noegle_start: str = "",
    modtagere: Iterable[Bruger] | None = None,
) -> int:
    """The work a page asks for is done: its open notifications are marked handled, so the bell
    stops counting them and the list shows them as handled. Returns how many.

    Called by the service that did the work, inside its transaction (a rolled-back signature
    leaves the notification open). Narrowed, where one page has notifications of several kinds,
    by `haendelser`, by the idempotency key (`noegle`, or its beginning `noegle_start`, e.g.
    "paamindelse:fase") and by `modtagere` (default: everyone notified).

    One UPDATE, found through the partial index on the unhandled rows' link; rows already
    handled keep their time, so calling this twice changes nothing.
    """
    _tjek_link(link)
    if not link:
        raise ValueError("marker_haandteret kræver et link.")
    raekker = Notifikation.objects.filter(link=link, haandteret__isnull=True)
    if haendelser:
        raekker = raekker.filter(haendelse__in=[Haendelse(h) for h in haendelser])
    if noegle:
        raekker = raekker.filter(noegle=noegle)
    if noegle_start:
        raekker = raekker.filter(noegle__startswith=noegle_start)
    if modtagere is not None:
        raekker = raekker.filter(modtager__in=[b.pk for b in modtagere])
    return raekker.update(haandteret=timezone.now())


def email_valg(*, bruger: Bruger) -> set[Haendelse]:
    """The event types the user gets email for (all of them unless turned off)."""
    fra = set(
        EmailValg.objects.filter(bruger=bruger, email=False).values_list("haendelse", flat=True)
    )
    return {h for h in Haendelse if h.value not in fra}


def gem_email_valg(*, bruger: Bruger, med_email: Iterable[str]) -> None:
    """Store which event types the user wants email for; the rest are turned off."""
    valgt = {Haendelse(h) for h in med_email}
    with transaction.atomic():
        # Only "off" is stored: a new event type added later starts as "on" for everyone.
        EmailValg.objects.filter(bruger=bruger).delete()
        EmailValg.objects.bulk_create(
            EmailValg(bruger=bruger, haendelse=h, email=False) for h in Haendelse if h not in valgt
        )
