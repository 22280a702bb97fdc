"""CPR numbers in the free-text fields of every form (borgere.fritekst.FritekstForm): refused with
a Danish message and a "Det er ikke et CPR-nummer" box; confirmed, saved masked."""

import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from borgere.forms import BorgerForm, JournalnotatForm
from borgere.fritekst import FritekstFelt
from borgere.models import Borger, Journalnotat
from forloeb import forms as forloeb_forms
from forloeb.aktiviteter import forms as aktivitet_forms
from forloeb.models import Opfoelgning
from laan import forms as laan_forms
from mikrolaan.konti.models import Bruger
from tests.byg.fabrikker import AktivitetFactory
from visitation import forms as visitation_forms

NUMMER = "010190-1234"
TEKST = f"Borgeren oplyste {NUMMER} ved mødet."
MASKERET = "Borgeren oplyste 010190-xxxx ved mødet."
FEJL = (
    "Teksten ser ud til at indeholde et CPR-nummer (010190-xxxx). Fjern det, eller sæt hak i "
    "»Det er ikke et CPR-nummer«; så gemmes tallet med de sidste fire cifre skjult."
)

# Every form with free text, how to build it, and its free-text fields.
FORMULARER = {
    "BorgerForm": (BorgerForm, lambda p: {}, {"forretningsidee"}),
    "JournalnotatForm": (JournalnotatForm, lambda p: {}, {"tekst"}),
    "HenvisningForm": (
        visitation_forms.HenvisningForm,
        lambda p: {"bruger": p.sagsbehandler},
        {"forretningsidee", "motivation", "vurdering"},
    ),
    "VisitationForm": (
        visitation_forms.VisitationForm,
        lambda p: {},
        {
            "deltagere",
            "kan_gennemfoere_note",
            "motivation_note",
            "forretningsidee_note",
            "personlige_forhold_note",
            "oekonomiske_forhold_note",
            "afvisningsgrund",
        },
    ),
    "visitation.RettelseForm": (
        visitation_forms.RettelseForm,
        lambda p: {"prefix": "ret"},
        {"begrundelse"},
    ),
    "FjernFraVentelisteForm": (
        visitation_forms.FjernFraVentelisteForm,
        lambda p: {"prefix": "fjern"},
        {"begrundelse"},
    ),
    "visitation.OmfordelForm": (
        visitation_forms.OmfordelForm,
        lambda p: {"prefix": "omfordel", "modtagere": Bruger.objects.none()},
        {"begrundelse"},
    ),
    "OvergangForm": (forloeb_forms.OvergangForm, lambda p: {}, {"anbefaling", "begrundelse"}),
    "ForlaengForm": (forloeb_forms.ForlaengForm, lambda p: {}, {"begrundelse"}),
    "UdskrivForm": (forloeb_forms.UdskrivForm, lambda p: {}, {"note"}),
    "OpfoelgningForm": (
        forloeb_forms.OpfoelgningForm,
        lambda p: {"opfoelgning": Opfoelgning(pk=1)},
        {"note"},
    ),
    "forloeb.RettelseForm": (forloeb_forms.RettelseForm, lambda p: {}, {"begrundelse"}),
    "forloeb.OmfordelForm": (
        forloeb_forms.OmfordelForm,
        lambda p: {"medarbejdere": Bruger.objects.none()},
        {"begrundelse"},
    ),
    "AktivitetForm": (
        aktivitet_forms.AktivitetForm,
        lambda p: {"bruger": p.forloebsmedarbejder},
        {"sted", "beskrivelse"},
    ),
    "AktivitetRetForm": (
        aktivitet_forms.AktivitetRetForm,
        lambda p: {
            "bruger": p.forloebsmedarbejder,
            "aktivitet": AktivitetFactory(medarbejder=p.forloebsmedarbejder),
        },
        {"sted", "beskrivelse", "begrundelse"},
    ),
    "AflysForm": (aktivitet_forms.AflysForm, lambda p: {}, {"begrundelse"}),
    "DeltagelseForm": (aktivitet_forms.DeltagelseForm, lambda p: {}, {"note"}),
    "AnsoegForm": (laan_forms.AnsoegForm, lambda p: {"borger_id": 0}, {"formaal", "budget"}),
    "BegrundelseForm": (laan_forms.BegrundelseForm, lambda p: {}, {"begrundelse"}),
    "TraekTilbageForm": (laan_forms.TraekTilbageForm, lambda p: {}, {"begrundelse"}),
}

FELTER = [(navn, felt) for navn, (_k, _a, felter) in FORMULARER.items() for felt in sorted(felter)]


def _byg(pilot, navn, data=None):
    klasse, argumenter, _felter = FORMULARER[navn]
    return klasse(data, **argumenter(pilot)) if data is not None else klasse(**argumenter(pilot))


@pytest.mark.parametrize("navn", FORMULARER)
def test_each_form_checks_exactly_its_free_text_fields(pilot, navn):
    form = _byg(pilot, navn)
    tjekkede = {felt for felt, f in form.fields.items() if isinstance(f, FritekstFelt)}
    assert tjekkede == FORMULARER[navn][2]


@pytest.mark.parametrize(("navn", "felt"), FELTER)
def test_a_cpr_number_in_a_free_text_field_is_refused_in_danish(pilot, navn, felt):
    prefiks = _byg(pilot, navn).add_prefix(felt)
    form = _byg(pilot, navn, {prefiks: TEKST})

    assert not form.is_valid()
    assert form.errors[felt] == [FEJL]
    html = str(form[felt])
    assert "Det er ikke et CPR-nummer" in html
    assert f'name="{prefiks}_ikke_cpr"' in html


@pytest.mark.parametrize(("navn", "felt"), FELTER)
def test_a_confirmed_number_passes_and_is_masked(pilot, navn, felt):
    prefiks = _byg(pilot, navn).add_prefix(felt)
    form = _byg(pilot, navn, {prefiks: TEKST, f"{prefiks}_ikke_cpr": "1"})
    form.is_valid()

    assert FEJL not in form.errors.get(felt, [])
    assert form.fields[felt].clean(TEKST) == MASKERET
    assert "checked" in str(form[felt])


def test_text_without_a_cpr_number_shows_no_checkbox(pilot):
    form = _byg(
        pilot, "JournalnotatForm", {"tekst": "Møde d. 01.01.1990 kl. 12:34, tlf. 12345678."}
    )
    assert form.is_valid()
    assert "ikke_cpr" not in str(form["tekst"])


# --- through the pages ------------------------------------------------------------------------


def _historik(objekt) -> str:
    return " ".join(
        json.dumps(post.changes, ensure_ascii=False) + post.changes_text
        for post in LogEntry.objects.get_for_object(objekt)
    )


def test_a_journal_note_with_a_cpr_number_is_not_saved_and_asks_for_confirmation(sagsdata, klient):
    foer = Journalnotat.objects.count()
    svar = klient(sagsdata.sagsbehandler).post(
        reverse("borgere:notat_opret", args=[sagsdata.borger.pk]), {"tekst": TEKST}
    )

    assert svar.status_code == 200
    assert svar.context["notat_form"].errors == {"tekst": [FEJL]}
    indhold = svar.content.decode()
    assert "Det er ikke et CPR-nummer" in indhold
    assert Journalnotat.objects.count() == foer


def test_a_confirmed_journal_note_is_saved_and_logged_masked(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).post(
        reverse("borgere:notat_opret", args=[sagsdata.borger.pk]),
        {"tekst": TEKST, "tekst_ikke_cpr": "1"},
    )

    assert svar.status_code == 302
    notat = Journalnotat.objects.get(tekst=MASKERET)
    historik = _historik(notat)
    assert "010190-xxxx" in historik and NUMMER not in historik and "0101901234" not in historik


def _borger_data(borger, **aendringer):
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


def test_a_business_idea_with_a_cpr_number_is_refused_then_saved_masked(sagsdata, klient):
    borger = sagsdata.borger
    foer = borger.forretningsidee
    url = reverse("borgere:rediger", args=[borger.pk])

    svar = klient(sagsdata.sagsbehandler).post(url, _borger_data(borger, forretningsidee=TEKST))
    assert svar.context["form"].errors == {"forretningsidee": [FEJL]}
    assert Borger.objects.get(pk=borger.pk).forretningsidee == foer

    svar = klient(sagsdata.sagsbehandler).post(
        url, _borger_data(borger, forretningsidee=TEKST, forretningsidee_ikke_cpr="on")
    )
    assert svar.status_code == 302
    assert Borger.objects.get(pk=borger.pk).forretningsidee == MASKERET
    assert NUMMER not in _historik(borger)
