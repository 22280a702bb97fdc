"""Celery tasks: thin wrappers that take ids and call a service. All are safe to run twice.

The names are explicit because the beat schedule (PeriodicTask rows made by migrations 0002 and
0008) refers to the sweep and the clean-up by name.
"""

from celery import shared_task

from . import oprydning, services


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


# No retry of its own: a row that fails is released by lever_email and the five-minute sweep
# retries it, so one bad address does not hold up (or resend) the other rows of the batch.
@shared_task(name="notifikationer.send_emails")
def send_emails(notifikation_ids: list[int]) -> int:
    return services.lever_emails(notifikation_ids=notifikation_ids)[0]


# No retry: what a failed run did not delete, the next night's run finds.
@shared_task(name=oprydning.OPGAVE)
def ryd_op() -> int:
    return oprydning.ryd_op().antal
