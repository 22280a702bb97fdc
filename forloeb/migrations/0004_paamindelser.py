"""The daily beat schedule for reminders about phases and follow-ups (forloeb.paamindelser).

The schedule is data, not code (django-celery-beat's DatabaseScheduler reads it), so an
administrator can see in Django admin when it last ran and move it without a deploy.
"""

from django.db import migrations
from django.utils import timezone

PAAMINDELSE_NAVN = "Påmindelser om faser og opfølgninger"
PAAMINDELSE_OPGAVE = "forloeb.paamindelser"
# 07:00 Danish time all year: the crontab's own timezone, so summer time does not move it to 08:00.
KL_7 = {
    "minute": "0",
    "hour": "7",
    "day_of_week": "*",
    "day_of_month": "*",
    "month_of_year": "*",
    "timezone": "Europe/Copenhagen",
}


def opret(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    # CrontabSchedule has no unique constraint (an administrator may have made the same one), so
    # get_or_create could raise MultipleObjectsReturned: reuse the first instead.
    kl_7 = CrontabSchedule.objects.filter(**KL_7).first() or CrontabSchedule.objects.create(**KL_7)
    # get_or_create, not update_or_create: when this runs again (tests re-seed after a flush), an
    # administrator's changes to an existing task are kept.
    PeriodicTask.objects.get_or_create(
        name=PAAMINDELSE_NAVN,
        defaults={
            "task": PAAMINDELSE_OPGAVE,
            "crontab": kl_7,
            "enabled": True,
            "description": (
                "Påminder forløbsmedarbejdere og sagsbehandlere, når en fase nærmer sig sin "
                "planlagte slutdato eller er overskredet, og sagsbehandlere om forfaldne "
                "opfølgninger."
            ),
        },
    )
    # The scheduler notices changes through this row; historical models send no signals.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def fjern(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    PeriodicTask.objects.filter(name=PAAMINDELSE_NAVN).delete()
    # The 07:00 crontab goes too, unless another task has come to use it.
    CrontabSchedule.objects.filter(**KL_7, periodictask__isnull=True).delete()
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("forloeb", "0003_kursus_og_udskrivning"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(opret, fjern)]
