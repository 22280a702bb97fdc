"""Today's means-of-support categories, and the administrator's right to maintain them."""

import datetime

from django.db import migrations

from mikrolaan.konti.roller import tildel_rettigheder

KATEGORIER = [
    "Kontanthjælp",
    "Uddannelseshjælp",
    "Dagpenge",
    "Sygedagpenge",
    "Ressourceforløbsydelse",
    "Revalidering",
    "Integrationsydelse",
    "Selvforsørgende",
    "Andet",
]


def opret(apps, schema_editor):
    Forsoergelsesgrundlag = apps.get_model("borgere", "Forsoergelsesgrundlag")
    for navn in KATEGORIER:
        Forsoergelsesgrundlag.objects.get_or_create(
            navn=navn, defaults={"gyldig_fra": datetime.date(2015, 1, 1)}
        )
    tildel_rettigheder(
        apps,
        {
            "Administrator": [
                "borgere.view_forsoergelsesgrundlag",
                "borgere.add_forsoergelsesgrundlag",
                "borgere.change_forsoergelsesgrundlag",
            ]
        },
    )


class Migration(migrations.Migration):
    dependencies = [("borgere", "0001_initial"), ("konti", "0002_roller")]

    operations = [migrations.RunPython(opret, migrations.RunPython.noop)]
