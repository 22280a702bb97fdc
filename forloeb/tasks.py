"""Celery tasks of the programme: thin wrappers around services.

The name is explicit because the beat schedule (a PeriodicTask row made by migration 0004) refers
to the task by name.
"""

from celery import shared_task

from . import paamindelser


# No retry: every reminder is keyed, and a run that fails is made up by the next day's run, which
# finds the same phases and follow-ups (the approaching window is many days wide).
@shared_task(name=paamindelser.OPGAVE)
def send_paamindelser() -> int:
    return paamindelser.send_paamindelser().i_alt
