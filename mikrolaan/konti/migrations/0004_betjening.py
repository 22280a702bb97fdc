"""Which jobcenter serves which buying municipality.

The check constraint says that only a municipality is served. That the organisation serving it is
a jobcenter is a fact about another row, which a CHECK cannot see: on PostgreSQL a trigger refuses
a serving organisation that is not a jobcenter, and a jobcenter that serves municipalities from
becoming something else. SQLite (development only) relies on `Organisation.clean` in the admin.
"""

import django.db.models.deletion
from django.db import migrations, models

FUNKTION = """
CREATE OR REPLACE FUNCTION konti_betjening_tjek() RETURNS trigger AS $$
BEGIN
    -- FOR SHARE: a concurrent change of the jobcenter's type waits for this row (and the
    -- other way round), so the two cannot both pass the check on a stale read.
    IF NEW.betjent_af_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM konti_organisation
        WHERE id = NEW.betjent_af_id AND type = 'jobcenter' FOR SHARE
    ) THEN
        RAISE EXCEPTION 'Kun et jobcenter kan betjene en kommune'
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.type <> 'jobcenter' AND EXISTS (
        SELECT 1 FROM konti_organisation WHERE betjent_af_id = NEW.id
    ) THEN
        RAISE EXCEPTION 'Organisationen betjener kommuner og skal være et jobcenter'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def opret_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNKTION, params=None)
    schema_editor.execute(
        "CREATE TRIGGER konti_organisation_betjening BEFORE INSERT OR UPDATE "
        "ON konti_organisation FOR EACH ROW EXECUTE FUNCTION konti_betjening_tjek()"
    )


def fjern_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS konti_organisation_betjening ON konti_organisation"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS konti_betjening_tjek()")


class Migration(migrations.Migration):
    dependencies = [
        ("konti", "0003_bruger_manager"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="betjent_af",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Det jobcenter, der henviser kommunens borgere til de pladser, den køber."
                ),
                error_messages={"invalid": "Vælg et jobcenter."},
                limit_choices_to={"type": "jobcenter"},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="betjener",
                to="konti.organisation",
                verbose_name="betjenes af jobcenter",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("betjent_af__isnull", True), ("type", "kommune"), _connector="OR"
                ),
                name="organisation_kun_kommune_betjenes",
                violation_error_message="Kun en kommune kan betjenes af et jobcenter.",
            ),
        ),
        migrations.RunPython(opret_trigger, fjern_trigger),
    ]
