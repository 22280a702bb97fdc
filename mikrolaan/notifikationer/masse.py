"""Many notifications at once: the daily runs (reminders, arrears) in a constant number of queries.

`notificer` costs about five queries per event (the recipients' email choices, the key, a
savepoint, the insert and its release), which a run with thousands of due items multiplied into
thousands of round trips (issue 13). `notificer_mange` takes the run's whole list and does the
same work once for all of it:

1. one SELECT for the keys that already exist (`noegle = ANY(...)`, through the unique index the
   key leads; the `noegle <> ''` term is the index's own condition, spelled out so PostgreSQL
   may use the partial index however long the list is);
2. one SELECT for the recipients' email choices;
3. one INSERT for all the new rows (in batches of INDSAET_BATCH rows), in a savepoint;
4. after commit, one email task per EMAILS_PR_OPGAVE rows instead of one per row.

Nothing is created when every key exists: a run repeated the same day costs one query here. The
outbox's guarantees are `notificer`'s: the rows are written in the caller's transaction, a key is
never created twice for a recipient (the unique constraint, with one retry when a concurrent run
got there between our check and our insert), and each email is sent once because every task
claims its rows with `lever_email`'s compare-and-swap.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from mikrolaan.konti.models import Bruger

from .models import EmailValg, Haendelse, Notifikation
from .services import _tjek_link, _uden_cpr

log = logging.getLogger(__name__)

# Rows per INSERT: one statement for any ordinary run, bounded for a backlog of many days.
INDSAET_BATCH = 5000
# Rows per email task: a worker sends them one by one (each claimed by compare-and-swap) well
# inside the task's soft time limit, and a broker outage loses no more than the sweep catches.
EMAILS_PR_OPGAVE = 50


@dataclass(frozen=True)
class Besked:
    """One event for its recipients, as `notificer` takes it."""

    haendelse: Haendelse
    modtagere: Sequence[Bruger]
    emne: str
    tekst: str
    link: str = ""
    noegle: str = ""


def _kandidater(beskeder: Iterable[Besked]) -> list[tuple[Bruger, Besked]]:
    """Each (active recipient, cleaned message) once; a key repeated for a recipient counts once."""
    sete: set[tuple[int, str]] = set()
    kandidater = []
    for besked in beskeder:
        haendelse = Haendelse(besked.haendelse)
        _tjek_link(besked.link)
        renset = Besked(
            haendelse=haendelse,
            modtagere=(),
            emne=_uden_cpr(str(besked.emne), haendelse)[:200],
            tekst=_uden_cpr(str(besked.tekst), haendelse),
            link=besked.link,
            noegle=besked.noegle,
        )
        i_besked: set[int] = set()
        for bruger in besked.modtagere:
            if not bruger.is_active or bruger.pk in i_besked:
                continue
            i_besked.add(bruger.pk)
            if besked.noegle:
                if (bruger.pk, besked.noegle) in sete:
                    continue
                sete.add((bruger.pk, besked.noegle))
            kandidater.append((bruger, renset))
    return kandidater


def _findes(noegler: set[str]) -> set[tuple[int, str]]:
    if not noegler:
        return set()
    return set(
        Notifikation.objects.filter(noegle__in=noegler)
        .exclude(noegle="")
        .order_by()  # a set: no sort of the rows found
        .values_list("modtager_id", "noegle")
    )


def notificer_mange(*, beskeder: Iterable[Besked]) -> list[Notifikation]:
    """Notify many events in one go; returns the rows created by this call.

    Call it inside the transaction that records the events, like `notificer`. A recipient who
    already has a message's key gets no new row (and no email); inactive recipients are skipped.
    """
    kandidater = _kandidater(beskeder)
    if not kandidater:
        return []
    noegler = {b.noegle for _, b in kandidater if b.noegle}
    oprettede: list[Notifikation] = []
    # Two tries, as in `notificer`: a concurrent run that inserts one of our keys between our
    # check and our insert makes the unique constraint refuse the batch; the second try sees it.
    for forsoeg in range(2):
        findes = _findes(noegler)
        nye = [(m, b) for m, b in kandidater if not b.noegle or (m.pk, b.noegle) not in findes]
        if not nye:
            return []
        fravalgt = set(
            EmailValg.objects.filter(
                bruger_id__in={m.pk for m, _ in nye},
                haendelse__in={b.haendelse for _, b in nye},
                email=False,
            ).values_list("bruger_id", "haendelse")
        )
        nu = timezone.now()
        raekker = [
            Notifikation(
                modtager=modtager,
                haendelse=b.haendelse,
                emne=b.emne,
                tekst=b.tekst,
                link=b.link,
                noegle=b.noegle,
                oprettet=nu,
                email_oensket=bool(modtager.email)
                and (modtager.pk, b.haendelse.value) not in fravalgt,
            )
            for modtager, b in nye
        ]
        try:
            # A savepoint, so a refused insert does not break the caller's transaction.
            with transaction.atomic():
                oprettede = Notifikation.objects.bulk_create(raekker, batch_size=INDSAET_BATCH)
            break
        except IntegrityError:
            if forsoeg:
                raise

    email_ids = [n.pk for n in oprettede if n.email_oensket]
    if email_ids:
        transaction.on_commit(partial(_laeg_i_koe_samlet, email_ids), robust=True)
    return oprettede


def _laeg_i_koe_samlet(notifikation_ids: list[int]) -> None:
    """Publish one task per EMAILS_PR_OPGAVE rows. After commit; a broker outage is logged only."""
    from .tasks import send_emails  # tasks import services, which this module imports

    for start in range(0, len(notifikation_ids), EMAILS_PR_OPGAVE):
        try:
            send_emails.delay(notifikation_ids[start : start + EMAILS_PR_OPGAVE])
        except Exception as exc:  # kombu and redis raise many types when the broker is away
            # The rows stay unsent and the sweep sends them; stop at the first failure rather
            # than wait out each publish's retries.
            log.warning(
                "E-mail for %s notifikation(er) kunne ikke lægges i kø (%s); "
                "fejningen sender dem senere.",
                len(notifikation_ids) - start,
                type(exc).__name__,
            )
            return
