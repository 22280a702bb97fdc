"""The daily beat schedule for the arrears run (laan.restancer): instalments newly overdue are
flagged and the case's people told.

As the reminders' schedule (forloeb 0004): data, not code, so an administrator sees in Django admin
when it last ran and can move it without a deploy. At 06:30, before the working day and before
the 07:00 reminders.
"""

from django.db import migrations
from django.utils import timezone

RESTANCE_NAVN = "Restancer på mikrolån"
RESTANCE_OPGAVE = "laan.restancer"
# 06:30 Danish time all year: the crontab's own timezone, so summer time does not move it.
KL_6_30 = {
    "minute": "30",
    "hour": "6",
    "day_of_week": "*",
    "day_of_month": "*",
    "month_of_year": "*",
    "timezone": "Europe/Copenhagen",
}


def opret(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    # No unique constraint on CrontabSchedule (an administrator may have made the same one):
    # reuse the first rather than risk MultipleObjectsReturned.
    kl = CrontabSchedule.objects.filter(**KL_6_30).first() or CrontabSchedule.objects.create(
        **KL_6_30
    )
    # get_or_create: run again (tests re-seed after a flush), an administrator's changes stay.
    PeriodicTask.objects.get_or_create(
        name=RESTANCE_NAVN,
        defaults={
            "task": RESTANCE_OPGAVE,
            "crontab": kl,
            "enabled": True,
            "description": (
                "Markerer afdrag, der er forfaldne og ikke betalt, og giver sagsbehandlere og "
                "forløbsmedarbejdere besked én gang pr. afdrag."
            ),
        },
    )
    # The scheduler notices changes through this row; historical models send no signals.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def fjern(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    PeriodicTask.objects.filter(name=RESTANCE_NAVN).delete()
    # The 06:30 crontab goes too, unless another task has come to use it.
    CrontabSchedule.objects.filter(**KL_6_30, periodictask__isnull=True).delete()
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("laan", "0001_laan"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(opret, fjern)]
