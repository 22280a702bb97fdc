"""Celery tasks of the overview: thin wrappers around its services. The name is explicit because the
beat schedule (a PeriodicTask row made by migration oversigt/0001_ugebrev) refers to it by name."""

from celery import shared_task

from . import ugebrev


# No retry: the digest is keyed by week, so a failed run is made up by running it again the same
# week (an administrator can start it from the admin); it never sends twice.
@shared_task(name=ugebrev.OPGAVE)
def send_ugebreve() -> int:
    return ugebrev.send_ugebreve()
