"""The service that registers a citizen: borgere.services.borger_opret."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from borgere import cpr, services
from borgere.models import Borger, Forsoergelsesgrundlag
from borgere.services import CprFindesAlleredeError, borger_opret
from tests.byg.fabrikker import BrugerFactory


@pytest.fixture
def kontanthjaelp(db):
    return Forsoergelsesgrundlag.objects.get(navn="Kontanthjælp")


def _opret(bruger, kontanthjaelp, cpr_nummer="010190-1234", **felter):
    return borger_opret(
        bruger=bruger,
        cpr=cpr_nummer,
        **{
            "fornavn": "Anna",
            "efternavn": "Jensen",
            "forsoergelsesgrundlag": kontanthjaelp,
            **felter,
        },
    )


def test_a_citizen_is_registered_at_the_caseworkers_own_jobcenter(pilot, kontanthjaelp):
    borger = _opret(pilot.sagsbehandler, kontanthjaelp, adresse="Vejen 1", postnummer="2635")
    borger.refresh_from_db()
    assert borger.jobcenter == pilot.jobcenter
    assert borger.oprettet_af == pilot.sagsbehandler
    assert borger.cpr == "0101901234"
    assert borger.soegenavn == "anna jensen"
    assert borger.adresse == "Vejen 1"


def test_an_invalid_cpr_number_is_refused_on_the_cpr_field_and_nothing_is_saved(
    pilot, kontanthjaelp
):
    with pytest.raises(ValidationError) as fejl:
        _opret(pilot.sagsbehandler, kontanthjaelp, cpr_nummer="320190-1234")
    assert fejl.value.message_dict == {
        "cpr": ["CPR-nummeret indeholder ikke en gyldig fødselsdato."]
    }
    assert not Borger.objects.exists()


def test_a_citizen_without_a_name_is_refused_in_danish_and_nothing_is_saved(pilot, kontanthjaelp):
    with pytest.raises(ValidationError) as fejl:
        _opret(pilot.sagsbehandler, kontanthjaelp, fornavn="")
    assert fejl.value.message_dict == {"fornavn": ["Dette felt kan ikke være tomt."]}
    assert not Borger.objects.exists()


def test_a_means_of_support_no_longer_in_use_is_refused(pilot):
    udloebet = Forsoergelsesgrundlag.objects.create(
        navn="Starthjælp",
        gyldig_fra=datetime.date(2016, 7, 1),
        gyldig_til=datetime.date(2018, 12, 31),
    )
    with pytest.raises(ValidationError) as fejl:
        _opret(pilot.sagsbehandler, udloebet)
    assert fejl.value.message_dict == {
        "forsoergelsesgrundlag": ["Forsørgelsesgrundlaget er ikke længere i brug."]
    }
    assert not Borger.objects.exists()


def test_a_duplicate_cpr_number_is_refused_with_the_visible_citizen_to_link_to(
    pilot, kontanthjaelp
):
    eksisterende = _opret(pilot.sagsbehandler, kontanthjaelp)
    with pytest.raises(CprFindesAlleredeError) as fejl:
        # The same number without the dash is the same number.
        _opret(pilot.sagsbehandler, kontanthjaelp, cpr_nummer="0101901234", fornavn="Dublet")
    assert fejl.value.message_dict == {
        "cpr": ["Der findes allerede en borger med dette CPR-nummer."]
    }
    assert fejl.value.synlig_borger == eksisterende
    assert Borger.objects.count() == 1


def test_a_duplicate_cpr_at_another_jobcenter_is_refused_without_revealing_the_citizen(
    pilot, kontanthjaelp
):
    _opret(pilot.sagsbehandler, kontanthjaelp)
    with pytest.raises(CprFindesAlleredeError) as fejl:
        _opret(pilot.fremmed, kontanthjaelp)
    assert fejl.value.messages == ["Der findes allerede en borger med dette CPR-nummer."]
    assert fejl.value.synlig_borger is None
    assert Borger.objects.count() == 1


def test_a_duplicate_registered_at_the_same_moment_gives_the_same_danish_error(
    pilot, kontanthjaelp
):
    eksisterende = _opret(pilot.sagsbehandler, kontanthjaelp)
    # The race: another request inserts the number between our check and our insert, so the
    # check finds nothing and the database's unique index refuses the insert.
    efter_kapploebet = [None, eksisterende]
    with (
        mock.patch.object(services, "_dublet", side_effect=efter_kapploebet) as dublet,
        pytest.raises(CprFindesAlleredeError) as fejl,
    ):
        _opret(pilot.sagsbehandler, kontanthjaelp)
    assert dublet.call_count == 2
    assert fejl.value.synlig_borger == eksisterende
    assert Borger.objects.count() == 1


def test_the_cpr_number_cannot_be_passed_as_an_ordinary_field(pilot, kontanthjaelp):
    with pytest.raises(TypeError):
        _opret(pilot.sagsbehandler, kontanthjaelp, cpr_indeks=cpr.blindindeks("0101901111"))
    assert not Borger.objects.exists()


def test_a_user_without_an_organisation_cannot_register_citizens(kontanthjaelp):
    bruger = BrugerFactory(organisation=None)
    with pytest.raises(ValidationError) as fejl:
        _opret(bruger, kontanthjaelp)
    assert fejl.value.messages == ["Din bruger er ikke knyttet til en organisation."]
    assert not Borger.objects.exists()
