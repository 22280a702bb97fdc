"""Existing installations of the pilot: Jobcenter Vallensbæk refers Ishøj Kommune's citizens.

Without it, the pilot's caseworkers could refer no one once the referral form offers only the
agreements their jobcenter's municipalities buy. Only where both organisations exist, as the demo
data and the pilot name them, and only where Ishøj has no jobcenter set yet.
"""

from django.db import migrations

JOBCENTER = "Jobcenter Vallensbæk"
KOMMUNE = "Ishøj Kommune"


def saet(apps, schema_editor):
    Organisation = apps.get_model("konti", "Organisation")
    jobcenter = Organisation.objects.filter(navn=JOBCENTER, type="jobcenter").first()
    if jobcenter is None:
        return
    Organisation.objects.filter(navn=KOMMUNE, type="kommune", betjent_af=None).update(
        betjent_af=jobcenter
    )


class Migration(migrations.Migration):
    dependencies = [
        ("konti", "0004_betjening"),
    ]

    operations = [migrations.RunPython(saet, migrations.RunPython.noop)]
