"""Django admin changelists over tables of millions of rows (issue 13): under a second each.

Django's changelist counts its rows twice (the filtered count for the paginator and the full
count beside it) and a `date_hierarchy` reads the distinct dates of the whole table: at 3 M rows
0.7–1.3 s a page. `StorTabelAdmin` drops the full count and the date hierarchy (a list filter on
recent periods, `DateFieldListFilter`, filters by an index range instead), and `AnslaaetPaginator`
takes the unfiltered count from PostgreSQL's statistics (`pg_class.reltuples`, kept by autovacuum
and ANALYZE) instead of counting: the page count is then approximate, which a list of log rows
newest first can live with. A filtered list is counted exactly (its filter narrows it).
"""

from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

# Below this many rows (by the statistics) the exact count is cheap, and exact.
ANSLAG_FRA = 100_000


def anslaaet_antal(qs: QuerySet) -> int | None:
    """The table's row count by PostgreSQL's statistics, or None (another engine, or a table the
    statistics have never seen: reltuples is -1 until the first VACUUM or ANALYZE)."""
    forbindelse = connections[qs.db]
    if forbindelse.vendor != "postgresql":
        return None
    with forbindelse.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [forbindelse.ops.quote_name(qs.model._meta.db_table)],
        )
        raekke = cursor.fetchone()
    if raekke is None or raekke[0] < 0:
        return None
    return int(raekke[0])


class AnslaaetPaginator(Paginator):
    """A paginator whose count of an unfiltered queryset on a big table is an estimate."""

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if isinstance(qs, QuerySet) and not qs.query.where and not qs.query.distinct:
            anslag = anslaaet_antal(qs)
            if anslag is not None and anslag >= ANSLAG_FRA:
                return anslag
        return super().count


class StorTabelAdmin:
    """Mix into a ModelAdmin whose table grows without bound (logs, notifications, job runs).

    The subclass sorts by an indexed column (its model's ordering) and selects the foreign keys
    it shows (`list_select_related`); its list filters must not read the table for their
    choices (no `AllValuesFieldListFilter`, no `RelatedOnlyFieldListFilter`).
    """

    paginator = AnslaaetPaginator
    show_full_result_count = False
    date_hierarchy = None
