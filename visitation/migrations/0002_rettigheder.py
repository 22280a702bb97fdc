"""Administrators maintain place agreements in the admin."""

from django.db import migrations

from mikrolaan.konti.roller import tildel_rettigheder


def tildel(apps, schema_editor):
    tildel_rettigheder(
        apps,
        {
            "Administrator": [
                "visitation.view_pladsaftale",
                "visitation.add_pladsaftale",
                "visitation.change_pladsaftale",
            ]
        },
    )


class Migration(migrations.Migration):
    dependencies = [("visitation", "0001_initial"), ("konti", "0002_roller")]

    operations = [migrations.RunPython(tildel, migrations.RunPython.noop)]
