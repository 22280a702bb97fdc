"""mikrolaan/admin_sider.py: a big table's unfiltered count comes from PostgreSQL's statistics."""

import pytest
from django.db import connection

from mikrolaan import admin_sider
from mikrolaan.admin_sider import AnslaaetPaginator, anslaaet_antal
from mikrolaan.notifikationer.models import Koersel


def analyser() -> None:
    # ANALYZE sets pg_class.reltuples (as autovacuum does on a live table); it also counts the
    # rows this test's own transaction inserted.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifikationer_koersel")


@pytest.fixture
def stor_fra_tre(monkeypatch):
    """Tables of three rows or more count as big, so a test needs only a few rows."""
    monkeypatch.setattr(admin_sider, "ANSLAG_FRA", 3)


@pytest.mark.usefixtures("kraever_postgres", "stor_fra_tre")
def test_the_unfiltered_count_is_the_statistics_estimate_not_a_count(
    django_assert_num_queries,
):
    for _ in range(4):
        Koersel.objects.create(opgave="laan.restancer")
    analyser()
    # Rows deleted since the statistics were taken: a count would see 2, the estimate says 4.
    Koersel.objects.filter(pk__in=Koersel.objects.values("pk")[:2]).delete()

    paginator = AnslaaetPaginator(Koersel.objects.order_by("-startet"), 100)
    # One query, the estimate from pg_class; no COUNT(*).
    with django_assert_num_queries(1):
        assert paginator.count == 4
    assert anslaaet_antal(Koersel.objects.all()) == 4


@pytest.mark.usefixtures("kraever_postgres", "stor_fra_tre")
def test_a_filtered_list_is_counted_exactly():
    for opgave in ("laan.restancer", "laan.restancer", "forloeb.paamindelser", "ugebrev"):
        Koersel.objects.create(opgave=opgave)
    analyser()

    assert AnslaaetPaginator(Koersel.objects.filter(opgave="laan.restancer"), 100).count == 2


@pytest.mark.usefixtures("kraever_postgres")
def test_a_table_below_the_threshold_is_counted_exactly():
    for _ in range(4):
        Koersel.objects.create(opgave="laan.restancer")
    analyser()
    Koersel.objects.filter(pk__in=Koersel.objects.values("pk")[:1]).delete()

    assert AnslaaetPaginator(Koersel.objects.all(), 100).count == 3


def test_without_postgresql_statistics_the_paginator_counts(db, stor_fra_tre, monkeypatch):
    monkeypatch.setattr(admin_sider, "anslaaet_antal", lambda qs: None)
    for _ in range(4):
        Koersel.objects.create(opgave="laan.restancer")

    assert AnslaaetPaginator(Koersel.objects.all(), 100).count == 4
