"""Celery tasks: thin wrappers that take an id and call a service. Both are safe to run twice.

The names are explicit because the beat schedule (a PeriodicTask row made by migration 0002)
refers to the sweep by name.
"""

from celery import shared_task

from . import services


@shared_task(
    name="notifikationer.send_email",
    # SMTP errors are OSErrors. lever_email has recorded the error and released the row, so a
    # retry can claim it again; after the retries the sweep keeps trying up to EMAIL_MAKS_FORSOEG.
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=3,
)
def send_email(notifikation_id: int) -> bool:
    return services.lever_email(notifikation_id=notifikation_id)


@shared_task(name=services.FEJNING_OPGAVE)
def lever_udestaaende() -> int:
    return services.lever_udestaaende().antal
