"""The weekly digest's beat schedule (oversigt.ugebrev): Mondays at 08:00 Danish time.

Data, not code, like forloeb/0004_paamindelser: an administrator sees in the Django admin when it
last ran and may move it without a deploy.
"""

from django.db import migrations
from django.utils import timezone

UGEBREV_NAVN = "Ugebrev til erhvervschefen"
UGEBREV_OPGAVE = "oversigt.ugebrev"
# Monday 08:00 in the crontab's own timezone, so summer time does not move it to 09:00.
MANDAG_KL_8 = {
    "minute": "0",
    "hour": "8",
    "day_of_week": "1",
    "day_of_month": "*",
    "month_of_year": "*",
    "timezone": "Europe/Copenhagen",
}


def opret(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    # No unique constraint on CrontabSchedule: reuse the first equal one instead of get_or_create.
    mandag = CrontabSchedule.objects.filter(
        **MANDAG_KL_8
    ).first() or CrontabSchedule.objects.create(**MANDAG_KL_8)
    # get_or_create: an administrator's changes to an existing task are kept on a re-run.
    PeriodicTask.objects.get_or_create(
        name=UGEBREV_NAVN,
        defaults={
            "task": UGEBREV_OPGAVE,
            "crontab": mandag,
            "enabled": True,
            "description": (
                "Sender erhvervschefen et ugebrev med sidste uges ind- og udskrivning, "
                "belægningen og det, der er overskredet."
            ),
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def fjern(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    PeriodicTask.objects.filter(name=UGEBREV_NAVN).delete()
    CrontabSchedule.objects.filter(**MANDAG_KL_8, periodictask__isnull=True).delete()
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(opret, fjern)]
