"""Editing a citizen (borgere:rediger): caseworkers only; the CPR number cannot be changed."""

from django.urls import reverse

from borgere.models import Forsoergelsesgrundlag
from mikrolaan.revision.models import AdgangsLog


def _url(sagsdata):
    return reverse("borgere:rediger", args=[sagsdata.borger.pk])


def _data(sagsdata, **aendringer):
    borger = sagsdata.borger
    return {
        "fornavn": borger.fornavn,
        "efternavn": borger.efternavn,
        "adresse": borger.adresse,
        "postnummer": borger.postnummer,
        "by": borger.by,
        "telefon": borger.telefon,
        "email": borger.email,
        "forsoergelsesgrundlag": borger.forsoergelsesgrundlag_id,
        "forretningsidee": borger.forretningsidee,
        **aendringer,
    }


def test_the_form_has_no_cpr_field_and_its_opening_is_logged(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).get(_url(sagsdata))
    assert "cpr" not in svar.context["form"].fields
    assert sagsdata.borger.cpr not in svar.content.decode()
    assert sagsdata.borger.cpr_maskeret in svar.content.decode()
    assert AdgangsLog.objects.get().handling == AdgangsLog.Handling.VIS


def test_a_caseworker_changes_the_address_and_means_of_support(sagsdata, klient):
    dagpenge = Forsoergelsesgrundlag.objects.get(navn="Dagpenge")
    cpr_foer = sagsdata.borger.cpr_krypteret

    svar = klient(sagsdata.sagsbehandler).post(
        _url(sagsdata),
        _data(
            sagsdata,
            adresse="Torvet 2",
            postnummer="4700",
            forsoergelsesgrundlag=dagpenge.pk,
            cpr="020202-2222",  # not a field of the form: ignored
        ),
    )

    assert svar.status_code == 302
    sagsdata.borger.refresh_from_db()
    assert sagsdata.borger.adresse == "Torvet 2"
    assert sagsdata.borger.forsoergelsesgrundlag == dagpenge
    assert sagsdata.borger.cpr_krypteret == cpr_foer


def test_bad_input_gives_a_danish_error_and_saves_nothing(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).post(
        _url(sagsdata), _data(sagsdata, efternavn="", postnummer="abcd")
    )
    assert svar.status_code == 200
    assert svar.context["form"].errors == {
        "efternavn": ["Dette felt er påkrævet."],
        "postnummer": ["Et postnummer har 4 cifre."],
    }
    sagsdata.borger.refresh_from_db()
    assert sagsdata.borger.efternavn == "Testesen"


def test_course_staff_see_the_citizen_but_may_not_edit(sagsdata, klient):
    forloeb = klient(sagsdata.forloebsmedarbejder)
    assert forloeb.get(_url(sagsdata)).status_code == 403
    assert forloeb.post(_url(sagsdata), _data(sagsdata, efternavn="Ændret")).status_code == 403
    sagsdata.borger.refresh_from_db()
    assert sagsdata.borger.efternavn == "Testesen"


def test_users_outside_the_case_get_404(sagsdata, klient):
    for bruger in (sagsdata.fremmed, sagsdata.erhvervschef, sagsdata.administrator):
        assert klient(bruger).post(_url(sagsdata), _data(sagsdata)).status_code == 404
    assert not AdgangsLog.objects.exists()
