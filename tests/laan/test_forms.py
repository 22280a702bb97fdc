"""The loan forms parse Danish input: amounts as Danes write them, with Danish errors, and the
citizen's own documents only."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from borgere.models import Dokument
from laan.forms import AnsoegForm, BeloebField, IndbetalingForm, KontoudtogForm
from tests.byg.fabrikker import BorgerFactory, DokumentFactory

GYLDIG = {
    "ansoeg-beloeb": "12.500",
    "ansoeg-formaal": "Kaffevogn",
    "ansoeg-budget": "Kaffemaskine 12.500 kr.",
    "ansoeg-loebetid": "24",
    "ansoeg-afdragsfri": "2",
}


@pytest.mark.parametrize(
    ("tekst", "beloeb"),
    [
        ("12.500", Decimal("12500.00")),
        ("12.500,00", Decimal("12500.00")),
        ("12500", Decimal("12500.00")),
        ("12,5", Decimal("12.50")),
        (" 1.000 kr. ", Decimal("1000.00")),
        ("50.000,-", Decimal("50000.00")),
    ],
)
def test_an_amount_is_read_the_danish_way(tekst, beloeb):
    renset = BeloebField().clean(tekst)
    assert renset == beloeb
    assert isinstance(renset, Decimal)


@pytest.mark.parametrize("tekst", ["12.50", "tolv tusind", "12,505", "1.2.3", "12 500 500,1,2"])
def test_an_amount_that_is_not_danish_kroner_gets_a_danish_error(tekst):
    felt = BeloebField()
    with pytest.raises(Exception) as fejl:
        felt.clean(tekst)
    assert fejl.value.messages == ["Skriv beløbet i kroner, fx 12.500 eller 12.500,50."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tekst", "gyldig"),
    [("999,99", False), ("1.000", True), ("50.000", True), ("50.000,01", False)],
)
def test_the_application_form_keeps_the_loan_between_1000_and_50000_kroner(tekst, gyldig):
    borger = BorgerFactory()
    form = AnsoegForm(GYLDIG | {"ansoeg-beloeb": tekst}, borger_id=borger.pk)
    assert form.is_valid() is gyldig
    if not gyldig:
        assert form.errors["beloeb"] == ["Et mikrolån skal være mellem 1.000 kr. og 50.000 kr."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("felt", "vaerdi", "fejl"),
    [
        ("loebetid", "0", "Løbetiden skal være 1-60 måneder."),
        ("loebetid", "61", "Løbetiden skal være 1-60 måneder."),
        ("afdragsfri", "13", "Der kan højst være 12 afdragsfrie måneder."),
        ("afdragsfri", "-1", "Der kan højst være 12 afdragsfrie måneder."),
        ("formaal", "", "Skriv, hvad lånet skal bruges til."),
        ("beloeb", "", "Skriv lånets beløb."),
    ],
)
def test_the_terms_are_checked_with_danish_errors(felt, vaerdi, fejl):
    form = AnsoegForm(GYLDIG | {f"ansoeg-{felt}": vaerdi}, borger_id=BorgerFactory().pk)
    assert not form.is_valid()
    assert form.errors[felt] == [fejl]


@pytest.mark.django_db
def test_only_the_citizens_own_documents_of_the_right_type_can_be_chosen(pilot):
    borger, anden = BorgerFactory(), BorgerFactory()
    plan = DokumentFactory(
        borger=borger, type=Dokument.Type.FORRETNINGSPLAN, uploadet_af=pilot.sagsbehandler
    )
    budget = DokumentFactory(
        borger=borger, type=Dokument.Type.BUDGET, uploadet_af=pilot.sagsbehandler
    )
    andens = DokumentFactory(
        borger=anden, type=Dokument.Type.FORRETNINGSPLAN, uploadet_af=pilot.sagsbehandler
    )

    form = AnsoegForm(
        GYLDIG | {"ansoeg-forretningsplan": plan.pk, "ansoeg-budgetdokument": budget.pk},
        borger_id=borger.pk,
        dokumenter=[plan, budget],
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["forretningsplan"] == plan
    assert [v for v, _ in form.fields["forretningsplan"].choices] == ["", plan.pk]
    assert [v for v, _ in form.fields["budgetdokument"].choices] == ["", budget.pk]

    for felt, dokument in (("forretningsplan", andens), ("budgetdokument", plan)):
        form = AnsoegForm(GYLDIG | {f"ansoeg-{felt}": dokument.pk}, borger_id=borger.pk)
        assert not form.is_valid()
        assert felt in form.errors


def test_a_payment_must_be_a_positive_amount():
    form = IndbetalingForm({"dato": "2026-11-27", "beloeb": "0", "reference": ""})
    assert not form.is_valid()
    assert form.errors["beloeb"] == ["Beløbet skal være større end 0 kr."]
    form = IndbetalingForm({"dato": "27.11.2026", "beloeb": "1.250,50", "reference": "x"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["beloeb"] == Decimal("1250.50")


@pytest.mark.parametrize("kodning", ["utf-8", "utf-8-sig", "cp1252"])
def test_a_bank_statement_is_read_in_the_encodings_danish_banks_use(kodning):
    tekst = "Dato;Beløb;Tekst\n27.11.2026;1.250,00;Mikrolån 00000018\n"
    fil = SimpleUploadedFile("konto.csv", tekst.encode(kodning), content_type="text/csv")
    form = KontoudtogForm({}, {"fil": fil})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["fil"] == tekst


def test_a_binary_file_is_not_a_bank_statement():
    fil = SimpleUploadedFile("konto.csv", b"PK\x03\x04\x00\x00", content_type="text/csv")
    form = KontoudtogForm({}, {"fil": fil})
    assert not form.is_valid()
    assert form.errors["fil"] == ["Filen kan ikke læses som tekst. Gem kontoudtoget som CSV."]
