"""The audit trail against the application's own database role (issue 11, points 4 and 7).

Migration 0002 refused row UPDATE and DELETE. This adds what that left open:

- TRUNCATE is refused by a statement trigger too. A superuser is let through: it can drop the
  trigger or set `session_replication_role = replica` anyway, and the test suite's flush between
  transactional tests truncates as one. Everyone else, the tables' owner included, is refused.
- The one path that may remove audit rows, the retention job: two SECURITY DEFINER functions
  owned by the migrating (owner) role. Each sets `mikrolaan.sletning = 'on'` around its one DELETE
  only (a function-level SET clause on a custom setting needs a superuser from PostgreSQL 15 on,
  and migrations run as the non-superuser owner), refuses rows younger than a year whatever
  the caller asks, and writes what it removed to `revision_sletningslog` in the same statement.
  The trigger honours the setting only for DELETE, and only when the current user is (a member
  of) the table's owner, i.e. inside those functions: the application role has no DELETE
  privilege and cannot become the owner, so setting the variable itself gains it nothing.
  EXECUTE is revoked from PUBLIC; `manage.py tildel_rettigheder` grants it to the application role.

SQLite (development only) relies on the models' own refusals.
"""

import django.utils.timezone
from django.db import migrations, models

TABELLER = ["revision_adgangslog", "auditlog_logentry", "revision_sletningslog"]

# Rows younger than this can never be erased through the retention functions: a compromised
# application that calls them with "now" removes nothing recent.
MINDSTE_ALDER = "1 year"

FUNKTION = """
CREATE OR REPLACE FUNCTION revision_uforanderlig() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
        AND (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE'
        AND TG_TABLE_NAME <> 'revision_sletningslog'
        AND current_setting('mikrolaan.sletning', true) = 'on'
        AND pg_catalog.pg_has_role(
            current_user,
            (SELECT relowner FROM pg_catalog.pg_class WHERE oid = TG_RELID),
            'USAGE'
        ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'Revisionsspor i % kan ikke ændres eller slettes', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

SLET_ADGANGSLOG = """
CREATE OR REPLACE FUNCTION revision_slet_adgangslog(foer timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = {skema}, pg_temp
AS $$
DECLARE
    antal bigint;
BEGIN
    IF foer > now() - interval '{alder}' THEN
        RAISE EXCEPTION 'Adgangslog yngre end et år kan ikke slettes'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('mikrolaan.sletning', 'on', true);
    DELETE FROM revision_adgangslog WHERE tidspunkt < foer;
    GET DIAGNOSTICS antal = ROW_COUNT;
    PERFORM set_config('mikrolaan.sletning', 'off', true);
    INSERT INTO revision_sletningslog (tidspunkt, tabel, graense, antal, databasebruger)
        VALUES (now(), 'revision_adgangslog', foer, antal, session_user);
    RETURN antal;
END;
$$;
"""

SLET_LOGPOSTER = """
CREATE OR REPLACE FUNCTION revision_slet_logposter(ids bigint[]) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = {skema}, pg_temp
AS $$
DECLARE
    antal bigint;
BEGIN
    PERFORM set_config('mikrolaan.sletning', 'on', true);
    DELETE FROM auditlog_logentry
        WHERE id = ANY(ids) AND "timestamp" < now() - interval '{alder}';
    GET DIAGNOSTICS antal = ROW_COUNT;
    PERFORM set_config('mikrolaan.sletning', 'off', true);
    INSERT INTO revision_sletningslog (tidspunkt, tabel, graense, antal, databasebruger)
        VALUES (now(), 'auditlog_logentry', NULL, antal, session_user);
    RETURN antal;
END;
$$;
"""

SIGNATURER = ["revision_slet_adgangslog(timestamptz)", "revision_slet_logposter(bigint[])"]


def opret(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        skema = cursor.fetchone()[0]
    # params=None: the bodies have %-placeholders of their own (RAISE ... %).
    schema_editor.execute(FUNKTION, params=None)
    for sql in (SLET_ADGANGSLOG, SLET_LOGPOSTER):
        schema_editor.execute(
            sql.format(skema=schema_editor.quote_name(skema), alder=MINDSTE_ALDER), params=None
        )
    for signatur in SIGNATURER:
        schema_editor.execute(f"REVOKE ALL ON FUNCTION {signatur} FROM PUBLIC")
    schema_editor.execute(
        "CREATE TRIGGER revision_sletningslog_uforanderlig BEFORE UPDATE OR DELETE "
        "ON revision_sletningslog FOR EACH ROW EXECUTE FUNCTION revision_uforanderlig()"
    )
    for tabel in TABELLER:
        schema_editor.execute(
            f"CREATE TRIGGER {tabel}_ingen_truncate BEFORE TRUNCATE ON {tabel} "
            "FOR EACH STATEMENT EXECUTE FUNCTION revision_uforanderlig()"
        )


def fjern(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for tabel in TABELLER:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {tabel}_ingen_truncate ON {tabel}")
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS revision_sletningslog_uforanderlig ON revision_sletningslog"
    )
    for signatur in SIGNATURER:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {signatur}")
    # Back to 0002's function: every UPDATE and DELETE refused.
    schema_editor.execute(
        """
CREATE OR REPLACE FUNCTION revision_uforanderlig() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Revisionsspor i % kan ikke ændres eller slettes', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""",
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("revision", "0002_uforanderlig"),
    ]

    operations = [
        migrations.CreateModel(
            name="Sletningslog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "tidspunkt",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="tidspunkt"
                    ),
                ),
                ("tabel", models.CharField(max_length=63, verbose_name="tabel")),
                (
                    "graense",
                    models.DateTimeField(blank=True, null=True, verbose_name="slettet før"),
                ),
                ("antal", models.PositiveIntegerField(verbose_name="antal rækker")),
                ("databasebruger", models.CharField(max_length=63, verbose_name="databasebruger")),
            ],
            options={
                "verbose_name": "sletning af revisionsspor",
                "verbose_name_plural": "sletninger af revisionsspor",
                "ordering": ["-tidspunkt", "-id"],
            },
        ),
        migrations.AlterField(
            model_name="adgangslog",
            name="handling",
            field=models.CharField(
                choices=[
                    ("vis", "Visning"),
                    ("vis_cpr", "Visning af CPR-nummer"),
                    ("soeg", "Søgning"),
                    ("hent_dokument", "Hentning af dokument"),
                    ("eksport", "Eksport"),
                    ("rolleaendring", "Ændring af rolle eller organisation"),
                    ("superbruger", "Ændring af superbrugerstatus"),
                ],
                max_length=20,
                verbose_name="handling",
            ),
        ),
        migrations.RunPython(opret, fjern),
    ]
