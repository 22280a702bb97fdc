"""Celery tasks of the loan app: thin wrappers around services.

The name is explicit because the beat schedule (a PeriodicTask row made by migration
0002_restancer) refers to the task by name.
"""

from celery import shared_task

from . import restancer


# No retry: every instalment not yet reported is found again by the next day's run, and each
# notification is keyed, so nothing is lost or sent twice.
@shared_task(name=restancer.OPGAVE)
def meld_restancer() -> int:
    return restancer.meld_restancer()
