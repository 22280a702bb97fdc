"""CPR numbers in free text: the detector (borgere.cpr), the model layer (borgere.fritekst) and
the change history (django-auditlog)."""

import datetime
import json
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.db import models
from hypothesis import given
from hypothesis import strategies as st

from borgere import services
from borgere.cpr import find_cpr_i_tekst, masker_cpr_i_tekst
from borgere.fritekst import FritekstModel
from borgere.models import Borger, Journalnotat

CPR_APPS = ("borgere", "visitation", "forloeb", "laan")

# Text fields of the case apps that hold no prose, so no CPR number can hide in them.
IKKE_FRITEKST = {
    "borgere.Borger": {
        "fornavn",
        "efternavn",
        "soegenavn",  # derived from the names
        "cpr_krypteret",  # the CPR number, encrypted
        "cpr_indeks",  # its keyed hash
        "adresse",
        "postnummer",
        "by",
        "telefon",
        "email",
    },
    "borgere.Forsoergelsesgrundlag": {"navn"},  # administrator's table of categories
    "borgere.Dokument": {"filnavn", "indholdstype"},  # filnavn: CPR digits removed on upload
    "visitation.Pladsaftale": {"navn"},  # an agreement between organisations
    "forloeb.Udskrivning": {"cvr"},  # 8 digits, validated
    "forloeb.Kalenderlink": {"token_hash"},  # hex SHA-256 of the calendar token
    "laan.Laan": {"reference"},  # payment reference the system generates
    "laan.Indbetaling": {"reference", "importnoegle"},  # bank's reference, matched on import
}

NUMMER = "010190-1234"
TEKST = f"Borgeren oplyste {NUMMER} ved mødet."
MASKERET = "Borgeren oplyste 010190-xxxx ved mødet."


# --- the detector -----------------------------------------------------------------------------


def _foedselsdatoer():
    # A serial number starting 0-3 puts the birth year in the 1900s (stdnum.dk.cpr's rules).
    return st.tuples(
        st.dates(datetime.date(1900, 1, 1), datetime.date(1999, 12, 31)),
        st.integers(0, 3999),
    )


def _ikke_ciffer_tekst():
    return st.text(st.characters(blacklist_categories=["Nd", "Cs"]), max_size=20)


@given(
    _foedselsdatoer(), st.sampled_from(["", "-", " "]), _ikke_ciffer_tekst(), _ikke_ciffer_tekst()
)
def test_a_valid_cpr_number_is_found_with_or_without_a_dash(dato_loebenr, skille, foer, efter):
    dato, loebenummer = dato_loebenr
    nummer = f"{dato:%d%m%y}{skille}{loebenummer:04d}"
    tekst = f"{foer}{nummer}{efter}"

    assert find_cpr_i_tekst(tekst) == [(len(foer), len(foer) + len(nummer))]
    maskeret = masker_cpr_i_tekst(tekst)
    assert maskeret == f"{foer}{dato:%d%m%y}-xxxx{efter}"
    assert find_cpr_i_tekst(maskeret) == []


@given(
    st.integers(32, 99) | st.just(0),
    st.integers(1, 12),
    st.integers(0, 99),
    st.integers(0, 9999),
)
def test_a_day_that_does_not_exist_is_not_a_cpr_number(dag, maaned, aar, loebenummer):
    tekst = f"Fakturanr. {dag:02d}{maaned:02d}{aar:02d}-{loebenummer:04d}"
    assert find_cpr_i_tekst(tekst) == []
    assert masker_cpr_i_tekst(tekst) == tekst


@given(st.integers(1, 28), st.integers(13, 99) | st.just(0), st.integers(0, 99))
def test_a_month_that_does_not_exist_is_not_a_cpr_number(dag, maaned, aar):
    assert find_cpr_i_tekst(f"{dag:02d}{maaned:02d}{aar:02d}1234") == []


@given(_foedselsdatoer(), st.text("0123456789", min_size=1, max_size=5), st.booleans())
def test_a_cpr_number_inside_a_longer_run_of_digits_is_not_found(dato_loebenr, ekstra, foran):
    dato, loebenummer = dato_loebenr
    cifre = f"{dato:%d%m%y}{loebenummer:04d}"
    tekst = f"Konto {ekstra + cifre if foran else cifre + ekstra}."
    start = len("Konto ") + (len(ekstra) if foran else 0)

    fund = find_cpr_i_tekst(tekst)
    assert (start, start + 10) not in fund
    # Whatever is found (a run may hold another valid date) is never part of a longer run.
    for fra, til in fund:
        assert not tekst[fra - 1].isdigit() and not tekst[til].isdigit()


def test_29_february_is_a_date_only_in_leap_years():
    assert find_cpr_i_tekst("290288-1234") == [(0, 11)]  # 1988
    assert find_cpr_i_tekst("290289-1234") == []  # 1989


def test_the_serial_number_decides_the_century():
    # 29.02.00 exists in 2000 (serial 4xxx with year ≤ 36) and in 1900 not at all.
    assert find_cpr_i_tekst("290200-4123") == [(0, 11)]
    assert find_cpr_i_tekst("290200-1123") == []


def test_masking_keeps_the_rest_of_the_text_and_every_number():
    tekst = "Se 010190-1234 og 0202021234; ikke 12345678 eller 3213901234."
    assert masker_cpr_i_tekst(tekst) == (
        "Se 010190-xxxx og 020202-xxxx; ikke 12345678 eller 3213901234."
    )


# --- the model layer --------------------------------------------------------------------------


def _tekstfelter(model) -> set[str]:
    return {
        felt.name
        for felt in model._meta.get_fields()
        if isinstance(felt, models.CharField | models.TextField)
        and not felt.choices
        and felt.concrete
    }


def test_every_free_text_field_of_the_case_apps_is_masked_on_save():
    udeladt = []
    for app in CPR_APPS:
        for model in apps.get_app_config(app).get_models():
            navn = f"{app}.{model.__name__}"
            maskerede = set(getattr(model, "CPR_FRITEKST", ()))
            assert not maskerede or issubclass(model, FritekstModel), navn
            rest = _tekstfelter(model) - maskerede - IKKE_FRITEKST.get(navn, set())
            udeladt += [f"{navn}.{felt}" for felt in sorted(rest)]
    assert udeladt == [], "Add these to the model's CPR_FRITEKST or to IKKE_FRITEKST (why)"


def _modeller_med_fritekst():
    return [
        model
        for app in CPR_APPS
        for model in apps.get_app_config(app).get_models()
        if getattr(model, "CPR_FRITEKST", ())
    ]


@pytest.mark.parametrize("model", _modeller_med_fritekst(), ids=lambda m: m.__name__)
def test_save_masks_each_free_text_field_before_the_row_is_written(model):
    objekt = model()
    for navn in model.CPR_FRITEKST:
        setattr(objekt, navn, TEKST)
    skrevet = {}

    def gem(selv, *args, **kwargs):
        skrevet.update({navn: getattr(selv, navn) for navn in model.CPR_FRITEKST})

    # Model.save is where the row is written; what it receives is what the database would hold.
    with mock.patch.object(models.Model, "save", gem):
        objekt.save()
    assert skrevet == dict.fromkeys(model.CPR_FRITEKST, MASKERET)


def _historik(objekt) -> list[str]:
    return [
        json.dumps(post.changes, ensure_ascii=False) + post.changes_text
        for post in LogEntry.objects.get_for_object(objekt)
    ]


def test_a_journal_note_written_past_the_form_is_saved_and_logged_masked(sagsdata):
    notat = services.journalnotat_opret(
        borger=sagsdata.borger, bruger=sagsdata.sagsbehandler, tekst=TEKST
    )

    assert Journalnotat.objects.get(pk=notat.pk).tekst == MASKERET
    historik = _historik(notat)
    assert historik and all("1234" not in post for post in historik)
    assert any("010190-xxxx" in post for post in historik)


def test_a_business_idea_changed_past_the_form_is_saved_and_logged_masked(sagsdata):
    borger = sagsdata.borger
    services.borger_opdater(
        borger=borger, bruger=sagsdata.sagsbehandler, forretningsidee=f"Café, ejer {NUMMER}"
    )

    assert Borger.objects.get(pk=borger.pk).forretningsidee == "Café, ejer 010190-xxxx"
    historik = _historik(borger)
    assert all("1234" not in post for post in historik)
    assert any("Café, ejer 010190-xxxx" in post for post in historik)
