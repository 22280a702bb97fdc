"""The nightly clean-up: notifications nobody needs any more are deleted (issue 13).

At national scale the table grows by millions of rows a year (every referral notifies all of a
provider's course staff), and every page's bell and the list page read it. What goes:

- a notification created more than NOTIFIKATIONER_SLET_EFTER_DAGE days ago (default 180) that was
  read or handled: it has done its job, and the case itself keeps the history;
- any notification created more than NOTIFIKATIONER_ULAESTE_SLET_EFTER_DAGE days ago (default 365),
  read or not: nobody opened it in a year, and the work it asked for shows in the to-do inbox,
  which reads the cases, not the notifications.

An email still waiting to be sent (wanted, not sent — also one given up on, which an
administrator may retry) is never deleted: the outbox row is its only record. The retention job
(databeskyttelse.sletning) still removes everything older than its own limit.

Deleted in batches of SLET_BATCH rows, each its own short statement found through the index on
`oprettet`, so the job never holds a long lock on the table the bell reads; at most MAKS_BATCHES a
night, and what is left the next night's run finds. Each run is a `Koersel` whose `antal` is the
rows deleted.
"""

import datetime
from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from .models import Koersel, Notifikation
from .services import koersel

OPGAVE = "notifikationer.ryd_op"
# Rows per DELETE: ~0.1 s each at national scale, so the lock on each row is short and the
# statement's id list stays small.
SLET_BATCH = 10_000
# At most a million rows a night (a first run on a table that never was cleaned); the rest wait.
MAKS_BATCHES = 100


def udloebne(nu: datetime.datetime) -> QuerySet[Notifikation]:
    """The notifications the clean-up deletes at `nu`."""
    laest_graense = nu - timedelta(days=settings.NOTIFIKATIONER_SLET_EFTER_DAGE)
    aaben_graense = nu - timedelta(days=settings.NOTIFIKATIONER_ULAESTE_SLET_EFTER_DAGE)
    # One range on `oprettet` (the settings make aaben_graense the earlier one), so each batch is
    # an index range scan however big the table is.
    return Notifikation.objects.filter(
        Q(laest__isnull=False) | Q(haandteret__isnull=False) | Q(oprettet__lt=aaben_graense),
        oprettet__lt=laest_graense,
    ).exclude(email_oensket=True, email_sendt__isnull=True)


def ryd_op(*, nu: datetime.datetime | None = None, batch: int = SLET_BATCH) -> Koersel:
    """Delete the expired notifications, `batch` rows per statement. Safe to run twice."""
    with koersel(OPGAVE) as k:
        k.antal = slet_i_portioner(udloebne(nu or timezone.now()), batch=batch, maks=MAKS_BATCHES)
    return k


def slet_i_portioner(
    raekker: QuerySet[Notifikation], *, batch: int = SLET_BATCH, maks: int | None = None
) -> int:
    """Delete `raekker`, `batch` rows per statement (at most `maks` statements); the number
    deleted. Also the retention job's way (databeskyttelse.sletning), which takes them all."""
    slettet_i_alt = 0
    nummer = 0
    while maks is None or nummer < maks:
        nummer += 1
        # DELETE ... WHERE id IN (SELECT id ... LIMIT batch): the choice and the delete in one
        # statement, so no row is deleted on a judgement made before it last changed.
        slettet, _ = Notifikation.objects.filter(
            pk__in=Subquery(raekker.order_by().values("pk")[:batch])
        ).delete()
        slettet_i_alt += slettet
        if slettet < batch:
            break
    return slettet_i_alt
