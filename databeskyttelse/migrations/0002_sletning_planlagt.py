"""The nightly beat schedule for the retention job (databeskyttelse.sletning).

As the other schedules (laan 0002, oversigt 0001): a row an administrator sees and can move in the
Django admin. At 02:30, when nobody works on the cases it might take.
"""

from django.db import migrations
from django.utils import timezone

SLETNING_NAVN = "Sletning og anonymisering efter opbevaringsperioden"
SLETNING_OPGAVE = "databeskyttelse.sletning"
# 02:30 Danish time all year: the crontab's own timezone, so summer time does not move it.
KL_2_30 = {
    "minute": "30",
    "hour": "2",
    "day_of_week": "*",
    "day_of_month": "*",
    "month_of_year": "*",
    "timezone": "Europe/Copenhagen",
}


def opret(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    kl = CrontabSchedule.objects.filter(**KL_2_30).first() or CrontabSchedule.objects.create(
        **KL_2_30
    )
    PeriodicTask.objects.get_or_create(
        name=SLETNING_NAVN,
        defaults={
            "task": SLETNING_OPGAVE,
            "crontab": kl,
            "enabled": True,
            "description": (
                "Anonymiserer borgere, hvis sager blev lukket for mere end SLETNING_EFTER_AAR år "
                "siden (lån kun når de er afviklet), og sletter notifikationer og adgangslog, der "
                "er ældre end deres opbevaringsperiode."
            ),
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def fjern(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    PeriodicTask.objects.filter(name=SLETNING_NAVN).delete()
    CrontabSchedule.objects.filter(**KL_2_30, periodictask__isnull=True).delete()
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("databeskyttelse", "0001_anonymisering"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(opret, fjern)]
