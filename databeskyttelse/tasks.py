"""Celery task of the retention job: a thin wrapper, named for the beat schedule's row
(migration 0002_sletning_planlagt)."""

from celery import shared_task

from . import sletning


# No retry: whatever a failed night leaves is found again by the next, and every step is safe to
# repeat (an anonymised citizen is never taken twice).
@shared_task(name=sletning.OPGAVE)
def slet_udloebne() -> int:
    plan = sletning.slet_udloebne()
    return len(plan.borgere)
