"""Bulk writing for the scale data: COPY FROM STDIN on PostgreSQL, batched INSERTs elsewhere.

The rows are tuples in the order of the field names given, with the primary key chosen here
(`ids`), so the generator can point foreign keys at rows before they are written and a seed gives
the same ids. Nothing goes through `Model.save()`: no auto_now stamps, no signals, no change
history (auditlog) — the values are exactly the generator's. After the load the tables' sequences
are moved past the ids used, and PostgreSQL's statistics are refreshed (ANALYZE).
"""

import json
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

# SQLite allows at most 32,766 bound parameters per statement; a batch stays well under it.
_SQLITE_PARTI = 500


class Skriver:
    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.antal: Counter[str] = Counter()
        self._naeste: dict[type, int] = {}
        self._modeller: list[type] = []

    def ids(self, model, antal: int) -> range:
        """`antal` fresh primary keys for `model`, after any row already in the table."""
        if model not in self._naeste:
            self._naeste[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
            self._modeller.append(model)
        start = self._naeste[model]
        self._naeste[model] = start + antal
        return range(start, start + antal)

    def skriv(self, model, felter: list[str], raekker: Iterable[tuple]) -> int:
        """Write the rows; returns how many. `felter` are field names (attnames for relations)."""
        if model not in self._naeste:
            self._modeller.append(model)
            self._naeste[model] = 1
        modelfelter = [_felt(model, navn) for navn in felter]
        kolonner = ", ".join(connection.ops.quote_name(f.column) for f in modelfelter)
        tabel = connection.ops.quote_name(model._meta.db_table)
        if self.postgres:
            antal = self._copy(tabel, kolonner, raekker)
        else:
            antal = self._indsaet(tabel, kolonner, modelfelter, raekker)
        self.antal[model._meta.label] += antal
        return antal

    def _copy(self, tabel: str, kolonner: str, raekker: Iterable[tuple]) -> int:
        antal = 0
        sql = f"COPY {tabel} ({kolonner}) FROM STDIN"
        with (
            connection.cursor() as cursor,
            _uden_fremmednoegler_og_indekser(cursor, tabel),
            cursor.cursor.copy(sql) as copy,
        ):
            skriv = copy.write_row
            for raekke in raekker:
                skriv(raekke)
                antal += 1
        return antal

    def _indsaet(self, tabel: str, kolonner: str, felter: list, raekker: Iterable[tuple]) -> int:
        pladser = ", ".join(["%s"] * len(felter))
        # Names from the models' own metadata, quoted by the backend; the values are parameters.
        sql = f"INSERT INTO {tabel} ({kolonner}) VALUES ({pladser})"  # noqa: S608
        # JSON arrives as text (what COPY wants); the ORM's field expects the value itself.
        json_felter = {f for f in felter if isinstance(f, models.JSONField)}
        antal, parti = 0, []
        with connection.cursor() as cursor:
            for raekke in raekker:
                parti.append(
                    [
                        f.get_db_prep_save(json.loads(v) if f in json_felter else v, connection)
                        for f, v in zip(felter, raekke, strict=True)
                    ]
                )
                if len(parti) >= _SQLITE_PARTI:
                    cursor.executemany(sql, parti)
                    antal += len(parti)
                    parti = []
            if parti:
                cursor.executemany(sql, parti)
                antal += len(parti)
        return antal

    def tjek_udskudte(self) -> None:
        """Check the deferred foreign keys of the rows written so far (by the ORM) now, so no
        table has pending checks when the COPY steps alter their tables."""
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def afslut(self) -> None:
        """Move every sequence past the ids written."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), self._modeller):
                cursor.execute(sql)

    def analyser(self) -> None:
        """Fresh planner statistics for the tables just filled (after the commit)."""
        with connection.cursor() as cursor:
            for model in self._modeller:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@contextmanager
def _uden_fremmednoegler_og_indekser(cursor, tabel: str):
    """PostgreSQL's advice for a bulk load ("Populating a Database"): without the table's foreign
    keys and plain indexes during the COPY, and with exactly the same ones added back after it.

    A foreign key checked row by row is a query per row at COMMIT (16 million for the national
    set: minutes); added back, it checks every row in one join. Nothing goes unchecked, and it is
    all one transaction: if anything fails, the keys and indexes were never gone. Primary keys,
    unique constraints and unique indexes (a partial one is a rule: one open referral per citizen)
    and check constraints stay throughout, and so do partial indexes: they hold a few of the rows,
    and PostgreSQL prints an `IN (...)` condition in a form that, run again, it stores differently
    (the same index, another text), which the schema test would rightly not accept.
    """
    navn = tabel.strip('"')
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [navn],
    )
    noegler = cursor.fetchall()
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary "
        "AND i.indpred IS NULL",
        [navn],
    )
    indekser = cursor.fetchall()
    q = connection.ops.quote_name
    for konavn, _ in noegler:
        cursor.execute(f"ALTER TABLE {tabel} DROP CONSTRAINT {q(konavn)}")
    for indeksnavn, _ in indekser:
        cursor.execute(f"DROP INDEX {q(indeksnavn)}")
    yield
    for _, definition in indekser:
        cursor.execute(definition)
    for konavn, definition in noegler:
        cursor.execute(f"ALTER TABLE {tabel} ADD CONSTRAINT {q(konavn)} {definition}")


def _felt(model, navn: str):
    for felt in model._meta.concrete_fields:
        if navn in (felt.name, felt.attname):
            return felt
    raise ValueError(f"{model.__name__} har intet felt {navn}")
