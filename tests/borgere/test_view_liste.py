"""The citizen list and its one search box (borgere:liste)."""

import pytest
from django.urls import reverse

from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import BorgerFactory

URL = reverse("borgere:liste")
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_list_shows_the_users_citizens_with_masked_cpr(pilot, klient, pilotens_borger):
    borger = pilotens_borger(fornavn="René", efternavn="Hansen", cpr="010190-1234")
    BorgerFactory(fornavn="Skjult", jobcenter=pilot.fremmed_org, oprettet_af=pilot.fremmed)

    svar = klient(pilot.sagsbehandler).get(URL)

    assert svar.status_code == 200
    html = svar.content.decode()
    assert reverse("borgere:detalje", args=[borger.pk]) in html
    assert "Hansen, René" in html
    assert "010190-xxxx" in html
    assert "0101901234" not in html and "010190-1234" not in html
    assert "Skjult" not in html
    # The results are announced to screen readers when a search replaces them.
    assert 'id="resultater" aria-live="polite"' in html
    # The plain list is not a search and is not logged as one.
    assert not AdgangsLog.objects.exists()


def test_the_search_is_posted_so_the_cpr_never_appears_in_a_url(pilot, klient, pilotens_borger):
    borger = pilotens_borger(cpr="010190-1234")
    html = klient(pilot.sagsbehandler).get(URL).content.decode()
    assert 'method="post"' in html and f'hx-post="{URL}"' in html
    assert 'method="get"' not in html

    svar = klient(pilot.sagsbehandler).post(URL, {"q": "010190-1234"})

    assert svar.status_code == 200
    assert svar.request["PATH_INFO"] == URL and not svar.request.get("QUERY_STRING")
    assert reverse("borgere:detalje", args=[borger.pk]) in svar.content.decode()
    assert AdgangsLog.objects.get().kriterier == {"cpr": "[CPR]", "side": 1}


def test_a_search_in_the_query_string_is_ignored(pilot, klient, pilotens_borger):
    pilotens_borger(fornavn="Anna")
    pilotens_borger(fornavn="Bent")
    html = klient(pilot.sagsbehandler).get(URL, {"q": "Anna"}).content.decode()
    assert "Bent" in html
    assert not AdgangsLog.objects.exists()


def test_an_htmx_search_returns_only_the_results(pilot, klient, pilotens_borger):
    pilotens_borger(fornavn="René", efternavn="Hansen")
    pilotens_borger(fornavn="Mette", efternavn="Jensen")

    svar = klient(pilot.sagsbehandler).post(URL, {"q": "rene"}, **HTMX)

    html = svar.content.decode()
    assert "<html" not in html
    # By the citizen's name as the list shows it: the caseworker column holds a generated name
    # that may be anything, "Jensen" too.
    assert "Hansen, René" in html and "Jensen, Mette" not in html
    assert "1 borger fundet" in html
    assert AdgangsLog.objects.get().kriterier == {"navn": "rene", "side": 1}


def test_a_search_without_javascript_returns_the_whole_page(pilot, klient, pilotens_borger):
    pilotens_borger(fornavn="René", efternavn="Hansen")
    html = klient(pilot.sagsbehandler).post(URL, {"q": "René"}).content.decode()
    assert "<html" in html and "Hansen, René" in html
    # The search box keeps what was typed.
    assert 'value="René"' in html


def test_an_impossible_cpr_number_gives_a_danish_error_and_no_log(pilot, klient):
    svar = klient(pilot.sagsbehandler).post(URL, {"q": "320190-1234"}, **HTMX)
    assert "CPR-nummeret indeholder ikke en gyldig fødselsdato." in svar.content.decode()
    assert not AdgangsLog.objects.exists()


def test_a_caseworker_elsewhere_finds_nothing_of_the_pilots(pilot, klient, pilotens_borger):
    pilotens_borger(fornavn="René", efternavn="Hansen", cpr="010190-1234")
    for q in ("rene", "010190-1234"):
        html = klient(pilot.fremmed).post(URL, {"q": q}, **HTMX).content.decode()
        assert "Hansen, René" not in html and "René Hansen" not in html
        assert "0 borgere fundet" in html


def test_the_list_is_paginated_25_to_a_page_with_buttons_that_repost_the_search(
    pilot, klient, pilotens_borger
):
    for nummer in range(30):
        pilotens_borger(fornavn="Jens", efternavn=f"Jensen{nummer:02d}")

    side1 = klient(pilot.sagsbehandler).post(URL, {"q": "jens"}, **HTMX)
    assert len(side1.context["side"].object_list) == 25
    html = side1.content.decode()
    assert "Side 1 af 2" in html
    assert '<input type="hidden" name="q" value="jens">' in html
    assert 'name="side" value="2"' in html

    side2 = klient(pilot.sagsbehandler).post(URL, {"q": "jens", "side": "2"}, **HTMX)
    assert len(side2.context["side"].object_list) == 5
    assert "Side 2 af 2" in side2.content.decode()
    assert [log.kriterier for log in AdgangsLog.objects.order_by("id")] == [
        {"navn": "jens", "side": 1},
        {"navn": "jens", "side": 2},
    ]


def test_a_page_number_out_of_range_shows_the_last_page(pilot, klient, pilotens_borger):
    pilotens_borger()
    svar = klient(pilot.sagsbehandler).post(URL, {"q": "", "side": "99"}, **HTMX)
    assert svar.context["side"].number == 1


@pytest.mark.parametrize("rolle", ["erhvervschef", "administrator"])
def test_the_erhvervschef_and_the_administrator_are_refused_the_list(pilot, klient, rolle):
    assert klient(getattr(pilot, rolle)).get(URL).status_code == 403
    assert klient(getattr(pilot, rolle)).post(URL, {"q": "jensen"}).status_code == 403
    assert not AdgangsLog.objects.exists()


@pytest.mark.parametrize("antal", [3, 13])
def test_the_list_takes_the_same_number_of_queries_however_many_citizens(
    pilot, klient, pilotens_borger, django_assert_num_queries, antal
):
    for _ in range(antal):
        pilotens_borger()
    sagsbehandler = klient(pilot.sagsbehandler)
    sagsbehandler.get(URL)  # warm caches (content types)
    # 1 session, 2 user, 3 the user's roles, 4 the jobcenter's caseworkers (the caseworker
    # filter), 5 count of visible citizens, 6 unread notifications (navigation), 7 the page of
    # citizens with their means of support and stage (one subquery per piece, oversigt.stadier).
    with django_assert_num_queries(7):
        svar = sagsbehandler.get(URL)
    assert len(svar.context["side"].object_list) == antal


@pytest.mark.parametrize("antal", [3, 13])
def test_a_search_takes_the_same_number_of_queries_however_many_hits(
    pilot, klient, pilotens_borger, django_assert_num_queries, antal
):
    for _ in range(antal):
        pilotens_borger(efternavn="Jensen")
    sagsbehandler = klient(pilot.sagsbehandler)
    sagsbehandler.post(URL, {"q": "jensen"}, **HTMX)
    # 1 session, 2 user, 3 the user's roles, 4 the jobcenter's caseworkers (the caseworker
    # filter), 5 access log insert, 6 count of hits, 7 the page of hits with their means of
    # support and stage.
    with django_assert_num_queries(7):
        svar = sagsbehandler.post(URL, {"q": "jensen"}, **HTMX)
    assert len(svar.context["side"].object_list) == antal
