"""Correcting and cancelling a session, "Alle deltog", guests, and why a type does not fit:
forloeb/aktiviteter/services/ (aktivitet_ret, aktivitet_aflys, alle_deltog) and the selectors'
phase explanations."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from forloeb import regler
from forloeb.aktiviteter import selectors
from forloeb.aktiviteter.services.fremmoede import alle_deltog
from forloeb.aktiviteter.services.rettelser import aktivitet_aflys, aktivitet_ret
from forloeb.models import Aktivitet, Aktivitetsrettelse, Deltagelse, Forloeb
from forloeb.selectors import fremdrift
from mikrolaan.konti.models import Organisation, Rolle
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from tests.byg.aktiviteter import (
    I_OPKVALIFICERING,
    KL_10,
    START_FOER,
    aktivitetsaftale,
    indskriv,
    opret_aktivitet,
    registrer_deltagelse,
)
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.sager import til_status
from tests.byg.tid import DAG


@pytest.fixture
def aftale(pilot):
    return aktivitetsaftale(pilot)


@pytest.fixture
def kollega(pilot):
    """Another course staff member at Næstved: the one who corrects or cancels below, so the
    pilot's course staff member (the session's and the programmes' own) is the one told."""
    return BrugerFactory(
        organisation=pilot.naestved,
        rolle=Rolle.FORLOEBSMEDARBEJDER,
        first_name="Frida",
        last_name="Falk",
    )


@pytest.fixture
def kommende(pilot):
    """Next week's group session for Anna, Bo and Carl, admitted today."""
    idag = timezone.localdate()
    aftale = aktivitetsaftale(pilot, gyldig_fra=idag - 365 * DAG, gyldig_til=idag + 365 * DAG)
    deltagere = [indskriv(pilot, aftale, navn, idag) for navn in ("Anna", "Bo", "Carl")]
    return opret_aktivitet(pilot, deltagere, dato=idag + 7 * DAG)


def felter(aktivitet: Aktivitet, **aendret) -> dict:
    """`aktivitet_ret`'s arguments as the session stands, with `aendret` changed."""
    return {
        "type": aktivitet.type,
        "form": aktivitet.form,
        "dato": aktivitet.dato,
        "starttid": aktivitet.starttid,
        "varighed": aktivitet.varighed,
        "sted": aktivitet.sted,
        "medarbejder": aktivitet.medarbejder,
        "deltagere": [d.forloeb for d in aktivitet.deltagelser.select_related("forloeb")],
        "beskrivelse": aktivitet.beskrivelse,
        "gaester": aktivitet.gaester,
    } | aendret


def ret(bruger, aktivitet, begrundelse="Forkert lokale", **aendret) -> Aktivitetsrettelse:
    return aktivitet_ret(
        bruger=bruger, aktivitet=aktivitet, begrundelse=begrundelse, **felter(aktivitet, **aendret)
    )


def notifikationer(haendelse) -> list[tuple[str, str]]:
    return sorted(
        (n.modtager.username, n.noegle)
        for n in Notifikation.objects.filter(haendelse=haendelse).select_related("modtager")
    )


# --- Correcting a session ----------------------------------------------------------------------


def test_a_correction_changes_the_session_and_keeps_what_changed_and_why(pilot, aftale, kollega):
    aktivitet = opret_aktivitet(pilot, [indskriv(pilot, aftale, "Anna")])

    rettelse = ret(kollega, aktivitet, sted="Jobhuset, lokale 3", varighed=120)

    aktivitet.refresh_from_db()
    assert (aktivitet.sted, aktivitet.varighed) == ("Jobhuset, lokale 3", 120)
    assert rettelse.oprettet_af == kollega
    assert rettelse.begrundelse == "Forkert lokale"
    assert rettelse.aendringer == [
        {"felt": "varighed (minutter)", "foer": "90 minutter", "efter": "120 minutter"},
        {"felt": "sted", "foer": "Jobhuset, Næstved", "efter": "Jobhuset, lokale 3"},
    ]
    # The change history has the session's own update too.
    opdatering = LogEntry.objects.get_for_object(aktivitet).get(action=LogEntry.Action.UPDATE)
    assert opdatering.changes_dict["sted"] == ["Jobhuset, Næstved", "Jobhuset, lokale 3"]


def test_a_correction_takes_participants_off_and_puts_new_ones_on(pilot, aftale):
    anna, bo, carl = (indskriv(pilot, aftale, navn) for navn in ("Anna", "Bo", "Carl"))
    aktivitet = opret_aktivitet(pilot, [anna, bo])
    registrer_deltagelse(pilot, aktivitet, bo, Deltagelse.Status.AFBUD)

    rettelse = ret(pilot.forloebsmedarbejder, aktivitet, deltagere=[bo, carl])

    assert dict(aktivitet.deltagelser.values_list("forloeb__borger__fornavn", "status")) == {
        "Bo": "afbud",
        "Carl": "deltog",
    }
    assert rettelse.aendringer == [
        {"felt": "deltagere", "foer": "2 deltagere", "efter": "2 deltagere"}
    ]
    # Anna's row is gone, and its deletion is in the change history.
    assert (
        LogEntry.objects.get_for_model(Deltagelse).filter(action=LogEntry.Action.DELETE).count()
        == 1
    )


def test_a_correction_keeps_the_rules_of_creating_a_session(pilot, aftale):
    anna = indskriv(pilot, aftale, "Anna")
    aktivitet = opret_aktivitet(pilot, [anna])

    with pytest.raises(ValidationError) as fejl:
        ret(pilot.forloebsmedarbejder, aktivitet, type=Aktivitet.Type.KURSUSDAG, varighed=2)

    assert "passer kun til deltagere i hovedforløbet" in " ".join(fejl.value.message_dict["type"])
    assert "varighed" in fejl.value.message_dict
    aktivitet.refresh_from_db()
    assert (aktivitet.type, aktivitet.varighed) == (Aktivitet.Type.REGNSKAB, 90)
    assert not Aktivitetsrettelse.objects.exists()


def test_a_correction_needs_a_reason_and_a_change(pilot, aftale):
    aktivitet = opret_aktivitet(pilot, [indskriv(pilot, aftale, "Anna")])

    with pytest.raises(ValidationError) as uden_grund:
        ret(pilot.forloebsmedarbejder, aktivitet, begrundelse="  ", sted="Andetsteds")
    with pytest.raises(ValidationError) as uden_aendring:
        ret(pilot.forloebsmedarbejder, aktivitet)

    assert uden_grund.value.message_dict["begrundelse"] == ["Skriv, hvorfor aktiviteten rettes."]
    assert uden_aendring.value.messages == ["Du har ikke ændret noget."]
    assert not Aktivitetsrettelse.objects.exists()


def test_a_participant_whose_programme_has_ended_may_stay_on_a_corrected_session(pilot, aftale):
    anna, bo = indskriv(pilot, aftale, "Anna"), indskriv(pilot, aftale, "Bo")
    # 7 March; Bo leaves for a job on 12 March (ten days into his qualifying phase).
    aktivitet = opret_aktivitet(pilot, [anna, bo], dato=datetime.date(2026, 3, 7))
    til_status(pilot, bo, Forloeb.Status.AFBRUDT)

    ret(pilot.forloebsmedarbejder, aktivitet, sted="Jobhuset, lokale 3")

    assert aktivitet.deltagelser.filter(forloeb=bo).exists()
    # Moving the session past his discharge is refused, and so is putting him on another one.
    with pytest.raises(ValidationError) as flyttet:
        ret(pilot.forloebsmedarbejder, aktivitet, dato=datetime.date(2026, 3, 13))
    assert "Bo Jensen blev udskrevet 12.03.2026." in flyttet.value.message_dict["dato"]
    with pytest.raises(ValidationError) as ny:
        ret(pilot.forloebsmedarbejder, opret_aktivitet(pilot, [anna]), deltagere=[anna, bo])
    assert "Forløbet for Bo Jensen er afbrudt." in ny.value.message_dict["deltagere"]


def test_moving_an_upcoming_session_tells_the_participants_course_staff(pilot, kommende, kollega):
    ny_dato = kommende.dato + DAG

    rettelse = ret(kollega, kommende, dato=ny_dato, begrundelse="Lokalet er optaget")

    # The pilot's course staff member runs the session and is responsible for all three
    # programmes: told once; the colleague who moved it is not told.
    assert notifikationer(Haendelse.AKTIVITET_FLYTTET) == [
        (pilot.forloebsmedarbejder.username, f"aktivitet_flyttet:{rettelse.pk}")
    ]
    besked = Notifikation.objects.get(haendelse=Haendelse.AKTIVITET_FLYTTET)
    assert "er flyttet til" in besked.tekst
    assert ny_dato.strftime("%d.%m.%Y") in besked.tekst
    assert "Lokalet er optaget" in besked.tekst
    assert besked.link == f"/forloeb/aktiviteter/{kommende.pk}/"


def test_a_correction_that_does_not_move_the_session_tells_no_one(pilot, kommende, kollega):
    ret(kollega, kommende, sted="Jobhuset, lokale 3")

    assert not Notifikation.objects.filter(haendelse=Haendelse.AKTIVITET_FLYTTET).exists()


def test_correcting_a_past_sessions_date_tells_no_one(pilot, aftale, kollega):
    # A date typed wrong months ago is a correction of the record, not news to anyone.
    aktivitet = opret_aktivitet(pilot, [indskriv(pilot, aftale, "Anna")])

    ret(kollega, aktivitet, dato=I_OPKVALIFICERING + DAG)

    assert not Notifikation.objects.filter(haendelse=Haendelse.AKTIVITET_FLYTTET).exists()


# --- Cancelling a session ----------------------------------------------------------------------


def test_cancelling_keeps_the_session_marked_with_who_when_and_why(pilot, kommende, kollega):
    aktivitet_aflys(bruger=kollega, aktivitet=kommende, begrundelse="Underviseren er syg")

    kommende.refresh_from_db()
    assert kommende.er_aflyst
    assert (kommende.aflyst_af, kommende.aflysningsgrund) == (kollega, "Underviseren er syg")
    assert kommende.aflyst <= timezone.now()
    # The session and its attendance rows stay: it is history.
    assert kommende.deltagelser.count() == 3
    aendring = LogEntry.objects.get_for_object(kommende).get(action=LogEntry.Action.UPDATE)
    assert aendring.changes_dict["aflysningsgrund"] == ["", "Underviseren er syg"]


def test_cancelling_tells_the_participants_course_staff_once(pilot, kommende, kollega):
    aflys = aktivitet_aflys

    aflys(bruger=kollega, aktivitet=kommende, begrundelse="Underviseren er syg")

    assert notifikationer(Haendelse.AKTIVITET_AFLYST) == [
        (pilot.forloebsmedarbejder.username, f"aktivitet_aflyst:{kommende.pk}")
    ]
    besked = Notifikation.objects.get(haendelse=Haendelse.AKTIVITET_AFLYST)
    assert besked.emne == f"Aktivitet aflyst: Undervisning i regnskab {kommende.dato:%d.%m.%Y}"
    assert "med 3 deltagere er aflyst af Frida Falk" in besked.tekst
    assert "Underviseren er syg" in besked.tekst
    # A second cancellation is refused, so nobody is told twice.
    with pytest.raises(ValidationError):
        aflys(bruger=kollega, aktivitet=kommende, begrundelse="Igen")
    assert Notifikation.objects.filter(haendelse=Haendelse.AKTIVITET_AFLYST).count() == 1


def test_a_cancelled_sessions_attendance_is_not_counted(pilot, aftale):
    anna = indskriv(pilot, aftale, "Anna")
    opret_aktivitet(pilot, [anna], type=Aktivitet.Type.MOMS)
    aflyses = opret_aktivitet(pilot, [anna])
    registrer_deltagelse(pilot, aflyses, anna, Deltagelse.Status.AFBUD)

    def talt():
        noegletal = Forloeb.objects.med_noegletal().get(pk=anna.pk)
        pr_type = {
            label: (registreret, deltog) for label, registreret, deltog in fremdrift(anna).pr_type
        }
        return noegletal.antal_registreret, noegletal.antal_deltog, pr_type

    assert talt() == (
        2,
        1,
        {"Undervisning i regnskab": (1, 0), "Undervisning i moms": (1, 1)},
    )

    aktivitet_aflys(
        bruger=pilot.forloebsmedarbejder, aktivitet=aflyses, begrundelse="Ingen lokaler"
    )

    assert talt() == (1, 1, {"Undervisning i moms": (1, 1)})


def test_a_session_whose_attendance_is_registered_with_someone_present_cannot_be_cancelled(
    pilot, kommende
):
    alle_deltog(bruger=pilot.forloebsmedarbejder, aktivitet=kommende)

    with pytest.raises(ValidationError) as fejl:
        aktivitet_aflys(bruger=pilot.forloebsmedarbejder, aktivitet=kommende, begrundelse="Fejl")

    assert fejl.value.messages == [
        "Fremmødet er registreret, og 3 deltog, så aktiviteten er holdt og kan ikke aflyses. "
        "Er fremmødet registreret ved en fejl, så ret det først."
    ]
    kommende.refresh_from_db()
    assert not kommende.er_aflyst
    assert not regler.kan_aflyse_aktivitet(pilot.forloebsmedarbejder, kommende)
    assert not Notifikation.objects.filter(haendelse=Haendelse.AKTIVITET_AFLYST).exists()


def test_a_session_nobody_came_to_can_be_cancelled_after_registration(pilot, kommende):
    for raekke in kommende.deltagelser.select_related("forloeb"):
        registrer_deltagelse(pilot, kommende, raekke.forloeb, Deltagelse.Status.AFBUD)
    kommende.refresh_from_db()
    assert kommende.fremmoede_registreret is not None
    assert regler.kan_aflyse_aktivitet(pilot.forloebsmedarbejder, kommende)

    aktivitet_aflys(
        bruger=pilot.forloebsmedarbejder, aktivitet=kommende, begrundelse="Alle meldte afbud"
    )

    kommende.refresh_from_db()
    assert kommende.er_aflyst


def test_cancelling_needs_a_reason_and_the_right_person(pilot, kommende):
    with pytest.raises(ValidationError) as fejl:
        aktivitet_aflys(bruger=pilot.forloebsmedarbejder, aktivitet=kommende, begrundelse=" ")
    assert fejl.value.message_dict["begrundelse"] == ["Skriv, hvorfor aktiviteten aflyses."]

    holbaek = OrganisationFactory(navn="Holbæk Kommune", type=Organisation.Type.KOMMUNE)
    for bruger in (
        BrugerFactory(organisation=holbaek, rolle=Rolle.FORLOEBSMEDARBEJDER),
        BrugerFactory(organisation=pilot.naestved, rolle=Rolle.SAGSBEHANDLER),
        pilot.sagsbehandler,
    ):
        with pytest.raises(PermissionDenied):
            aktivitet_aflys(bruger=bruger, aktivitet=kommende, begrundelse="Syg")
    kommende.refresh_from_db()
    assert not kommende.er_aflyst


def test_a_cancelled_session_cannot_be_corrected_nor_its_attendance_changed(pilot, kommende):
    aktivitet_aflys(bruger=pilot.forloebsmedarbejder, aktivitet=kommende, begrundelse="Syg")
    raekke = kommende.deltagelser.select_related("forloeb").first()

    for handling in (
        lambda: ret(pilot.forloebsmedarbejder, kommende, sted="Andetsteds"),
        lambda: alle_deltog(bruger=pilot.forloebsmedarbejder, aktivitet=kommende),
        lambda: registrer_deltagelse(pilot, kommende, raekke.forloeb, Deltagelse.Status.AFBUD),
    ):
        with pytest.raises(ValidationError) as fejl:
            handling()
        assert "blev aflyst" in " ".join(fejl.value.messages)
    raekke.refresh_from_db()
    assert raekke.status == Deltagelse.Status.DELTOG


def test_the_database_refuses_a_cancellation_without_who_or_why(pilot, kommende):
    for aendring in (
        {"aflyst": timezone.now()},
        {"aflyst": timezone.now(), "aflyst_af": pilot.forloebsmedarbejder},
        {"aflysningsgrund": "Syg"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Aktivitet.objects.filter(pk=kommende.pk).update(**aendring)


# --- "Alle deltog" -----------------------------------------------------------------------------


def test_alle_deltog_marks_everyone_present_and_registers_the_attendance(pilot, kommende):
    # Someone had been put down as absent by mistake before the session was registered.
    bo = kommende.deltagelser.get(forloeb__borger__fornavn="Bo")
    Deltagelse.objects.filter(pk=bo.pk).update(status=Deltagelse.Status.UDEBLEV)
    kommende.refresh_from_db()
    assert kommende.fremmoede_registreret is None

    rettet = alle_deltog(bruger=pilot.forloebsmedarbejder, aktivitet=kommende)

    kommende.refresh_from_db()
    assert rettet == 1
    assert set(kommende.deltagelser.values_list("status", flat=True)) == {"deltog"}
    assert kommende.fremmoede_registreret_af == pilot.forloebsmedarbejder
    assert kommende.fremmoede_registreret <= timezone.now()


def test_after_alle_deltog_two_exceptions_are_one_call_each(pilot, kommende, kollega):
    alle_deltog(bruger=pilot.forloebsmedarbejder, aktivitet=kommende)
    stemplet = Aktivitet.objects.get(pk=kommende.pk).fremmoede_registreret
    raekker = {
        d.forloeb.borger.fornavn: d for d in kommende.deltagelser.select_related("forloeb__borger")
    }

    registrer_deltagelse(pilot, kommende, raekker["Bo"].forloeb, "afbud", bruger=kollega)
    registrer_deltagelse(pilot, kommende, raekker["Carl"].forloeb, "udeblev", bruger=kollega)

    assert dict(kommende.deltagelser.values_list("forloeb__borger__fornavn", "status")) == {
        "Anna": "deltog",
        "Bo": "afbud",
        "Carl": "udeblev",
    }
    # The registration keeps its first stamp: who confirmed the attendance, and when.
    kommende.refresh_from_db()
    assert kommende.fremmoede_registreret == stemplet
    assert kommende.fremmoede_registreret_af == pilot.forloebsmedarbejder


def test_a_single_tap_registers_the_sessions_attendance_too(pilot, kommende, kollega):
    raekke = kommende.deltagelser.select_related("forloeb").first()

    registrer_deltagelse(pilot, kommende, raekke.forloeb, "deltog", bruger=kollega)

    kommende.refresh_from_db()
    assert kommende.fremmoede_registreret_af == kollega


def test_alle_deltog_leaves_a_programme_that_has_ended_as_it_is(pilot, aftale):
    anna, bo = indskriv(pilot, aftale, "Anna"), indskriv(pilot, aftale, "Bo")
    aktivitet = opret_aktivitet(pilot, [anna, bo])
    registrer_deltagelse(pilot, aktivitet, bo, Deltagelse.Status.UDEBLEV)
    til_status(pilot, bo, Forloeb.Status.AFBRUDT)

    assert alle_deltog(bruger=pilot.forloebsmedarbejder, aktivitet=aktivitet) == 0

    assert aktivitet.deltagelser.get(forloeb=bo).status == "udeblev"


def test_only_the_running_organisations_course_staff_say_alle_deltog(pilot, kommende):
    for bruger in (pilot.sagsbehandler, BrugerFactory(organisation=pilot.naestved)):
        with pytest.raises(PermissionDenied):
            alle_deltog(bruger=bruger, aktivitet=kommende)
    kommende.refresh_from_db()
    assert kommende.fremmoede_registreret is None


# --- Guests ------------------------------------------------------------------------------------


def test_a_group_session_records_guests_as_a_number(pilot, aftale):
    deltagere = [indskriv(pilot, aftale, f"Borger{i}", START_FOER) for i in range(10)]

    aktivitet = opret_aktivitet(pilot, deltagere, type=Aktivitet.Type.KURSUSDAG, gaester=3)

    assert (aktivitet.deltagelser.count(), aktivitet.gaester) == (10, 3)


def test_an_individual_session_has_no_guests(pilot, aftale):
    anna = indskriv(pilot, aftale, "Anna")

    with pytest.raises(ValidationError) as fejl:
        opret_aktivitet(pilot, [anna], form=Aktivitet.Form.INDIVIDUEL, gaester=1)

    assert fejl.value.message_dict["gaester"] == ["Gæster kan kun deltage i en gruppeaktivitet."]
    with pytest.raises(IntegrityError), transaction.atomic():
        Aktivitet.objects.create(
            type="sparring",
            form="individuel",
            dato=I_OPKVALIFICERING,
            starttid=KL_10,
            varighed=60,
            sted="Jobhuset",
            medarbejder=pilot.forloebsmedarbejder,
            organisation=pilot.naestved,
            gaester=2,
        )


# --- Why a type does not fit -------------------------------------------------------------------


def test_a_course_day_for_mixed_phases_names_who_is_in_the_other_phase(pilot, aftale):
    anna = indskriv(pilot, aftale, "Anna")
    dorte = indskriv(pilot, aftale, "Dorte")
    bo = indskriv(pilot, aftale, "Bo", START_FOER)

    with pytest.raises(ValidationError) as fejl:
        opret_aktivitet(pilot, [anna, bo, dorte], type=Aktivitet.Type.KURSUSDAG)

    # One message for the session, naming everyone the type does not fit.
    assert fejl.value.message_dict["type"] == [
        "»Kollektiv kursusdag« passer kun til deltagere i hovedforløbet; Anna Jensen og "
        "Dorte Jensen er i det opkvalificerende forløb den 15.04.2026."
    ]


def test_the_explanation_says_which_types_fit_whom_when_none_fits_all(pilot, aftale):
    anna = indskriv(pilot, aftale, "Anna")
    bo = indskriv(pilot, aftale, "Bo", START_FOER)

    forklaring = selectors.faseforklaring(deltagere=[anna, bo], dato=I_OPKVALIFICERING)

    assert forklaring == (
        "Ingen type passer til alle de valgte deltagere den 15.04.2026: Anna Jensen er i det "
        "opkvalificerende forløb, som tilbyder personlig vejledning, erhvervscoaching, finansiel "
        "rådgivning, undervisning i regnskab, undervisning i skat og undervisning i moms; "
        "Bo Jensen er i hovedforløbet, som tilbyder individuel sparring og rådgivning, kollektiv "
        "kursusdag og netværksmøde. Opret en aktivitet for hver fase."
    )
    assert selectors.faseforklaring(deltagere=[anna], dato=I_OPKVALIFICERING) is None


# --- Dates -------------------------------------------------------------------------------------


def test_a_session_more_than_a_year_ahead_is_refused_naming_the_field(pilot):
    idag = timezone.localdate()
    aftale = aktivitetsaftale(pilot, gyldig_fra=idag - 365 * DAG, gyldig_til=idag + 800 * DAG)
    anna = indskriv(pilot, aftale, "Anna", idag)

    with pytest.raises(ValidationError) as fejl:
        opret_aktivitet(pilot, [anna], dato=idag + datetime.timedelta(days=400))

    assert fejl.value.message_dict["dato"][0].startswith(
        "Dato kan ikke ligge mere end et år ude i fremtiden"
    )
