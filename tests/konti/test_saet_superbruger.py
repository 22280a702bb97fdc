"""`manage.py saet_superbruger`: the only way to make a superuser, with a reason, logged."""

import pytest
from django.core.management import CommandError, call_command

from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import BrugerFactory

BEGRUNDELSE = "Driftsopgave: opgradering af databasen, sag 2026-117"


def _superbrugerlog():
    return AdgangsLog.objects.filter(handling=AdgangsLog.Handling.SUPERBRUGER)


def test_the_command_makes_a_superuser_logs_the_reason_and_tells_every_administrator(pilot):
    anden_admin = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.ADMINISTRATOR)

    call_command("saet_superbruger", "sagsbehandler", begrundelse=BEGRUNDELSE)

    assert Bruger.objects.get(pk=pilot.sagsbehandler.pk).is_superuser
    log = _superbrugerlog().get()
    assert log.objekt_id == str(pilot.sagsbehandler.pk)
    assert log.kriterier["begrundelse"] == BEGRUNDELSE
    assert log.kriterier["is_superuser_efter"] is True
    assert log.kriterier["udfoert_af"].startswith("manage.py saet_superbruger")
    modtagere = set(
        Notifikation.objects.filter(haendelse=Haendelse.ROLLE_TILDELT).values_list(
            "modtager", flat=True
        )
    )
    assert modtagere == {pilot.administrator.pk, anden_admin.pk}


def test_the_command_removes_the_flag_and_logs_that_too(pilot):
    superbruger = BrugerFactory(username="drift", is_superuser=True)

    call_command("saet_superbruger", "drift", "--fjern", begrundelse=BEGRUNDELSE)

    assert not Bruger.objects.get(pk=superbruger.pk).is_superuser
    assert _superbrugerlog().get().kriterier["is_superuser_efter"] is False
    assert not Notifikation.objects.filter(haendelse=Haendelse.ROLLE_TILDELT).exists()


def test_the_command_needs_a_real_reason(pilot):
    with pytest.raises(CommandError, match="Begrundelsen skal være på mindst 10 tegn"):
        call_command("saet_superbruger", "sagsbehandler", begrundelse="fordi")

    assert not Bruger.objects.get(pk=pilot.sagsbehandler.pk).is_superuser
    assert not _superbrugerlog().exists()


def test_the_command_refuses_an_unknown_user(pilot):
    with pytest.raises(CommandError, match="Der findes ingen bruger med brugernavnet »ukendt«"):
        call_command("saet_superbruger", "ukendt", begrundelse=BEGRUNDELSE)


def test_the_command_changes_and_logs_nothing_when_nothing_changes(pilot):
    call_command("saet_superbruger", "sagsbehandler", "--fjern", begrundelse=BEGRUNDELSE)

    assert not _superbrugerlog().exists()
