"""The referring jobcenter copied onto each programme (`Forloeb.jobcenter`, issue 13).

Added empty, filled from each programme's referral, then required. On PostgreSQL a foreign key on
(henvisning_id, jobcenter_id) to the referral's (id, jobcenter_id) keeps the copy equal to the
referral's for good: a programme that names another jobcenter than its referral is refused. The
key needs (id, jobcenter_id) unique on the referrals, trivially true (id is the primary key), so
that constraint is PostgreSQL's only and not the model's: no write could break it alone. SQLite
(`make run`) relies on `Forloeb.save`, which copies it.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

NOEGLE = "forloeb_jobcenter_som_henvisningens"
MAAL = "henvisning_id_jobcenter"


def udfyld(apps, schema_editor):
    Forloeb = apps.get_model("forloeb", "Forloeb")
    Henvisning = apps.get_model("visitation", "Henvisning")
    Forloeb.objects.update(
        jobcenter_id=Subquery(
            Henvisning.objects.filter(pk=OuterRef("henvisning_id")).values("jobcenter_id")[:1]
        )
    )


def opret_noegle(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE visitation_henvisning ADD CONSTRAINT {MAAL} UNIQUE (id, jobcenter_id)"
    )
    schema_editor.execute(
        f"ALTER TABLE forloeb_forloeb ADD CONSTRAINT {NOEGLE} "
        "FOREIGN KEY (henvisning_id, jobcenter_id) "
        "REFERENCES visitation_henvisning (id, jobcenter_id)"
    )


def fjern_noegle(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE forloeb_forloeb DROP CONSTRAINT IF EXISTS {NOEGLE}")
    schema_editor.execute(f"ALTER TABLE visitation_henvisning DROP CONSTRAINT IF EXISTS {MAAL}")


class Migration(migrations.Migration):
    dependencies = [
        ("forloeb", "0010_aktiv_og_udskrivning_dato_indeks"),
        ("konti", "0005_vallensbaek_betjener_ishoej"),
        ("visitation", "0008_henvisning_status_indeks"),
    ]

    operations = [
        migrations.AddField(
            model_name="forloeb",
            name="jobcenter",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="konti.organisation",
                verbose_name="jobcenter",
            ),
        ),
        migrations.RunPython(udfyld, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="forloeb",
            name="jobcenter",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="konti.organisation",
                verbose_name="jobcenter",
            ),
        ),
        migrations.RunPython(opret_noegle, fjern_noegle, elidable=False),
    ]
