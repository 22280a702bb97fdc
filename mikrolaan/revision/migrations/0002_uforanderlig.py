"""On PostgreSQL, refuse UPDATE and DELETE on the audit tables for every database user the
application connects as. TRUNCATE (used only by the test suite's flush) is not a row operation and
is unaffected. SQLite (development only) relies on the model's own refusal.
"""

from django.db import migrations

TABELLER = ["revision_adgangslog", "auditlog_logentry"]

FUNKTION = """
CREATE OR REPLACE FUNCTION revision_uforanderlig() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Revisionsspor i % kan ikke ændres eller slettes', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def opret(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # params=None: the function body has %-placeholders of its own (RAISE ... %).
    schema_editor.execute(FUNKTION, params=None)
    for tabel in TABELLER:
        schema_editor.execute(
            f"CREATE TRIGGER {tabel}_uforanderlig BEFORE UPDATE OR DELETE ON {tabel} "
            "FOR EACH ROW EXECUTE FUNCTION revision_uforanderlig()"
        )


def fjern(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for tabel in TABELLER:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {tabel}_uforanderlig ON {tabel}")
    schema_editor.execute("DROP FUNCTION IF EXISTS revision_uforanderlig()")


class Migration(migrations.Migration):
    dependencies = [
        ("revision", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(opret, fjern)]
