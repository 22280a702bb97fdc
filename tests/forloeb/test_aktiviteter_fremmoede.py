"""Setting one citizen's attendance at a session: forloeb/aktiviteter/services/fremmoede.py."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from forloeb.aktiviteter import selectors
from forloeb.aktiviteter.services.fremmoede import deltagelse_registrer
from forloeb.models import Deltagelse, Forloeb
from mikrolaan.konti.models import Organisation, Rolle
from tests.byg.aktiviteter import aktivitetsaftale, indskriv
from tests.byg.aktiviteter import opret_aktivitet as opret
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.sager import til_status


@pytest.fixture
def aftale(pilot):
    return aktivitetsaftale(pilot)


@pytest.fixture
def session(pilot, aftale):
    return opret(pilot, [indskriv(pilot, aftale, navn) for navn in ("Anna", "Bo", "Carl")])


def test_a_correction_is_saved_with_who_and_when_and_kept_in_the_change_history(pilot, session):
    kollega = BrugerFactory(
        organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER, first_name="Frida"
    )
    raekke = session.deltagelser.get(forloeb__borger__fornavn="Bo")
    foer = raekke.registreret

    rettet = deltagelse_registrer(
        bruger=kollega, aktivitet=session, forloeb=raekke.forloeb, status="udeblev", note="Syg"
    )

    raekke.refresh_from_db()
    assert (raekke.status, raekke.note, raekke.registreret_af) == ("udeblev", "Syg", kollega)
    assert raekke.registreret > foer
    assert rettet.rettet is True
    aendring = LogEntry.objects.get_for_object(raekke).get(action=LogEntry.Action.UPDATE)
    assert aendring.changes_dict["status"] == ["deltog", "udeblev"]
    alle = selectors.deltagelser(aktivitet=session)
    assert [d.rettet for d in alle] == [False, True, False]


def test_setting_the_same_attendance_again_changes_nothing(pilot, session):
    raekke = session.deltagelser.get(forloeb__borger__fornavn="Anna")

    deltagelse_registrer(
        bruger=pilot.forloebsmedarbejder, aktivitet=session, forloeb=raekke.forloeb, status="deltog"
    )

    assert not LogEntry.objects.get_for_object(raekke).filter(action=LogEntry.Action.UPDATE)


def test_no_note_keeps_the_note_and_an_empty_note_clears_it(pilot, session):
    raekke = session.deltagelser.get(forloeb__borger__fornavn="Anna")
    registrer = deltagelse_registrer
    kwargs = {"bruger": pilot.forloebsmedarbejder, "aktivitet": session, "forloeb": raekke.forloeb}

    registrer(**kwargs, status="afbud", note="Ringede kl. 8")
    registrer(**kwargs, status="udeblev")
    raekke.refresh_from_db()
    assert (raekke.status, raekke.note) == ("udeblev", "Ringede kl. 8")

    registrer(**kwargs, status="udeblev", note="")
    raekke.refresh_from_db()
    assert raekke.note == ""


def test_attendance_for_a_citizen_not_on_the_session_is_refused(pilot, aftale, session):
    andet_forloeb = indskriv(pilot, aftale, "Dorte")

    with pytest.raises(ValidationError) as fejl:
        deltagelse_registrer(
            bruger=pilot.forloebsmedarbejder,
            aktivitet=session,
            forloeb=andet_forloeb,
            status="deltog",
        )

    assert "Dorte Jensen deltager ikke i denne aktivitet" in " ".join(fejl.value.messages)
    assert not Deltagelse.objects.filter(forloeb=andet_forloeb).exists()


def test_attendance_for_a_programme_no_longer_active_is_refused(pilot, session):
    raekke = session.deltagelser.get(forloeb__borger__fornavn="Carl")
    # Completed: moved to the main phase on 2 September 2026, discharged ten days later.
    til_status(pilot, raekke.forloeb, Forloeb.Status.AFSLUTTET)

    with pytest.raises(ValidationError) as fejl:
        deltagelse_registrer(
            bruger=pilot.forloebsmedarbejder,
            aktivitet=session,
            forloeb=raekke.forloeb,
            status="udeblev",
        )

    assert "Forløbet for Carl Jensen er afsluttet" in " ".join(fejl.value.messages)
    raekke.refresh_from_db()
    assert raekke.status == "deltog"


def test_attendance_is_set_only_by_course_staff_of_the_sessions_organisation(pilot, session):
    holbaek = OrganisationFactory(navn="Holbæk Kommune", type=Organisation.Type.KOMMUNE)
    raekke = session.deltagelser.first()
    for bruger in (
        BrugerFactory(organisation=holbaek, rolle=Rolle.FORLOEBSMEDARBEJDER),
        BrugerFactory(organisation=pilot.naestved, rolle=Rolle.SAGSBEHANDLER),
        pilot.sagsbehandler,
    ):
        with pytest.raises(PermissionDenied):
            deltagelse_registrer(
                bruger=bruger, aktivitet=session, forloeb=raekke.forloeb, status="udeblev"
            )
    raekke.refresh_from_db()
    assert raekke.status == "deltog"


def test_an_unknown_attendance_status_is_refused(pilot, session):
    raekke = session.deltagelser.first()
    with pytest.raises(ValidationError):
        deltagelse_registrer(
            bruger=pilot.forloebsmedarbejder,
            aktivitet=session,
            forloeb=raekke.forloeb,
            status="syg",
        )
