"""`mikrolaan.udtryk.EnAf`: `felt = ANY(ARRAY(subquery))` on PostgreSQL, `IN` elsewhere, with the
same rows either way."""

import pytest
from django.db import connection

from mikrolaan.konti.models import Organisation
from mikrolaan.udtryk import EnAf

pytestmark = pytest.mark.django_db


def test_it_keeps_exactly_the_rows_whose_value_the_subquery_gives(pilot):
    jobcentre = Organisation.objects.filter(type=Organisation.Type.JOBCENTER).values("pk")
    fundet = Organisation.objects.filter(EnAf("pk", jobcentre))

    assert set(fundet.values_list("navn", flat=True)) == {
        "Jobcenter Vallensbæk",
        "Jobcenter Andetsteds",
    }
    ingen = Organisation.objects.filter(EnAf("pk", jobcentre.filter(navn="ingen")))
    assert not ingen.exists()
    # Through a relation, negated.
    betjente = Organisation.objects.exclude(betjent_af=None).exclude(EnAf("betjent_af", jobcentre))
    assert not betjente.exists()


def test_postgresql_reads_the_subquery_first(pilot):
    sql = str(Organisation.objects.filter(EnAf("pk", Organisation.objects.values("pk"))).query)
    if connection.vendor == "postgresql":
        assert '"konti_organisation"."id" = ANY(ARRAY(SELECT' in sql
    else:
        assert '"konti_organisation"."id" IN (SELECT' in sql
