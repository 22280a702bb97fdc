"""The programme's course: the transition table, the move to the main phase, phase extensions."""

import ast
import datetime
import itertools
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from forloeb import services
from forloeb.models import Faseforlaengelse, Forloeb, Overgangsvurdering
from forloeb.services.faser import forlaeng_fase, skift_til_hovedforloeb
from mikrolaan.konti.models import Rolle
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from mikrolaan.statusmaskine import UlovligOvergang
from tests.byg.fabrikker import BrugerFactory
from tests.byg.sager import (
    OVERGANGSVURDERING,
    PERIODE_2025_2027,
    SKIFTE,
    SLUT,
    START,
    faser,
    forlaeng,
    lav_forloeb,
    lav_pladsaftale,
    til_hovedforloeb,
    til_status,
)
from tests.byg.tid import DAG, paa


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot, **PERIODE_2025_2027)  # the tests are set around START


@pytest.fixture
def forloeb(pilot, aftale) -> Forloeb:
    return lav_forloeb(pilot, aftale, startdato=START)


# --- The transition table ------------------------------------------------------------------

S = Forloeb.Status
LOVLIGE = {
    (S.OPKVALIFICERING, S.HOVEDFORLOEB),
    (S.OPKVALIFICERING, S.AFBRUDT),
    (S.HOVEDFORLOEB, S.AFSLUTTET),
    (S.HOVEDFORLOEB, S.AFBRUDT),
    # The undo of a mistake (tests/forloeb/test_rettelser.py): the move to the main phase, and a
    # discharge reopened to the phase the programme was in.
    (S.HOVEDFORLOEB, S.OPKVALIFICERING),
    (S.AFSLUTTET, S.HOVEDFORLOEB),
    (S.AFBRUDT, S.OPKVALIFICERING),
    (S.AFBRUDT, S.HOVEDFORLOEB),
}


@pytest.mark.parametrize(("fra", "til"), list(itertools.product(S, S)))
def test_the_transition_table_allows_exactly_the_forward_moves_breaking_off_and_undo(fra, til):
    forloeb = Forloeb(status=fra)

    assert forloeb.kan_skifte_til(til) == ((fra, til) in LOVLIGE)
    if (fra, til) in LOVLIGE:
        forloeb.skift_status(til)
        assert forloeb.status == til
    else:
        with pytest.raises(UlovligOvergang) as fejl:
            forloeb.skift_status(til)
        assert fejl.value.messages == [f"Et forløb kan ikke gå fra {fra.label} til {til.label}."]
        assert forloeb.status == fra


def test_an_illegal_move_through_the_service_is_a_validation_error_with_a_danish_message(
    pilot, forloeb
):
    # Views show a service's ValidationError on the form; the refused move must be one.
    til_hovedforloeb(pilot, forloeb, SKIFTE)

    with paa(SKIFTE + DAG), pytest.raises(ValidationError) as fejl:
        skift_til_hovedforloeb(
            bruger=pilot.forloebsmedarbejder, forloeb=forloeb, **OVERGANGSVURDERING
        )

    assert fejl.value.messages == ["Et forløb kan ikke gå fra Hovedforløb til Hovedforløb."]
    assert Overgangsvurdering.objects.count() == 1


# --- The move to the main phase ------------------------------------------------------------


def test_course_staff_move_the_citizen_to_the_main_phase_with_a_recorded_assessment(pilot, forloeb):
    dag = SKIFTE - 3 * DAG
    til_hovedforloeb(pilot, forloeb, dag)

    assert forloeb.status == Forloeb.Status.HOVEDFORLOEB
    vurdering = Overgangsvurdering.objects.get(forloeb=forloeb)
    assert vurdering.vurderet_af == pilot.forloebsmedarbejder
    assert (vurdering.skat, vurdering.moms, vurdering.forretningsplan_klar) == (False, True, True)
    assert vurdering.anbefaling == OVERGANGSVURDERING["anbefaling"]
    fase = faser(forloeb)
    assert fase["opkvalificering"].faktisk_slut == dag
    # The main phase runs six calendar months from the day it actually starts.
    assert fase["hovedforloeb"].faktisk_start == dag
    assert fase["hovedforloeb"].planlagt_start == dag
    assert fase["hovedforloeb"].planlagt_slut == datetime.date(2027, 1, 12)


def test_the_move_uses_the_danish_date_not_utc(pilot, forloeb):
    # 23:30 UTC on 13 July is 01:30 on 14 July in Copenhagen (summer time).
    with time_machine.travel(datetime.datetime(2026, 7, 13, 23, 30, tzinfo=datetime.UTC)):
        skift_til_hovedforloeb(
            bruger=pilot.forloebsmedarbejder, forloeb=forloeb, **OVERGANGSVURDERING
        )

    assert faser(forloeb)["opkvalificering"].faktisk_slut == datetime.date(2026, 7, 14)


def test_the_caseworkers_on_the_case_are_told_of_the_move(pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)

    beskeder = Notifikation.objects.filter(haendelse=Haendelse.FASESKIFT)
    assert [n.modtager for n in beskeder] == [pilot.sagsbehandler]
    besked = beskeder.get()
    assert besked.emne == "Hovedforløb: Anna Jensen"
    assert "15.07.2026" in besked.tekst
    assert besked.link == f"/forloeb/{forloeb.pk}/"


@pytest.mark.parametrize("anbefaling", ["", "   "])
def test_the_move_needs_a_recommendation_and_saves_nothing_without_one(pilot, forloeb, anbefaling):
    with paa(SKIFTE), pytest.raises(ValidationError) as fejl:
        skift_til_hovedforloeb(
            bruger=pilot.forloebsmedarbejder,
            forloeb=forloeb,
            **(OVERGANGSVURDERING | {"anbefaling": anbefaling}),
        )

    assert fejl.value.message_dict == {"anbefaling": ["Skriv en anbefaling."]}
    forloeb.refresh_from_db()
    assert forloeb.status == Forloeb.Status.OPKVALIFICERING
    assert not Overgangsvurdering.objects.exists()
    assert faser(forloeb)["opkvalificering"].faktisk_slut is None
    assert not Notifikation.objects.filter(haendelse=Haendelse.FASESKIFT).exists()


@pytest.mark.parametrize("status", [S.HOVEDFORLOEB, S.AFSLUTTET, S.AFBRUDT])
def test_the_move_is_refused_from_every_other_state(pilot, forloeb, status):
    til_status(pilot, forloeb, status)
    vurderinger = Overgangsvurdering.objects.count()

    with paa(SLUT), pytest.raises(UlovligOvergang, match="kan ikke gå fra"):
        skift_til_hovedforloeb(
            bruger=pilot.forloebsmedarbejder, forloeb=forloeb, **OVERGANGSVURDERING
        )

    assert Overgangsvurdering.objects.count() == vurderinger


def test_an_unknown_assessment_field_is_a_programming_error(pilot, forloeb):
    with paa(SKIFTE), pytest.raises(TypeError, match="markedsanalyse"):
        skift_til_hovedforloeb(
            bruger=pilot.forloebsmedarbejder,
            forloeb=forloeb,
            **(OVERGANGSVURDERING | {"markedsanalyse": True}),
        )


def test_only_the_providers_course_staff_may_move_a_citizen(pilot, forloeb):
    andetsteds = BrugerFactory(organisation=pilot.fremmed_org, rolle=Rolle.FORLOEBSMEDARBEJDER)
    for bruger in (pilot.sagsbehandler, pilot.erhvervschef, pilot.administrator, andetsteds):
        with paa(SKIFTE), pytest.raises(PermissionDenied):
            skift_til_hovedforloeb(bruger=bruger, forloeb=forloeb, **OVERGANGSVURDERING)
    assert not Overgangsvurdering.objects.exists()


# --- Extensions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "ny_slut", "hoved_slut"),
    [
        # An ordinary month: the main phase starts on the new end and runs six months.
        (START, datetime.date(2026, 8, 15), datetime.date(2027, 2, 15)),
        # The qualifying phase from 31 August ends 28 February; extended to 31 March, the main
        # phase ends six months later on 30 September (relativedelta clamps to the month's end).
        (datetime.date(2026, 8, 31), datetime.date(2027, 3, 31), datetime.date(2027, 9, 30)),
        # A new end of 31 August 2027 puts the main phase's end on 29 February in the leap year.
        (datetime.date(2026, 8, 31), datetime.date(2027, 8, 31), datetime.date(2028, 2, 29)),
        # ... and an end on the leap day itself lands on 29 August.
        (datetime.date(2026, 8, 31), datetime.date(2028, 2, 29), datetime.date(2028, 8, 29)),
    ],
)
def test_extending_the_qualifying_phase_moves_the_main_phase(
    pilot, aftale, start, ny_slut, hoved_slut
):
    forloeb = lav_forloeb(pilot, aftale, startdato=start)
    fase = faser(forloeb)["opkvalificering"]
    tidligere = fase.planlagt_slut

    forlaengelse = forlaeng(pilot, fase, ny_slut)

    assert (forlaengelse.tidligere_slut, forlaengelse.ny_slut) == (tidligere, ny_slut)
    assert forlaengelse.oprettet_af == pilot.forloebsmedarbejder
    fase = faser(forloeb)
    assert fase["opkvalificering"].planlagt_slut == ny_slut
    assert fase["hovedforloeb"].planlagt_start == ny_slut
    assert fase["hovedforloeb"].planlagt_slut == hoved_slut


def test_the_qualifying_phase_on_a_month_end_is_planned_with_clamped_dates(pilot, aftale):
    fase = faser(lav_forloeb(pilot, aftale, startdato=datetime.date(2026, 8, 31)))

    assert fase["opkvalificering"].planlagt_slut == datetime.date(2027, 2, 28)
    assert fase["hovedforloeb"].planlagt_slut == datetime.date(2027, 8, 31)


def test_extending_the_main_phase_changes_only_its_end(pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)
    foer = faser(forloeb)

    forlaeng(pilot, foer["hovedforloeb"], datetime.date(2027, 2, 28))

    efter = faser(forloeb)
    assert efter["hovedforloeb"].planlagt_slut == datetime.date(2027, 2, 28)
    assert efter["hovedforloeb"].planlagt_start == foer["hovedforloeb"].planlagt_start
    assert efter["opkvalificering"].planlagt_slut == foer["opkvalificering"].planlagt_slut


def test_a_second_extension_starts_from_the_first_ones_end(pilot, forloeb):
    fase = faser(forloeb)["opkvalificering"]
    forlaeng(pilot, fase, datetime.date(2026, 8, 1))

    anden = forlaeng(pilot, fase, datetime.date(2026, 9, 1), "Sygdom i august.")

    assert anden.tidligere_slut == datetime.date(2026, 8, 1)
    assert list(fase.forlaengelser.values_list("ny_slut", flat=True)) == [
        datetime.date(2026, 8, 1),
        datetime.date(2026, 9, 1),
    ]


@pytest.mark.parametrize("begrundelse", ["", "  \n "])
def test_an_extension_needs_a_reason(pilot, forloeb, begrundelse):
    fase = faser(forloeb)["opkvalificering"]

    with pytest.raises(ValidationError) as fejl:
        forlaeng(pilot, fase, datetime.date(2026, 8, 15), begrundelse)

    assert fejl.value.message_dict == {"begrundelse": ["Skriv en begrundelse for forlængelsen."]}
    assert not Faseforlaengelse.objects.exists()
    assert faser(forloeb)["opkvalificering"].planlagt_slut == SKIFTE
    # The database holds both extension rules too: tests/test_databasebegraensninger.py.


@pytest.mark.parametrize("ny_slut", [SKIFTE, SKIFTE - DAG])
def test_the_new_end_must_lie_after_the_planned_end(pilot, forloeb, ny_slut):
    fase = faser(forloeb)["opkvalificering"]

    with pytest.raises(ValidationError) as fejl:
        forlaeng(pilot, fase, ny_slut)

    assert fejl.value.message_dict == {
        "ny_slut": [
            "Den nye slutdato skal ligge efter den nuværende planlagte slutdato, 15.07.2026."
        ]
    }
    assert not Faseforlaengelse.objects.exists()


def test_only_the_current_phase_can_be_extended(pilot, forloeb):
    hoved = faser(forloeb)["hovedforloeb"]

    with pytest.raises(ValidationError, match="Kun den aktuelle fase kan forlænges"):
        forlaeng(pilot, hoved, SLUT + 30 * DAG)

    assert not Faseforlaengelse.objects.exists()


@pytest.mark.parametrize("status", [S.AFSLUTTET, S.AFBRUDT])
def test_an_ended_programme_cannot_be_extended(pilot, forloeb, status):
    til_status(pilot, forloeb, status)

    with pytest.raises(ValidationError, match="kan ikke forlænges"):
        forlaeng(pilot, faser(forloeb)["opkvalificering"], SKIFTE + 30 * DAG)

    assert not Faseforlaengelse.objects.exists()


def test_only_the_providers_course_staff_may_extend(pilot, forloeb):
    fase = faser(forloeb)["opkvalificering"]
    for bruger in (pilot.sagsbehandler, pilot.erhvervschef, pilot.fremmed):
        with pytest.raises(PermissionDenied):
            forlaeng_fase(bruger=bruger, fase=fase, ny_slut=SKIFTE + 30 * DAG, begrundelse="Sygdom")
    assert not Faseforlaengelse.objects.exists()


# --- Dependency direction ------------------------------------------------------------------


def test_forloeb_services_do_not_import_the_overview():
    # The overview reads the programme; the programme never reaches into the overview (STYLE.md).
    moduler = set()
    for fil in Path(services.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(fil.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                moduler |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                moduler.add(node.module)
    assert moduler, "the parse found no imports at all"
    assert not {m for m in moduler if m.startswith("oversigt")}
