"""A referral whose programme has ended gets the new status "afsluttet" (visitation 0004).

Referrals now count occupied places themselves: `optaget` while the programme runs. Programmes
that ended before this status existed leave their referral at "optaget"; move those on, before
visitation 0004 widens the one-open-referral constraint to "optaget".
"""

from django.db import migrations


def afslut(apps, schema_editor):
    Henvisning = apps.get_model("visitation", "Henvisning")
    Henvisning.objects.filter(
        status="optaget", forloeb__status__in=["afsluttet", "afbrudt"]
    ).update(status="afsluttet")


def genaabn(apps, schema_editor):
    Henvisning = apps.get_model("visitation", "Henvisning")
    Henvisning.objects.filter(status="afsluttet").update(status="optaget")


class Migration(migrations.Migration):
    dependencies = [
        ("forloeb", "0004_paamindelser"),
        ("visitation", "0003_nej_kan_kun_afvises"),
    ]

    operations = [migrations.RunPython(afslut, genaabn)]
