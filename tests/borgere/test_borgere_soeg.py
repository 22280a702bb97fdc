"""The one search box: borgere.selectors.borgere_soeg (name or CPR, scoped, access-logged)."""

import json

import pytest
from django.core.exceptions import ValidationError

from borgere.selectors import borgere_soeg
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import BorgerFactory


@pytest.fixture
def borgere(pilot, pilotens_borger):
    return {
        "rene": pilotens_borger(fornavn="René", efternavn="Hansen", cpr="010190-1234"),
        "jensen": pilotens_borger(fornavn="Mette", efternavn="Jensen", cpr="020285-2345"),
        "soeren": pilotens_borger(fornavn="Søren", efternavn="Ærø", cpr="030370-3456"),
        # Registered at the unrelated jobcenter: never the pilot's to find.
        "andetsteds": BorgerFactory(
            fornavn="Rene",
            efternavn="Jensen",
            jobcenter=pilot.fremmed_org,
            oprettet_af=pilot.fremmed,
            cpr="040480-4567",
        ),
    }


def _soeg(bruger, tekst):
    return list(borgere_soeg(bruger=bruger, tekst=tekst))


@pytest.mark.parametrize(
    ("tekst", "forventet"),
    [
        ("rene", ["rene"]),  # without the accent
        ("RENÉ", ["rene"]),  # upper case, with the accent
        ("JENS", ["jensen"]),  # part of a surname
        ("mette jen", ["jensen"]),  # parts of both names
        ("søren ærø", ["soeren"]),  # æ, ø and å are letters of their own
        ("han", ["rene"]),
        ("ingen", []),
    ],
)
def test_a_name_search_is_partial_and_ignores_case_and_accents(pilot, borgere, tekst, forventet):
    assert _soeg(pilot.sagsbehandler, tekst) == [borgere[n] for n in forventet]


@pytest.mark.parametrize("tekst", ["010190-1234", "0101901234", " 010190-1234 "])
def test_a_cpr_search_finds_exactly_that_citizen_with_or_without_dash(pilot, borgere, tekst):
    assert _soeg(pilot.sagsbehandler, tekst) == [borgere["rene"]]


def test_a_cpr_search_does_not_match_parts_of_numbers(pilot, borgere):
    assert _soeg(pilot.sagsbehandler, "010190-1235") == []


def test_a_caseworker_elsewhere_finds_none_of_the_pilots_citizens(pilot, borgere):
    assert _soeg(pilot.fremmed, "jensen") == [borgere["andetsteds"]]
    assert _soeg(pilot.fremmed, "010190-1234") == []
    assert _soeg(pilot.fremmed, "") == [borgere["andetsteds"]]


def test_the_course_staff_find_only_citizens_referred_to_them(sagsdata, borgere):
    assert _soeg(sagsdata.forloebsmedarbejder, "") == [sagsdata.borger]
    assert _soeg(sagsdata.forloebsmedarbejder, "rene") == []


def test_the_erhvervschef_and_the_administrator_find_nobody(pilot, borgere):
    assert _soeg(pilot.erhvervschef, "") == []
    assert _soeg(pilot.administrator, "jensen") == []


def test_an_empty_search_lists_all_visible_citizens_and_is_not_logged(pilot, borgere):
    fundne = _soeg(pilot.sagsbehandler, "  ")
    assert set(fundne) == {borgere["rene"], borgere["jensen"], borgere["soeren"]}
    assert not AdgangsLog.objects.exists()


def test_a_cpr_search_is_logged_with_its_criteria_but_never_the_digits(pilot, borgere):
    _soeg(pilot.sagsbehandler, "010190-1234")
    log = AdgangsLog.objects.get()
    assert log.handling == AdgangsLog.Handling.SOEG
    assert log.bruger == pilot.sagsbehandler
    assert log.kriterier == {"cpr": "[CPR]", "side": 1}
    raa = json.dumps(log.kriterier)
    assert "0101901234" not in raa and "010190" not in raa


def test_a_name_search_is_logged_with_its_criteria(pilot, borgere):
    borgere_soeg(bruger=pilot.sagsbehandler, tekst="rene", side=2)
    assert AdgangsLog.objects.get().kriterier == {"navn": "rene", "side": 2}


def test_a_search_for_an_impossible_cpr_number_is_refused_in_danish_and_not_logged(pilot):
    with pytest.raises(ValidationError) as fejl:
        borgere_soeg(bruger=pilot.sagsbehandler, tekst="320190-1234")
    assert fejl.value.messages == ["CPR-nummeret indeholder ikke en gyldig fødselsdato."]
    assert not AdgangsLog.objects.exists()
