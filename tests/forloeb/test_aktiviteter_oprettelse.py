"""Creating a session, service by service: forloeb/aktiviteter/services/oprettelse.py and the
selectors it decides by (forloeb/aktiviteter/selectors.py)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from forloeb.aktiviteter import selectors
from forloeb.aktiviteter.services.oprettelse import _periodefejl
from forloeb.models import Aktivitet, Deltagelse, Fase, Forloeb
from mikrolaan.konti.models import Organisation, Rolle
from tests.byg.aktiviteter import (
    I_OPKVALIFICERING,
    START,
    START_FOER,
    aktivitetsaftale,
    indskriv,
)
from tests.byg.aktiviteter import opret_aktivitet as opret
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.sager import faser, lav_pladsaftale, til_hovedforloeb, udskriv


@pytest.fixture
def aftale(pilot):
    return aktivitetsaftale(pilot)


def fejl_i(exc_info, felt: str) -> str:
    return " ".join(exc_info.value.message_dict[felt])


# --- Phases on a date --------------------------------------------------------------------------


def test_the_phase_on_a_date_follows_the_planned_periods(pilot, aftale):
    forloeb = indskriv(pilot, aftale, "Anna")
    skifte = datetime.date(2026, 9, 2)
    assert selectors.fase_paa_dato(forloeb=forloeb, dato=START).type == Fase.Type.OPKVALIFICERING
    # The qualifying phase has begun and the main phase is only planned: the hand-over day is
    # still the qualifying phase's, the next day the main phase's.
    assert selectors.fase_paa_dato(forloeb=forloeb, dato=skifte).type == Fase.Type.OPKVALIFICERING
    dagen_efter = skifte + datetime.timedelta(days=1)
    assert selectors.fase_paa_dato(forloeb=forloeb, dato=dagen_efter).type == Fase.Type.HOVEDFORLOEB
    assert selectors.fase_paa_dato(forloeb=forloeb, dato=datetime.date(2027, 3, 2)) is not None
    assert selectors.fase_paa_dato(forloeb=forloeb, dato=datetime.date(2027, 3, 3)) is None
    assert selectors.fase_paa_dato(forloeb=forloeb, dato=datetime.date(2026, 3, 1)) is None


def test_an_early_move_to_the_main_phase_counts_from_its_actual_start(pilot, aftale):
    forloeb = indskriv(pilot, aftale, "Anna")
    skifte = datetime.date(2026, 7, 1)  # two months before the planned 2 September

    til_hovedforloeb(pilot, forloeb, skifte)

    assert faser(forloeb)[Fase.Type.HOVEDFORLOEB].planlagt_slut == datetime.date(2027, 1, 1)
    forloeb = Forloeb.objects.get(pk=forloeb.pk)
    # The planned qualifying phase still runs to 2 September; its actual end and the main
    # phase's actual start decide.
    assert selectors.fase_paa_dato(forloeb=forloeb, dato=skifte).type == Fase.Type.HOVEDFORLOEB
    juli = datetime.date(2026, 7, 15)
    assert selectors.fase_paa_dato(forloeb=forloeb, dato=juli).type == Fase.Type.HOVEDFORLOEB


def test_the_types_offered_are_those_every_participants_phase_offers(pilot, aftale):
    opkval = indskriv(pilot, aftale, "Anna")
    hoved = indskriv(pilot, aftale, "Bo", START_FOER)
    dato = I_OPKVALIFICERING
    assert selectors.tilladte_typer(deltagere=[opkval], dato=dato) == list(
        Aktivitet.TYPER_I_FASE[Fase.Type.OPKVALIFICERING]
    )
    assert selectors.tilladte_typer(deltagere=[hoved], dato=dato) == list(
        Aktivitet.TYPER_I_FASE[Fase.Type.HOVEDFORLOEB]
    )
    assert selectors.tilladte_typer(deltagere=[opkval, hoved], dato=dato) == []
    assert selectors.tilladte_typer(deltagere=[], dato=dato) == list(Aktivitet.Type)


# --- Creating a session ------------------------------------------------------------------------


def test_a_group_session_creates_an_attendance_row_per_participant(pilot, aftale):
    deltagere = [indskriv(pilot, aftale, f"Borger{i}") for i in range(10)]

    aktivitet = opret(pilot, deltagere)

    assert aktivitet.organisation == pilot.naestved
    assert aktivitet.deltagelser.count() == 10
    assert set(aktivitet.deltagelser.values_list("status", flat=True)) == {"deltog"}
    assert set(aktivitet.deltagelser.values_list("registreret_af", flat=True)) == {
        pilot.forloebsmedarbejder.pk
    }
    # Each row's creation is in the change history.
    assert LogEntry.objects.get_for_model(Deltagelse).count() == 10


def test_a_course_day_is_refused_for_a_citizen_in_the_qualifying_phase(pilot, aftale):
    opkval = indskriv(pilot, aftale, "Anna")
    hoved = indskriv(pilot, aftale, "Bo", START_FOER)

    with pytest.raises(ValidationError) as fejl:
        opret(pilot, [opkval, hoved], type=Aktivitet.Type.KURSUSDAG)

    besked = fejl_i(fejl, "type")
    assert "Kollektiv kursusdag" in besked
    assert "Anna Jensen" in besked
    assert "opkvalificerende forløb" in besked
    assert "Bo Jensen" not in besked
    assert not Aktivitet.objects.exists()
    # The main-phase participant alone may have it.
    assert opret(pilot, [hoved], type=Aktivitet.Type.KURSUSDAG).deltagelser.count() == 1


@pytest.mark.parametrize(
    ("dato", "forventet"),
    [
        (datetime.date(2026, 3, 1), "før forløbet for Anna Jensen begynder 02.03.2026"),
        (datetime.date(2027, 3, 3), "slutter efter planen 02.03.2027"),
    ],
)
def test_a_session_date_outside_the_programme_is_refused(pilot, aftale, dato, forventet):
    forloeb = indskriv(pilot, aftale, "Anna")

    with pytest.raises(ValidationError) as fejl:
        opret(pilot, [forloeb], dato=dato, type=Aktivitet.Type.SPARRING)

    assert forventet in fejl_i(fejl, "dato")
    assert not Aktivitet.objects.exists()
    assert not Deltagelse.objects.exists()


def test_a_discharged_citizen_cannot_be_put_on_a_session(pilot, aftale):
    forloeb = indskriv(pilot, aftale, "Anna")
    udskriv(pilot, forloeb, datetime.date(2026, 4, 1))

    with pytest.raises(ValidationError) as fejl:
        opret(pilot, [forloeb])

    assert "Forløbet for Anna Jensen er afbrudt" in fejl_i(fejl, "deltagere")
    assert not Aktivitet.objects.exists()


def test_a_discharge_date_ends_the_programmes_period(pilot, aftale):
    # The services write the discharge and the status together, so a session for a discharged
    # programme is refused for its status first (above); the period check behind it, which
    # guards the day the two ever disagree, is asked directly.
    forloeb = indskriv(pilot, aftale, "Anna")
    udskriv(pilot, forloeb, datetime.date(2026, 4, 1))
    forloeb = Forloeb.objects.select_related("borger", "udskrivning").get(pk=forloeb.pk)

    assert _periodefejl(forloeb, datetime.date(2026, 4, 1)) is None
    efter = _periodefejl(forloeb, datetime.date(2026, 4, 2))
    assert efter == "Anna Jensen blev udskrevet 01.04.2026."


def test_an_individual_session_has_exactly_one_participant(pilot, aftale):
    deltagere = [indskriv(pilot, aftale, navn) for navn in ("Anna", "Bo")]

    with pytest.raises(ValidationError) as fejl:
        opret(pilot, deltagere, form=Aktivitet.Form.INDIVIDUEL)

    assert "præcis én deltager" in fejl_i(fejl, "form")
    assert opret(pilot, deltagere[:1], form=Aktivitet.Form.INDIVIDUEL).deltagelser.count() == 1


def test_a_session_needs_a_participant_and_sensible_fields(pilot, aftale):
    with pytest.raises(ValidationError) as fejl:
        opret(pilot, [], varighed=2, sted="")

    assert "mindst én deltager" in fejl_i(fejl, "deltagere")
    assert "varighed" in fejl.value.message_dict
    assert "sted" in fejl.value.message_dict
    assert not Aktivitet.objects.exists()


def test_citizens_of_another_providers_programmes_cannot_be_put_on_a_session(pilot, aftale):
    holbaek = OrganisationFactory(navn="Holbæk Kommune", type=Organisation.Type.KOMMUNE)
    holbaeks_aftale = lav_pladsaftale(
        pilot,
        navn="Mikrolån Holbæk",
        leverandoer=holbaek,
        gyldig_fra=datetime.date(2026, 1, 1),
        gyldig_til=datetime.date(2027, 12, 31),
    )
    holbaeks_medarbejder = BrugerFactory(organisation=holbaek, rolle=Rolle.FORLOEBSMEDARBEJDER)
    fremmed_forloeb = indskriv(pilot, holbaeks_aftale, "Carl", visiteret_af=holbaeks_medarbejder)

    with pytest.raises(ValidationError) as fejl:
        opret(pilot, [indskriv(pilot, aftale, "Anna"), fremmed_forloeb])

    assert "Kun borgere i forløb hos Næstved Kommune" in fejl_i(fejl, "deltagere")
    assert not Aktivitet.objects.exists()


def test_the_staff_member_must_be_course_staff_of_the_users_organisation(pilot, aftale):
    forloeb = indskriv(pilot, aftale, "Anna")
    holbaek = OrganisationFactory(navn="Holbæk Kommune", type=Organisation.Type.KOMMUNE)
    anden = BrugerFactory(organisation=holbaek, rolle=Rolle.FORLOEBSMEDARBEJDER)

    for medarbejder in (anden, pilot.sagsbehandler):
        with pytest.raises(ValidationError) as fejl:
            opret(pilot, [forloeb], medarbejder=medarbejder)
        assert "forløbsmedarbejder i Næstved Kommune" in fejl_i(fejl, "medarbejder")

    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    assert opret(pilot, [forloeb], medarbejder=kollega).medarbejder == kollega


def test_only_course_staff_create_sessions(pilot, aftale):
    forloeb = indskriv(pilot, aftale, "Anna")
    # A caseworker at the providing organisation sees the programme and its course staff, so
    # only the permission check stands between her and a saved session.
    naestveds_sagsbehandler = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.SAGSBEHANDLER)
    for bruger in (naestveds_sagsbehandler, pilot.sagsbehandler):
        with pytest.raises(PermissionDenied):
            opret(pilot, [forloeb], bruger=bruger)
    assert not Aktivitet.objects.exists()
