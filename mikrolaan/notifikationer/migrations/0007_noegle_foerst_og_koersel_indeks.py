"""Issue 13: the idempotency key leads its unique index, and job runs are read through indexes.

The constraint keeps its name and meaning (one row per recipient and non-empty key); only the
column order changes, so `noegle IN (...)` for a whole run's keys finds them by index instead of
reading all of it. Dropped and re-created in the migration's transaction: no row can slip in
between. On a large table each index build holds a write lock for seconds (3 M rows: about 10 s).
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifikationer", "0006_rolle_tildelt"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="notifikation",
            name="notifikation_unik_noegle_per_modtager",
        ),
        migrations.AlterField(
            model_name="koersel",
            name="opgave",
            field=models.CharField(max_length=200, verbose_name="opgave"),
        ),
        migrations.AddIndex(
            model_name="koersel",
            index=models.Index(fields=["startet", "id"], name="koersel_startet_idx"),
        ),
        migrations.AddIndex(
            model_name="koersel",
            index=models.Index(fields=["opgave", "startet"], name="koersel_opgave_idx"),
        ),
        migrations.AddConstraint(
            model_name="notifikation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("noegle", ""), _negated=True),
                fields=("noegle", "modtager"),
                name="notifikation_unik_noegle_per_modtager",
            ),
        ),
    ]
