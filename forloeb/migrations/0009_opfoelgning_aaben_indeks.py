"""Issue 13: a partial index on open follow-ups, for the daily reminders' overdue look-up."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("borgere", "0003_dokument_kryptering"),
        ("forloeb", "0008_kalenderlink"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="opfoelgning",
            index=models.Index(
                condition=models.Q(("registreret__isnull", True)),
                fields=["forfalder"],
                name="opfoelgning_aaben_idx",
            ),
        ),
    ]
