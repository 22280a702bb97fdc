"""Writing and correcting journal notes (borgere:notat_opret, borgere:notat_ret)."""

import pytest
from django.urls import reverse

from borgere.models import Journalnotat
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import BorgerFactory, JournalnotatFactory


def _opret_url(borger):
    return reverse("borgere:notat_opret", args=[borger.pk])


def _ret_url(borger, notat):
    return reverse("borgere:notat_ret", args=[borger.pk, notat.pk])


@pytest.mark.parametrize("rolle", ["sagsbehandler", "forloebsmedarbejder"])
def test_both_case_roles_write_notes(sagsdata, klient, rolle):
    bruger = getattr(sagsdata, rolle)
    svar = klient(bruger).post(_opret_url(sagsdata.borger), {"tekst": "Møde om budgettet."})

    assert svar.status_code == 302
    assert svar["Location"].endswith("#journal")
    notat = Journalnotat.objects.get(tekst="Møde om budgettet.")
    assert notat.borger == sagsdata.borger and notat.forfatter == bruger


def test_an_empty_note_gives_a_danish_error_and_saves_nothing(sagsdata, klient):
    foer = Journalnotat.objects.count()
    svar = klient(sagsdata.sagsbehandler).post(_opret_url(sagsdata.borger), {"tekst": "  "})
    assert svar.status_code == 200
    assert svar.context["notat_form"].errors == {"tekst": ["Skriv notatets tekst."]}
    assert "Journalnotatet blev ikke gemt" in svar.content.decode()
    assert Journalnotat.objects.count() == foer


def test_users_outside_the_case_cannot_write_notes(sagsdata, klient):
    foer = Journalnotat.objects.count()
    for bruger in (sagsdata.fremmed, sagsdata.erhvervschef, sagsdata.administrator):
        svar = klient(bruger).post(_opret_url(sagsdata.borger), {"tekst": "Indtrængen"})
        assert svar.status_code == 404
    assert Journalnotat.objects.count() == foer


def test_the_correction_form_shows_the_original_and_starts_from_its_text(sagsdata, klient):
    svar = klient(sagsdata.forloebsmedarbejder).get(
        _ret_url(sagsdata.borger, sagsdata.journalnotat)
    )
    assert svar.status_code == 200
    assert svar.context["form"].initial == {"tekst": sagsdata.journalnotat.tekst}
    assert AdgangsLog.objects.get().handling == AdgangsLog.Handling.VIS


def test_a_correction_is_saved_as_a_new_note_and_the_original_stays(sagsdata, klient):
    original = sagsdata.journalnotat
    tekst_foer = original.tekst

    svar = klient(sagsdata.sagsbehandler).post(
        _ret_url(sagsdata.borger, original), {"tekst": "Den rigtige dato er 3. marts."}
    )

    rettelse = Journalnotat.objects.get(retter=original)
    assert svar.status_code == 302
    assert svar["Location"].endswith(f"#notat-{rettelse.pk}")
    assert rettelse.tekst == "Den rigtige dato er 3. marts."
    assert rettelse.forfatter == sagsdata.sagsbehandler
    original.refresh_from_db()
    assert original.tekst == tekst_foer


def test_an_empty_correction_gives_a_danish_error_and_saves_nothing(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).post(
        _ret_url(sagsdata.borger, sagsdata.journalnotat), {"tekst": ""}
    )
    assert svar.context["form"].errors == {"tekst": ["Skriv notatets tekst."]}
    assert not Journalnotat.objects.filter(retter=sagsdata.journalnotat).exists()


def test_a_note_of_another_citizen_cannot_be_corrected_through_this_citizen(sagsdata, klient):
    anden = BorgerFactory(jobcenter=sagsdata.jobcenter, oprettet_af=sagsdata.sagsbehandler)
    andens_notat = JournalnotatFactory(borger=anden, forfatter=sagsdata.sagsbehandler)
    svar = klient(sagsdata.sagsbehandler).post(
        _ret_url(sagsdata.borger, andens_notat), {"tekst": "Rettelse"}
    )
    assert svar.status_code == 404
    assert not Journalnotat.objects.filter(retter=andens_notat).exists()


@pytest.mark.parametrize("rolle", ["fremmed", "erhvervschef", "administrator"])
def test_users_outside_the_case_cannot_correct_notes(sagsdata, klient, rolle):
    url = _ret_url(sagsdata.borger, sagsdata.journalnotat)
    assert klient(getattr(sagsdata, rolle)).get(url).status_code == 404
    assert klient(getattr(sagsdata, rolle)).post(url, {"tekst": "x"}).status_code == 404
    assert not Journalnotat.objects.filter(retter=sagsdata.journalnotat).exists()
