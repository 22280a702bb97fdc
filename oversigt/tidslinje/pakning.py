"""Small related sets read with their parent row: one query instead of one per kind (issue 13).

A programme's phases, extensions and follow-ups, and a referral's signatures, are a handful of
rows each. `som_liste` reads them inside the parent's query as a JSON array per parent row;
`fra_liste` makes model instances of them again, each field through its own `to_python`, so they
are the same values a query of their own would give.
"""

import datetime

from django.db import models
from django.db.models.functions import JSONObject
from django.utils import timezone


class JSONListe(models.Subquery):
    """A subquery of one JSON column (`json`) as one JSON array per outer row, on PostgreSQL and
    on SQLite (`make run`)."""

    template = "(SELECT COALESCE(jsonb_agg(raekke.json), '[]'::jsonb) FROM (%(subquery)s) raekke)"

    def __init__(self, queryset, **extra):
        super().__init__(queryset, output_field=models.JSONField(), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="(SELECT json_group_array(json(raekke.json)) FROM (%(subquery)s) raekke)",
            **extra,
        )


def som_liste(qs: models.QuerySet, *felter: str, **relaterede: str) -> JSONListe:
    """`qs`'s rows as a JSON array: every concrete field of its model, or `felter` only, plus
    `relaterede` (a name in the JSON -> a lookup, e.g. `organisation_navn="organisation__navn"`)."""
    navne = felter or [f.attname for f in qs.model._meta.concrete_fields]
    return JSONListe(qs.values(json=JSONObject(**{n: n for n in navne}, **relaterede)))


def fra_liste(model: type[models.Model], raekker: list[dict] | None) -> list[models.Model]:
    """Instances of `model` from `som_liste`'s rows (fields not read are deferred)."""
    felter = [f for f in model._meta.concrete_fields if f.attname in (raekker or [{}])[0]]
    return [
        model.from_db(
            "default",
            [f.attname for f in felter],
            [_vaerdi(f, raekke[f.attname]) for f in felter],
        )
        for raekke in raekker or []
    ]


def _vaerdi(felt: models.Field, vaerdi):
    vaerdi = felt.to_python(vaerdi)
    # SQLite's json_object writes a stored moment as it is kept there, in UTC without an offset.
    if isinstance(vaerdi, datetime.datetime) and timezone.is_naive(vaerdi):
        return timezone.make_aware(vaerdi, datetime.UTC)
    return vaerdi
