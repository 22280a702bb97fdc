"""The four role groups of DOMAIN.md, and the administrator's permissions on this app's models.

Later apps grant their own models' permissions in data migrations of their own, with the same helper.
"""

from django.db import migrations

from mikrolaan.konti.roller import tildel_rettigheder

ROLLER = ["Sagsbehandler", "Forløbsmedarbejder", "Erhvervschef", "Administrator"]


def opret_roller(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for navn in ROLLER:
        Group.objects.get_or_create(name=navn)
    tildel_rettigheder(
        apps,
        {
            "Administrator": [
                "konti.view_organisation",
                "konti.add_organisation",
                "konti.change_organisation",
                "konti.view_bruger",
                "konti.add_bruger",
                "konti.change_bruger",
                "auth.view_group",
                "revision.view_adgangslog",
                "auditlog.view_logentry",
                "django_celery_beat.view_periodictask",
                "django_celery_beat.change_periodictask",
                "django_celery_beat.view_crontabschedule",
                "django_celery_beat.view_intervalschedule",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("konti", "0001_initial"),
        ("revision", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(opret_roller, migrations.RunPython.noop)]
