"""The Django admin's lists of the big tables (access log, change history, notifications, job
runs): no date hierarchy, no full count, an estimated count, and queries that do not grow with the
rows (issue 13: 0.7–1.3 s each at 3 M rows before)."""

import pytest
from django.contrib.admin import DateFieldListFilter
from django.db import connection
from django.urls import reverse

from mikrolaan.notifikationer.admin import OpgaveFilter
from mikrolaan.notifikationer.models import Koersel
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import BrugerFactory, NotifikationFactory, OrganisationFactory

# The statistics' estimate is asked for on PostgreSQL only; elsewhere the paginator counts.
ANSLAG = 1 if connection.vendor == "postgresql" else 0

# Per list: what it reads beside 1 session, 2 user, the estimate (PostgreSQL), the count, the
# page's rows with the foreign keys shown, and the navigation's roles of the user.
LISTER = {
    "notifikationer_notifikation": 0,
    # the filter's choices: the scheduled tasks (a handful of rows), not the runs
    "notifikationer_koersel": 1,
    # the object-type filter's choices: the content types
    "revision_adgangslog": 1,
    # the object-type filter's content types come from ContentType's cache
    "auditlog_logentry": 0,
}


@pytest.fixture
def superbruger(pilot):
    return BrugerFactory(is_superuser=True, is_staff=True, organisation=pilot.ishoej)


def fyld(pilot, antal: int) -> None:
    for _ in range(antal):
        NotifikationFactory(modtager=pilot.sagsbehandler)
        Koersel.objects.create(opgave="notifikationer.lever_udestaaende")
        AdgangsLog.objects.create(
            bruger=pilot.sagsbehandler, handling=AdgangsLog.Handling.VIS, kriterier={"q": "x"}
        )
        OrganisationFactory()  # a change-history row (organisations are audited)


@pytest.mark.parametrize("antal", [1, 4])
@pytest.mark.parametrize("liste", LISTER)
def test_the_big_lists_answer_with_queries_that_do_not_grow_with_the_rows(
    pilot, superbruger, client, django_assert_num_queries, liste, antal
):
    fyld(pilot, antal)
    client.force_login(superbruger)
    url = reverse(f"admin:{liste}_changelist")
    client.get(url)  # warm caches (content types)

    # 1 session, 2 user, [the filter's choices], [3 the estimate from pg_class], 4 COUNT (the
    # table is small, so counted exactly), 5 the page's rows, 6 the navigation's roles.
    with django_assert_num_queries(5 + LISTER[liste] + ANSLAG):
        svar = client.get(url)

    assert svar.status_code == 200
    changelist = svar.context["cl"]
    assert changelist.result_count == changelist.model.objects.count()
    assert len(changelist.result_list) == changelist.result_count
    assert changelist.date_hierarchy is None
    assert changelist.show_full_result_count is False


@pytest.mark.parametrize("liste", LISTER)
def test_a_recent_period_filters_the_list(pilot, superbruger, client, liste):
    fyld(pilot, 2)
    client.force_login(superbruger)
    changelist = client.get(reverse(f"admin:{liste}_changelist")).context["cl"]
    (felt,) = [
        f for f in changelist.list_filter if isinstance(f, tuple) and f[1] is DateFieldListFilter
    ]

    # Django's "past 7 days" choice of DateFieldListFilter: a range on the (indexed) field.
    svar = client.get(
        reverse(f"admin:{liste}_changelist"),
        {
            f"{felt[0]}__gte": "2000-01-01 00:00:00+00:00",
            f"{felt[0]}__lt": "2000-01-08 00:00:00+00:00",
        },
    )

    assert svar.status_code == 200
    assert svar.context["cl"].result_count == 0


def test_the_job_filter_offers_the_scheduled_jobs_without_reading_the_runs(
    pilot, superbruger, client
):
    Koersel.objects.create(opgave="forloeb.paamindelser", antal=4)
    Koersel.objects.create(opgave="laan.restancer", antal=2)
    client.force_login(superbruger)
    url = reverse("admin:notifikationer_koersel_changelist")

    svar = client.get(url, {"opgave": "laan.restancer"})

    (valg,) = [f for f in svar.context["cl"].filter_specs if isinstance(f, OpgaveFilter)]
    opgaver = {vaerdi for vaerdi, _ in valg.lookup_choices}
    assert {"forloeb.paamindelser", "laan.restancer", "notifikationer.ryd_op"} <= opgaver
    assert [k.opgave for k in svar.context["cl"].result_list] == ["laan.restancer"]
