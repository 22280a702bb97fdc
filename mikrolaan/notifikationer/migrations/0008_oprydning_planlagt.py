"""The nightly clean-up's beat schedule (notifikationer.ryd_op): 03:15 Danish time.

Data, not code, like the weekly digest (oversigt 0001): an administrator sees in the Django admin
when it last ran and may move it without a deploy. After the retention job's 02:30 and well before
the working day, when deleting touches nobody's bell.
"""

from django.db import migrations
from django.utils import timezone

OPRYDNING_NAVN = "Notifikationer: slet dem, ingen har brug for mere"
OPRYDNING_OPGAVE = "notifikationer.ryd_op"
# 03:15 in the crontab's own timezone, so summer time does not move it.
KL_3_15 = {
    "minute": "15",
    "hour": "3",
    "day_of_week": "*",
    "day_of_month": "*",
    "month_of_year": "*",
    "timezone": "Europe/Copenhagen",
}


def opret(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    # No unique constraint on CrontabSchedule: reuse the first equal one instead of get_or_create.
    kl = CrontabSchedule.objects.filter(**KL_3_15).first() or CrontabSchedule.objects.create(
        **KL_3_15
    )
    # get_or_create: an administrator's changes to an existing task are kept on a re-run.
    PeriodicTask.objects.get_or_create(
        name=OPRYDNING_NAVN,
        defaults={
            "task": OPRYDNING_OPGAVE,
            "crontab": kl,
            "enabled": True,
            "description": (
                "Sletter notifikationer, der er læst eller håndteret og ældre end "
                "NOTIFIKATIONER_SLET_EFTER_DAGE dage, og alle ældre end "
                "NOTIFIKATIONER_ULAESTE_SLET_EFTER_DAGE dage; aldrig en, hvis e-mail endnu "
                "ikke er sendt."
            ),
        },
    )
    # The scheduler notices changes through this row; historical models send no signals.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def fjern(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    PeriodicTask.objects.filter(name=OPRYDNING_NAVN).delete()
    CrontabSchedule.objects.filter(**KL_3_15, periodictask__isnull=True).delete()
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("notifikationer", "0007_noegle_foerst_og_koersel_indeks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(opret, fjern)]
