"""The daily reminders at scale (issue 13): a run costs the same queries for 3 or 30 due items,
a second run creates nothing, and the overdue follow-ups are found through the partial index."""

import pytest
from django.db import connection

from forloeb import paamindelser
from forloeb.models import Opfoelgning
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from tests.byg.sager import PERIODE_2025_2027, SKIFTE, START, lav_forloeb, lav_pladsaftale, udskriv
from tests.byg.tid import DAG, paa

DAGEN = SKIFTE - 14 * DAG  # the qualifying phases' end is 14 days ahead: reminded today


def forfaldne(pilot, antal: int) -> None:
    """`antal` due items: every other one a phase ending within the window (course staff and
    caseworker reminded), the rest a 3-month follow-up fallen due (the caseworker reminded)."""
    aftale = lav_pladsaftale(pilot, antal_pladser=antal + 1, **PERIODE_2025_2027)
    for i in range(antal):
        forloeb = lav_forloeb(pilot, aftale, f"Borger{i}", "Hansen", startdato=START)
        if i % 2:
            udskriv(pilot, forloeb, START + 10 * DAG)


def modtagne(antal: int) -> int:
    """Notifications the due items give: 2 per phase, 1 per follow-up."""
    return 2 * ((antal + 1) // 2) + antal // 2


@pytest.mark.parametrize("antal", [3, 30])
def test_a_run_costs_the_same_queries_for_three_or_thirty_due_items(
    pilot, antal, django_assert_num_queries
):
    forfaldne(pilot, antal)

    # 1 INSERT Koersel, 2 SELECT current phases ending (+ programme, citizen, referral,
    # caseworker, agreement, course staff member), 3 SELECT the providers' course staff,
    # 4 SELECT due open follow-ups (+ programme, citizen, referral, caseworker), 5 SELECT the keys
    # already sent, 6 SELECT the recipients' email choices, 7 SAVEPOINT, 8 INSERT every new
    # notification, 9 RELEASE SAVEPOINT, 10 UPDATE Koersel.
    with paa(DAGEN, klokken=7), django_assert_num_queries(10):
        resultat = paamindelser.send_paamindelser()

    assert resultat.i_alt == modtagne(antal)
    assert resultat.opfoelgning == antal // 2
    assert Notifikation.objects.filter(haendelse=Haendelse.PAAMINDELSE).count() == modtagne(antal)


@pytest.mark.parametrize("antal", [3, 30])
def test_running_twice_creates_nothing_new(pilot, antal, django_assert_num_queries):
    forfaldne(pilot, antal)
    with paa(DAGEN, klokken=7):
        paamindelser.send_paamindelser()
    foer = set(Notifikation.objects.values_list("pk", "noegle", "modtager_id"))

    # The keys are all there: the same six queries as a day with nothing new (no email choices,
    # no savepoint, no insert).
    with paa(DAGEN, klokken=9), django_assert_num_queries(6):
        assert paamindelser.send_paamindelser().i_alt == 0

    assert set(Notifikation.objects.values_list("pk", "noegle", "modtager_id")) == foer


def test_the_overdue_follow_ups_are_found_through_the_partial_index_on_open_ones(
    pilot, kraever_postgres
):
    forfaldne(pilot, 4)
    sql, params = paamindelser.forfaldne_opfoelgninger(DAGEN).query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows would be read by a sequential scan; without that option the planner
        # shows whether the query's condition matches the index's (registreret IS NULL).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(raekke[0] for raekke in cursor.fetchall())

    assert "opfoelgning_aaben_idx" in plan
    assert Opfoelgning.objects.filter(registreret__isnull=True).count() == 6


def test_a_follow_up_reminded_to_its_caseworker_is_not_read_again(pilot):
    forfaldne(pilot, 2)
    (aaben,) = paamindelser.forfaldne_opfoelgninger(DAGEN)
    with paa(DAGEN, klokken=7):
        paamindelser.send_paamindelser()

    assert list(paamindelser.forfaldne_opfoelgninger(DAGEN)) == []

    # Reminded to someone else only (the case has since gone to another caseworker): read again.
    Notifikation.objects.filter(noegle=f"paamindelse:opfoelgning:{aaben.pk}").update(
        modtager=pilot.forloebsmedarbejder
    )
    assert list(paamindelser.forfaldne_opfoelgninger(DAGEN)) == [aaben]
