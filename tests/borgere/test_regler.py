"""Who may register and edit a citizen: the rules in borgere/regler.py, enforced by the services."""

import pytest
from django.core.exceptions import PermissionDenied

from borgere import services
from borgere.models import Borger, Forsoergelsesgrundlag


def _felter():
    return {
        "fornavn": "Anna",
        "efternavn": "Jensen",
        "forsoergelsesgrundlag": Forsoergelsesgrundlag.objects.get(navn="Kontanthjælp"),
        "forretningsidee": "Cykelværksted",
    }


def test_course_staff_cannot_register_a_citizen_even_by_calling_the_service(pilot):
    with pytest.raises(PermissionDenied):
        services.borger_opret(bruger=pilot.forloebsmedarbejder, cpr="010190-1234", **_felter())
    assert not Borger.objects.exists()


def test_a_caseworker_registers_a_citizen(pilot):
    borger = services.borger_opret(bruger=pilot.sagsbehandler, cpr="010190-1234", **_felter())
    assert borger.jobcenter == pilot.jobcenter


def test_course_staff_cannot_change_a_citizens_details(sagsdata):
    with pytest.raises(PermissionDenied):
        services.borger_opdater(
            borger=sagsdata.borger,
            bruger=sagsdata.forloebsmedarbejder,
            **(_felter() | {"fornavn": "Ændret"}),
        )
    sagsdata.borger.refresh_from_db()
    assert sagsdata.borger.fornavn == "Anna"
