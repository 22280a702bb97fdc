"""Name search (`soegenavn LIKE '%jensen%'`) through a trigram index, on PostgreSQL.

A search for a common name counted its hits by reading all 100,000 citizens at national scale
(54 ms; issue 13); a trigram index finds the rows holding the text instead. pg_trgm is a trusted
extension (PostgreSQL 13+), so the database owner may create it. SQLite (`make run`) searches by a
scan, as before: the index is not in the model's state, because SQLite has no GIN.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def opret_indeks(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS borger_soegenavn_trgm_idx "
        "ON borgere_borger USING gin (soegenavn gin_trgm_ops)"
    )


def fjern_indeks(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS borger_soegenavn_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("borgere", "0004_navneorden")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(opret_indeks, fjern_indeks, elidable=False),
    ]
