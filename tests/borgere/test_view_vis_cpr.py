"""Revealing the CPR number on a citizen's page (borgere:vis_cpr): POST only, access-logged."""

import pytest
from django.urls import reverse

from mikrolaan.revision.models import AdgangsLog

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(sagsdata):
    return reverse("borgere:vis_cpr", args=[sagsdata.borger.pk])


def _med_streg(borger):
    return f"{borger.cpr[:6]}-{borger.cpr[6:]}"


@pytest.mark.parametrize("rolle", ["sagsbehandler", "forloebsmedarbejder"])
def test_vis_cpr_returns_the_number_and_logs_the_reveal(sagsdata, klient, rolle):
    bruger = getattr(sagsdata, rolle)
    svar = klient(bruger).post(_url(sagsdata), **HTMX)

    html = svar.content.decode()
    assert svar.status_code == 200
    assert _med_streg(sagsdata.borger) in html
    assert "<html" not in html  # only the swapped fragment
    assert "no-store" in svar["Cache-Control"]
    log = AdgangsLog.objects.get()
    assert log.handling == AdgangsLog.Handling.VIS_CPR
    assert log.bruger == bruger
    assert log.objekt_id == str(sagsdata.borger.pk)


def test_without_javascript_the_page_is_shown_with_the_number(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).post(_url(sagsdata))
    html = svar.content.decode()
    assert "<html" in html and _med_streg(sagsdata.borger) in html
    assert {log.handling for log in AdgangsLog.objects.all()} == {
        AdgangsLog.Handling.VIS_CPR,
        AdgangsLog.Handling.VIS,
    }


def test_a_get_cannot_reveal_the_number(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).get(_url(sagsdata))
    assert svar.status_code == 405
    assert not AdgangsLog.objects.exists()


@pytest.mark.parametrize("rolle", ["fremmed", "erhvervschef", "administrator"])
def test_users_outside_the_case_get_404_and_no_number(sagsdata, klient, rolle):
    svar = klient(getattr(sagsdata, rolle)).post(_url(sagsdata), **HTMX)
    assert svar.status_code == 404
    assert _med_streg(sagsdata.borger) not in svar.content.decode()
    assert not AdgangsLog.objects.exists()
