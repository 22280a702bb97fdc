"""The beat schedule for the outbox sweep, and the administrator's view of this app's rows.

The schedule is data, not code (django-celery-beat's DatabaseScheduler reads it), so an
administrator can see in Django admin when it last ran and change the interval without a deploy.
"""

from django.db import migrations
from django.utils import timezone

from mikrolaan.konti.roller import tildel_rettigheder

FEJNING_NAVN = "Notifikationer: send udestående e-mails"
FEJNING_OPGAVE = "notifikationer.lever_udestaaende"


def opret(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    # IntervalSchedule has no unique constraint, so an existing one is reused rather than "got".
    hvert_5_minut = IntervalSchedule.objects.filter(
        every=5, period="minutes"
    ).first() or IntervalSchedule.objects.create(every=5, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=FEJNING_NAVN,
        defaults={
            "task": FEJNING_OPGAVE,
            "interval": hvert_5_minut,
            "enabled": True,
            "description": "Sender e-mails, som ikke blev sendt, fordi broker eller worker var nede.",
        },
    )
    # The scheduler notices changes through this row; historical models send no signals.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})

    tildel_rettigheder(
        apps,
        {
            "Administrator": [
                "notifikationer.view_notifikation",
                # Only for the admin action "Prøv at sende e-mail igen"; every field is read-only.
                "notifikationer.change_notifikation",
                "notifikationer.view_koersel",
                "notifikationer.view_emailvalg",
            ],
        },
    )


def fjern(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=FEJNING_NAVN).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifikationer", "0001_initial"),
        ("konti", "0002_roller"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(opret, fjern)]
