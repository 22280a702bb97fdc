"""Discharge (udskrivning) and the follow-ups after it (DOMAIN.md rule 6)."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from forloeb.models import Fase, Forloeb, Opfoelgning, Udskrivning
from forloeb.services.indskrivning import indskriv
from mikrolaan.konti.models import Rolle
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.sager import (
    CVR,
    PERIODE_2025_2027,
    SKIFTE,
    START,
    faser,
    grundlag,
    lav_borger,
    lav_forloeb,
    lav_pladsaftale,
    optag,
    registrer_opfoelgning,
    til_hovedforloeb,
    udskriv,
)
from tests.byg.tid import DAG, paa
from visitation.models import VentelistePlads

A = Udskrivning.Aarsag
NOTE = "Fortroligt: borgeren har gæld til SKAT."


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot, **PERIODE_2025_2027)  # the tests are set around START


@pytest.fixture
def forloeb(pilot, aftale) -> Forloeb:
    return lav_forloeb(pilot, aftale, startdato=START)


@pytest.fixture
def i_hovedforloeb(pilot, forloeb) -> Forloeb:
    return til_hovedforloeb(pilot, forloeb, SKIFTE)


def udskrevet_notifikationer():
    return Notifikation.objects.filter(haendelse=Haendelse.UDSKREVET)


def ingenting_gemt(forloeb: Forloeb, status=Forloeb.Status.OPKVALIFICERING) -> None:
    forloeb.refresh_from_db()
    assert forloeb.status == status
    assert not Udskrivning.objects.exists()
    assert not Opfoelgning.objects.exists()
    assert not udskrevet_notifikationer().exists()
    assert faser(forloeb)[status].faktisk_slut is None


# --- A discharge that goes through ----------------------------------------------------------


def test_a_citizen_who_started_a_business_is_discharged_as_completed_with_a_compact_cvr(
    pilot, i_hovedforloeb
):
    dato = datetime.date(2026, 8, 31)

    udskrivning = udskriv(
        pilot, i_hovedforloeb, dato=dato, aarsag=A.EGEN_VIRKSOMHED, cvr="DK 30 00 00 05"
    )

    assert udskrivning.cvr == CVR
    assert udskrivning.oprettet_af == pilot.forloebsmedarbejder
    i_hovedforloeb.refresh_from_db()
    assert i_hovedforloeb.status == Forloeb.Status.AFSLUTTET
    assert faser(i_hovedforloeb)["hovedforloeb"].faktisk_slut == dato
    # Follow-ups 3, 6 and 12 calendar months later; from 31 August they clamp to month ends.
    assert list(
        Opfoelgning.objects.filter(forloeb=i_hovedforloeb).values_list("maaneder", "forfalder")
    ) == [
        (3, datetime.date(2026, 11, 30)),
        (6, datetime.date(2027, 2, 28)),
        (12, datetime.date(2027, 8, 31)),
    ]


def test_completing_without_a_business_needs_no_cvr(pilot, i_hovedforloeb):
    udskriv(pilot, i_hovedforloeb, dato=SKIFTE + 30 * DAG, aarsag=A.UDEN_VIRKSOMHED)

    i_hovedforloeb.refresh_from_db()
    assert i_hovedforloeb.status == Forloeb.Status.AFSLUTTET
    assert i_hovedforloeb.udskrivning.cvr == ""


@pytest.mark.parametrize("aarsag", [a for a in A if a not in Udskrivning.GENNEMFOERT])
def test_every_other_reason_breaks_the_programme_off_in_the_phase_it_is_in(pilot, forloeb, aarsag):
    dato = START + 40 * DAG

    udskriv(pilot, forloeb, dato=dato, aarsag=aarsag, idag=dato + 2 * DAG)

    forloeb.refresh_from_db()
    assert forloeb.status == Forloeb.Status.AFBRUDT
    assert faser(forloeb)["opkvalificering"].faktisk_slut == dato
    assert faser(forloeb)["hovedforloeb"].faktisk_start is None
    assert Opfoelgning.objects.filter(forloeb=forloeb).count() == 3


def test_a_discharge_may_be_dated_today_or_on_the_first_day(pilot, aftale):
    forloeb = lav_forloeb(pilot, aftale, startdato=START)
    udskriv(pilot, forloeb, dato=START)
    assert Udskrivning.objects.get().dato == START


# --- Discharge rules: each a Danish error, and nothing saved --------------------------------


@pytest.mark.parametrize(
    ("felter", "felt", "besked"),
    [
        ({"aarsag": ""}, "aarsag", "Vælg en årsag til udskrivningen."),
        ({"aarsag": "ferie"}, "aarsag", "Vælg en årsag til udskrivningen."),
        (
            {"aarsag": A.UDEN_VIRKSOMHED},
            "aarsag",
            "Borgeren er i det opkvalificerende forløb og kan ikke udskrives som gennemført: "
            "et forløb gennemføres i hovedforløbet. Vælg en anden årsag, eller skift først "
            "til hovedforløbet.",
        ),
        ({"aarsag": A.JOB, "cvr": CVR}, "cvr", None),
        ({"forsoergelse_efter": None}, "forsoergelse_efter", None),
        ({"dato": START + 31 * DAG}, "dato", "Udskrivningsdatoen kan ikke ligge i fremtiden."),
        (
            {"dato": START - DAG},
            "dato",
            "Udskrivningsdatoen kan ikke ligge før forløbets start, 15.01.2026.",
        ),
        ({"dato": None}, "dato", "Angiv udskrivningsdatoen."),
    ],
)
def test_a_discharge_from_the_qualifying_phase_is_refused(pilot, forloeb, felter, felt, besked):
    dato = felter.pop("dato", START + 20 * DAG)

    with pytest.raises(ValidationError) as fejl:
        udskriv(pilot, forloeb, dato=dato, idag=START + 30 * DAG, **felter)

    assert set(fejl.value.message_dict) == {felt}
    if besked:
        assert fejl.value.message_dict[felt] == [besked]
    ingenting_gemt(forloeb)


@pytest.mark.parametrize(
    ("cvr", "besked"),
    [
        ("", "Angiv virksomhedens CVR-nummer."),
        ("   ", "Angiv virksomhedens CVR-nummer."),
        ("30000006", "Ugyldigt CVR-nummer."),  # the check digit is wrong
        ("1234567", "Ugyldigt CVR-nummer."),  # seven digits
        ("3000000A", "Ugyldigt CVR-nummer."),
    ],
)
def test_a_discharge_with_own_business_needs_a_valid_cvr(pilot, i_hovedforloeb, cvr, besked):
    with pytest.raises(ValidationError) as fejl:
        udskriv(pilot, i_hovedforloeb, dato=SKIFTE + 10 * DAG, aarsag=A.EGEN_VIRKSOMHED, cvr=cvr)

    assert fejl.value.message_dict == {"cvr": [besked]}
    ingenting_gemt(i_hovedforloeb, Forloeb.Status.HOVEDFORLOEB)


def test_a_discharge_from_the_main_phase_cannot_predate_its_start(pilot, i_hovedforloeb):
    with pytest.raises(ValidationError) as fejl:
        udskriv(pilot, i_hovedforloeb, dato=SKIFTE - DAG, idag=SKIFTE + DAG)

    assert fejl.value.message_dict == {
        "dato": ["Udskrivningsdatoen kan ikke ligge før den aktuelle fase begyndte, 15.07.2026."]
    }
    ingenting_gemt(i_hovedforloeb, Forloeb.Status.HOVEDFORLOEB)


def test_a_citizen_cannot_be_discharged_twice(pilot, forloeb):
    udskriv(pilot, forloeb, dato=START + 5 * DAG)

    with pytest.raises(ValidationError, match="Borgeren er allerede udskrevet"):
        udskriv(pilot, forloeb, dato=START + 6 * DAG)
    assert Udskrivning.objects.count() == 1


def test_the_constraint_refuses_own_business_without_cvr_in_danish(pilot, i_hovedforloeb):
    # The database's refusal of the raw write is in tests/test_databasebegraensninger.py.
    udskrivning = Udskrivning(
        forloeb=i_hovedforloeb,
        dato=SKIFTE,
        aarsag=A.EGEN_VIRKSOMHED,
        cvr="",
        forsoergelse_efter=grundlag("Selvforsørgende"),
        oprettet_af=pilot.forloebsmedarbejder,
    )
    with pytest.raises(ValidationError, match="Angiv virksomhedens CVR-nummer."):
        udskrivning.validate_constraints()


def test_only_the_providers_course_staff_may_discharge(pilot, forloeb):
    andetsteds = BrugerFactory(organisation=pilot.fremmed_org, rolle=Rolle.FORLOEBSMEDARBEJDER)
    for bruger in (pilot.sagsbehandler, pilot.erhvervschef, pilot.administrator, andetsteds):
        with pytest.raises(PermissionDenied):
            udskriv(pilot, forloeb, dato=START, bruger=bruger)
    ingenting_gemt(forloeb)


# --- The place is freed ---------------------------------------------------------------------


def test_a_discharge_frees_the_place_for_the_first_on_the_waiting_list(pilot, aftale, forloeb):
    lav_forloeb(pilot, aftale, "Bo", startdato=START)
    assert optag(pilot, aftale, lav_borger(pilot, "Carla"), startdato=START) is None
    plads = VentelistePlads.objects.get()
    with paa(START + DAG), pytest.raises(ValidationError, match="Pladsaftalen er fuld"):
        indskriv(bruger=pilot.forloebsmedarbejder, henvisning=plads.henvisning, fra_venteliste=True)

    udskriv(pilot, forloeb, dato=START + 10 * DAG)

    with paa(START + 10 * DAG):
        nyt = indskriv(
            bruger=pilot.forloebsmedarbejder, henvisning=plads.henvisning, fra_venteliste=True
        )
    assert isinstance(nyt, Forloeb)
    assert Forloeb.objects.filter(pladsaftale=aftale).aktive().count() == 2


def test_course_staff_are_reminded_who_is_first_in_line_for_the_freed_place(pilot, aftale, forloeb):
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    lav_forloeb(pilot, aftale, "Bo", startdato=START)
    for navn in ("Carla", "Dorte"):
        assert optag(pilot, aftale, lav_borger(pilot, navn), startdato=START) is None

    udskriv(pilot, forloeb, dato=START + 10 * DAG)

    paamindelser = Notifikation.objects.filter(haendelse=Haendelse.PAAMINDELSE)
    assert {n.modtager for n in paamindelser} == {pilot.forloebsmedarbejder, kollega}
    besked = paamindelser.first()
    assert besked.emne == f"Ledig plads på {aftale}"
    assert "Først på ventelisten er Carla Jensen" in besked.tekst
    assert "Dorte" not in besked.tekst
    assert besked.link == f"/visitation/pladsaftaler/{aftale.pk}/"


def test_no_reminder_when_nobody_is_waiting(pilot, forloeb):
    udskriv(pilot, forloeb, dato=START + 10 * DAG)

    assert not Notifikation.objects.filter(haendelse=Haendelse.PAAMINDELSE).exists()


# --- Who is told ----------------------------------------------------------------------------


def test_the_erhvervschef_gets_exactly_one_notification_without_cpr_or_note(
    pilot, aftale, i_hovedforloeb
):
    # An Erhvervschef of a municipality that does not buy the place is not told.
    anden = BrugerFactory(
        organisation=OrganisationFactory(navn="Albertslund Kommune"), rolle=Rolle.ERHVERVSCHEF
    )

    udskriv(
        pilot,
        i_hovedforloeb,
        SKIFTE + 40 * DAG,
        A.EGEN_VIRKSOMHED,
        note=NOTE,
    )

    beskeder = list(udskrevet_notifikationer().filter(modtager=pilot.erhvervschef))
    assert len(beskeder) == 1
    besked = beskeder[0]
    assert besked.emne == "Udskrevet: Anna Jensen"
    assert besked.tekst == (
        f"Anna Jensen er udskrevet fra {aftale} 24.08.2026. "
        "Årsag: Gennemført med egen virksomhed. 0 af 2 pladser er nu i brug."
    )
    cpr = i_hovedforloeb.borger.cpr
    for tekst in (besked.emne, besked.tekst):
        assert cpr[:6] not in tekst
        assert "gæld" not in tekst
    # The Erhvervschef has no access to the programme; their link is the place agreement.
    assert besked.link == f"/visitation/pladsaftaler/{aftale.pk}/"
    assert not Notifikation.objects.filter(modtager=anden).exists()


def test_the_people_on_the_case_are_told_with_a_link_to_the_programme(pilot, i_hovedforloeb):
    udskriv(pilot, i_hovedforloeb, dato=SKIFTE + 40 * DAG)

    paa_sagen = udskrevet_notifikationer().exclude(modtager=pilot.erhvervschef)
    assert {n.modtager for n in paa_sagen} == {pilot.sagsbehandler, pilot.forloebsmedarbejder}
    assert {n.link for n in paa_sagen} == {f"/forloeb/{i_hovedforloeb.pk}/"}
    assert udskrevet_notifikationer().count() == 3


# --- Two people discharging at once ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_people_discharging_at_once_discharge_once(pilot, kraever_postgres):
    aftale = lav_pladsaftale(pilot, **PERIODE_2025_2027)
    forloeb = lav_forloeb(pilot, aftale, startdato=START)
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    start = threading.Barrier(2)
    resultater, fejl = [], []

    def udskriv_som(bruger, aarsag):
        try:
            start.wait()
            resultater.append(
                udskriv(pilot, forloeb, dato=START + 5 * DAG, aarsag=aarsag, bruger=bruger)
            )
        except ValidationError as exc:
            fejl.append(exc)
        finally:
            connection.close()

    traade = [
        threading.Thread(target=udskriv_som, args=(pilot.forloebsmedarbejder, A.JOB)),
        threading.Thread(target=udskriv_som, args=(kollega, A.SYGDOM)),
    ]
    for t in traade:
        t.start()
    for t in traade:
        t.join(timeout=30)

    assert len(resultater) == 1
    assert [f.messages for f in fejl] == [["Borgeren er allerede udskrevet (forløbet er afbrudt)."]]
    assert Udskrivning.objects.count() == 1
    assert Opfoelgning.objects.count() == 3
    assert udskrevet_notifikationer().filter(modtager=pilot.erhvervschef).count() == 1


# --- Follow-ups -----------------------------------------------------------------------------

UDSKREVET = SKIFTE + 40 * DAG  # 24.08.2026: the 3-month follow-up falls due 24.11.2026


@pytest.fixture
def opfoelgning(pilot, i_hovedforloeb) -> Opfoelgning:
    udskriv(pilot, i_hovedforloeb, dato=UDSKREVET, aarsag=A.UDEN_VIRKSOMHED)
    return Opfoelgning.objects.get(forloeb=i_hovedforloeb, maaneder=3)


@pytest.mark.parametrize("dage_foer", [14, 0, -60])
def test_the_caseworker_records_a_follow_up_from_14_days_before_it_is_due(
    pilot, opfoelgning, dage_foer
):
    assert opfoelgning.forfalder == datetime.date(2026, 11, 24)

    registrer_opfoelgning(pilot, opfoelgning, opfoelgning.forfalder - dage_foer * DAG)

    opfoelgning.refresh_from_db()
    assert opfoelgning.selvforsoergende is True
    assert opfoelgning.forsoergelsesgrundlag == grundlag("Selvforsørgende")
    assert opfoelgning.registreret_af == pilot.sagsbehandler
    assert opfoelgning.registreret is not None


def test_a_follow_up_cannot_be_recorded_more_than_14_days_early(pilot, opfoelgning):
    with pytest.raises(ValidationError) as fejl:
        registrer_opfoelgning(pilot, opfoelgning, opfoelgning.forfalder - 15 * DAG)

    assert fejl.value.messages == [
        "Opfølgningen efter 3 måneder forfalder 24.11.2026 og kan tidligst registreres 10.11.2026."
    ]
    opfoelgning.refresh_from_db()
    assert opfoelgning.registreret is None


def test_a_follow_up_is_recorded_once(pilot, opfoelgning):
    registrer_opfoelgning(pilot, opfoelgning, opfoelgning.forfalder)

    with pytest.raises(ValidationError, match="allerede registreret"):
        registrer_opfoelgning(pilot, opfoelgning, opfoelgning.forfalder, selvforsoergende=False)
    opfoelgning.refresh_from_db()
    assert opfoelgning.selvforsoergende is True


def test_a_follow_up_needs_both_answers(pilot, opfoelgning):
    with pytest.raises(ValidationError) as fejl:
        registrer_opfoelgning(
            pilot,
            opfoelgning,
            opfoelgning.forfalder,
            selvforsoergende=None,
            forsoergelsesgrundlag=None,
        )

    assert fejl.value.message_dict == {
        "selvforsoergende": ["Angiv, om borgeren er selvforsørgende."],
        "forsoergelsesgrundlag": ["Vælg borgerens forsørgelsesgrundlag."],
    }
    opfoelgning.refresh_from_db()
    assert opfoelgning.registreret is None


def test_only_a_caseworker_of_the_referring_jobcenter_records_follow_ups(pilot, opfoelgning):
    for bruger in (
        pilot.forloebsmedarbejder,
        pilot.erhvervschef,
        pilot.administrator,
        pilot.fremmed,  # a caseworker, but at another jobcenter
    ):
        with pytest.raises(PermissionDenied):
            registrer_opfoelgning(pilot, opfoelgning, opfoelgning.forfalder, bruger=bruger)
    opfoelgning.refresh_from_db()
    assert opfoelgning.registreret is None


def test_a_follow_up_records_that_the_citizen_is_not_self_supporting(pilot, opfoelgning):
    registrer_opfoelgning(
        pilot,
        opfoelgning,
        opfoelgning.forfalder + DAG,
        selvforsoergende=False,
        forsoergelsesgrundlag=grundlag("Kontanthjælp"),
    )

    opfoelgning.refresh_from_db()
    assert opfoelgning.selvforsoergende is False
    assert opfoelgning.forsoergelsesgrundlag.navn == "Kontanthjælp"


def test_the_discharge_ends_the_main_phase_and_the_move_ended_the_qualifying_one(
    pilot, opfoelgning
):
    # The discharge ended the main phase; the qualifying phase kept the day of the move.
    fase = {f.type: f for f in Fase.objects.filter(forloeb=opfoelgning.forloeb)}
    assert fase["opkvalificering"].faktisk_slut == SKIFTE
    assert fase["hovedforloeb"].faktisk_slut == UDSKREVET
