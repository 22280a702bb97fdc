"""The loan agreement (gældsbrev): a tagged Danish PDF with the amount, the plan and the parties,
for the people on the case only, access-logged, never cached."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from laan.models import Laan
from mikrolaan.konti.models import Organisation, Rolle
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.laan import ansoegt_laan, bevilget_laan, forloeb_i_hovedforloeb, udbetalt_laan

pytestmark = pytest.mark.django_db

D = datetime.date


def url(laan: Laan) -> str:
    return reverse("laan:gaeldsbrev", args=[laan.pk])


def pdf(svar) -> PdfReader:
    assert svar.status_code == 200, svar.status_code
    assert svar["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(svar.content))


def tekst(laeser: PdfReader) -> str:
    # Extracted text breaks lines where the layout does; one space between words is enough here.
    return " ".join(" ".join(side.extract_text().split()) for side in laeser.pages)


@pytest.fixture
def forloeb(pilot):
    return forloeb_i_hovedforloeb(pilot, fornavn="Sofie", efternavn="Holm")


@pytest.fixture
def laan(pilot, forloeb):
    """12.500 kr. over 12 months, paid out on 24 July 2026: the 24 December instalment (Christmas
    Eve, the banks are closed) falls on 28 December, after the Christmas days and a Sunday."""
    return udbetalt_laan(
        pilot, forloeb, Decimal("12500.00"), dato=D(2026, 7, 24), loebetid=12, afdragsfri=0
    )


def test_the_agreement_holds_the_amount_the_parties_and_every_due_date(pilot, laan, klient):
    indhold = tekst(pdf(klient(pilot.forloebsmedarbejder).get(url(laan))))

    assert "Gældsbrev" in indhold
    assert "12.500 kr." in indhold
    forfald = [a.forfald for a in laan.afdrag.order_by("nummer")]
    assert len(forfald) == 12
    for dato in forfald:
        assert f"{dato:%d.%m.%Y}" in indhold
    # The instalments: 11 × 1.041 kr. and the remainder on the last (12.500 − 11.451 = 1.049).
    assert "1.041 kr." in indhold and "1.049 kr." in indhold
    # Moved to the next banking day: the 24th of December is not one.
    assert "28.12.2026" in indhold and "24.12.2026" not in indhold
    assert laan.reference in indhold
    assert "Sofie Holm" in indhold and "Næstved Kommune" in indhold
    assert "rentefrit" in indhold
    assert "24.07.2026" in indhold  # the disbursement date


def test_the_agreement_is_danish_also_for_a_user_who_reads_the_app_in_english(pilot, laan, klient):
    bruger = klient(pilot.forloebsmedarbejder)
    bruger.post(reverse("set_language"), {"language": "en", "next": "/"})

    indhold = tekst(pdf(bruger.get(url(laan))))

    assert "Gældsbrev" in indhold and "rentefrit" in indhold
    assert "12.500 kr." in indhold and "28.12.2026" in indhold


def test_the_agreement_has_no_cpr_number_not_even_masked(pilot, laan, klient):
    borger = laan.forloeb.borger
    indhold = tekst(pdf(klient(pilot.sagsbehandler).get(url(laan))))

    assert borger.cpr[:6] not in indhold.replace("-", "")
    assert borger.cpr_maskeret not in indhold


def test_the_pdf_is_tagged_pdf_ua_in_danish_with_a_title(pilot, laan, klient):
    laeser = pdf(klient(pilot.forloebsmedarbejder).get(url(laan)))
    katalog = laeser.trailer["/Root"]

    assert "/StructTreeRoot" in katalog
    assert katalog["/MarkInfo"]["/Marked"].value is True
    assert katalog["/Lang"] == "da"
    # The viewer shows the title, not the file name (PDF/UA).
    assert katalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert laeser.metadata.title == f"Gældsbrev for mikrolån nr. {laan.pk}"
    # PDF/UA-1 is declared in the XMP metadata.
    xmp = laeser.xmp_metadata
    assert xmp is not None
    assert re.search(rb"pdfuaid:part[^0-9]*1", xmp.stream.get_data())


def test_the_download_is_named_by_the_reference_never_cached_and_logged_as_an_export(
    pilot, laan, klient
):
    svar = klient(pilot.sagsbehandler).get(url(laan))

    assert svar.status_code == 200
    assert svar["Content-Disposition"] == f'inline; filename="gaeldsbrev-{laan.reference}.pdf"'
    assert "Holm" not in svar["Content-Disposition"]
    assert "no-store" in svar["Cache-Control"]
    log = AdgangsLog.objects.get(bruger=pilot.sagsbehandler)
    assert log.handling == AdgangsLog.Handling.EKSPORT
    assert log.objekt_id == str(laan.pk)
    assert log.kriterier == {"dokument": "gaeldsbrev"}


def test_a_granted_loan_not_yet_paid_out_has_an_agreement_without_a_plan(pilot, forloeb, klient):
    laan = bevilget_laan(pilot, forloeb, Decimal("8000.00"))

    svar = klient(pilot.forloebsmedarbejder).get(url(laan))
    indhold = tekst(pdf(svar))

    assert "8.000 kr." in indhold
    assert "Afdragsplanen laves, når lånet udbetales" in indhold
    assert svar["Content-Disposition"] == f'inline; filename="gaeldsbrev-{laan.pk}.pdf"'


def test_a_loan_that_is_only_applied_for_has_no_agreement(pilot, forloeb, klient):
    laan = ansoegt_laan(pilot, forloeb)

    assert klient(pilot.forloebsmedarbejder).get(url(laan)).status_code == 404
    assert not AdgangsLog.objects.exists()


@pytest.mark.parametrize("bruger", ["fremmed", "erhvervschef", "administrator"])
def test_the_agreement_does_not_exist_outside_the_case(pilot, laan, klient, bruger):
    svar = klient(getattr(pilot, bruger)).get(url(laan))

    assert svar.status_code == 404
    assert not AdgangsLog.objects.exists()


def test_course_staff_of_another_provider_get_404(pilot, laan, klient):
    koege = OrganisationFactory(navn="Køge Kommune", type=Organisation.Type.KOMMUNE)
    medarbejder = BrugerFactory(organisation=koege, rolle=Rolle.FORLOEBSMEDARBEJDER)

    assert klient(medarbejder).get(url(laan)).status_code == 404


@pytest.mark.parametrize("loebetid", [3, 24])
def test_the_agreement_takes_the_same_number_of_queries_however_long_the_plan(
    pilot, forloeb, klient, django_assert_num_queries, loebetid
):
    laan = udbetalt_laan(pilot, forloeb, Decimal("12500.00"), loebetid=loebetid, afdragsfri=0)
    medarbejder = klient(pilot.forloebsmedarbejder)
    medarbejder.get(url(laan))  # warm caches (content types)
    # 1 session, 2 user, 3 the user's roles, 4 the loan (scoped, granted or later) with its
    # programme, citizen, agreement and provider, 5 the instalments, 6 access log insert.
    with django_assert_num_queries(6):
        svar = medarbejder.get(url(laan))
    indhold = tekst(pdf(svar))
    assert all(f"{a.forfald:%d.%m.%Y}" in indhold for a in laan.afdrag.all())
