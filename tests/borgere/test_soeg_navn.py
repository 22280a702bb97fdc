"""Searching the way the lists write names ("Jensen, Anna"), and a birth date alone: a hint, not
"no citizens" (borgere.selectors.borgere_soeg, ligner_foedselsdato and the list's search box)."""

import pytest
from django.db import connection
from django.urls import reverse

from borgere.models import Borger
from borgere.selectors import borgere_soeg, ligner_foedselsdato
from mikrolaan.revision.models import AdgangsLog

URL = reverse("borgere:liste")
HTMX = {"HTTP_HX_REQUEST": "true"}
HINT = (
    "Søg på hele CPR-nummeret (10 cifre) eller på navn; et CPR-nummer uden de sidste fire cifre "
    "søges ikke, fordi CPR-numre gemmes krypteret og kun kan findes som hele numre"
)


@pytest.fixture
def borgere(pilotens_borger):
    return {
        "anna": pilotens_borger(fornavn="Anna", efternavn="Jensen", cpr="010190-1234"),
        "annette": pilotens_borger(fornavn="Annette", efternavn="Jensen"),
        "jens": pilotens_borger(fornavn="Jens", efternavn="Hansen"),
        "bo": pilotens_borger(fornavn="Bo", efternavn="Ravn"),
    }


@pytest.mark.parametrize(
    ("tekst", "forventet"),
    [
        ("Jensen, Anna", ["anna"]),  # as the lists write names
        ("jensen,anna", ["anna"]),
        ("Anna Jensen", ["anna"]),
        ("Jensen, Ann", ["anna", "annette"]),  # a part of the first name
        ("jens", ["anna", "annette", "jens"]),  # a part of either name
        ("Hansen, Anna", []),
    ],
)
def test_a_name_search_understands_both_ways_of_writing_a_name(pilot, borgere, tekst, forventet):
    fundne = borgere_soeg(bruger=pilot.sagsbehandler, tekst=tekst)
    assert set(fundne) == {borgere[n] for n in forventet}


def test_the_name_as_the_list_shows_it_finds_the_citizen_again(pilot, borgere, klient):
    sagsbehandler = klient(pilot.sagsbehandler)
    assert "Jensen, Anna" in sagsbehandler.get(URL).content.decode()

    svar = sagsbehandler.post(URL, {"q": "Jensen, Anna"}, **HTMX)

    assert [b.pk for b in svar.context["side"].object_list] == [borgere["anna"].pk]
    assert "1 borger fundet" in svar.content.decode()
    assert AdgangsLog.objects.get().kriterier == {"navn": "Jensen, Anna", "side": 1}


@pytest.mark.parametrize("tekst", ["010190", "010190-", " 290200 "])
def test_a_birth_date_alone_gives_a_hint_instead_of_no_citizens(pilot, borgere, klient, tekst):
    svar = klient(pilot.sagsbehandler).post(URL, {"q": tekst}, **HTMX)

    html = svar.content.decode()
    assert HINT in html
    assert 'role="status"' in html
    assert "Ingen borgere matcher" not in html
    assert list(svar.context["side"].object_list) == []
    # Nothing was searched, so nothing is logged.
    assert not AdgangsLog.objects.exists()


@pytest.mark.parametrize(
    ("tekst", "foedselsdato"),
    [
        ("010190", True),
        ("311299-", True),
        ("290200", True),  # 29 February 2000
        ("320190", False),  # no 32nd day
        ("011390", False),  # no 13th month
        ("12345", False),
        ("0101901234", False),  # a whole CPR number is searched
        ("anna", False),
    ],
)
def test_a_birth_date_is_six_digits_that_make_a_date(tekst, foedselsdato):
    assert ligner_foedselsdato(tekst) is foedselsdato


def test_six_digits_that_are_no_date_are_searched_as_usual(pilot, borgere, klient):
    svar = klient(pilot.sagsbehandler).post(URL, {"q": "320190"}, **HTMX)

    html = svar.content.decode()
    assert HINT not in html
    assert "Ingen borgere matcher søgningen." in html


def test_the_full_cpr_number_still_finds_the_citizen(pilot, borgere, klient):
    svar = klient(pilot.sagsbehandler).post(URL, {"q": "010190-1234"}, **HTMX)
    assert [b.pk for b in svar.context["side"].object_list] == [borgere["anna"].pk]


@pytest.mark.postgres
def test_a_name_search_can_use_the_trigram_index(pilot, borgere, kraever_postgres):
    # Issue 13: counting the hits of a common name read every citizen (54 ms at national scale).
    # With sequential and plain index scans priced out, the search's condition (`soegenavn LIKE
    # '%jens%'`) can only be answered by a bitmap scan of the trigram index (borgere migration
    # 0005): a B-tree cannot take a LIKE with a leading wildcard as its condition.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = Borger.objects.med_navn("jens").explain()

    assert "Bitmap Index Scan on borger_soegenavn_trgm_idx" in plan
    assert {b.fornavn for b in Borger.objects.med_navn("jens")} == {"Anna", "Annette", "Jens"}
