"""Journal notes: borgere.services.journalnotat_opret, and the notes being append-only."""

import pytest
from django.core.exceptions import ValidationError

from borgere.models import Journalnotat, UforanderligError
from borgere.services import journalnotat_opret
from tests.byg.fabrikker import BorgerFactory, JournalnotatFactory


def test_a_note_is_written_with_its_author(sagsdata):
    notat = journalnotat_opret(
        borger=sagsdata.borger, bruger=sagsdata.forloebsmedarbejder, tekst="  Første møde.  "
    )
    assert notat.forfatter == sagsdata.forloebsmedarbejder
    assert notat.tekst == "Første møde."
    assert notat.retter is None


def test_an_empty_note_is_refused_in_danish_and_nothing_is_saved(sagsdata):
    foer = Journalnotat.objects.count()
    with pytest.raises(ValidationError) as fejl:
        journalnotat_opret(borger=sagsdata.borger, bruger=sagsdata.sagsbehandler, tekst="   ")
    assert fejl.value.message_dict == {"tekst": ["Skriv notatets tekst."]}
    assert Journalnotat.objects.count() == foer


def test_a_correction_is_a_new_note_pointing_at_the_old_one_which_stays_unchanged(sagsdata):
    original = sagsdata.journalnotat
    tekst_foer = original.tekst
    rettelse = journalnotat_opret(
        borger=sagsdata.borger,
        bruger=sagsdata.sagsbehandler,
        tekst="Rettet: mødet var den 3. marts.",
        retter=original,
    )
    original.refresh_from_db()
    assert rettelse.retter == original
    assert list(original.rettelser.all()) == [rettelse]
    assert original.tekst == tekst_foer


def test_a_correction_must_point_at_a_note_of_the_same_citizen(sagsdata):
    andens_notat = JournalnotatFactory(borger=BorgerFactory(jobcenter=sagsdata.jobcenter))
    foer = Journalnotat.objects.count()
    with pytest.raises(ValidationError) as fejl:
        journalnotat_opret(
            borger=sagsdata.borger,
            bruger=sagsdata.sagsbehandler,
            tekst="Rettelse",
            retter=andens_notat,
        )
    assert fejl.value.message_dict == {
        "retter": ["En rettelse skal pege på et notat om den samme borger."]
    }
    assert Journalnotat.objects.count() == foer


def test_a_note_cannot_be_changed(sagsdata):
    notat = sagsdata.journalnotat
    notat.tekst = "Ændret"
    with pytest.raises(UforanderligError):
        notat.save()
    with pytest.raises(UforanderligError):
        Journalnotat.objects.filter(pk=notat.pk).update(tekst="Ændret")
    notat.refresh_from_db()
    assert notat.tekst != "Ændret"


def test_a_note_cannot_be_deleted(sagsdata):
    with pytest.raises(UforanderligError):
        sagsdata.journalnotat.delete()
    with pytest.raises(UforanderligError):
        Journalnotat.objects.filter(pk=sagsdata.journalnotat.pk).delete()
    assert Journalnotat.objects.filter(pk=sagsdata.journalnotat.pk).exists()
