"""The Erhvervschef's journey to the committee's report in a real browser: an admission made in
the same test reaches her dashboard, she narrows the period, and downloads the report as PDF and
XLSX — axe-checked on each page, and with no name in either file."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.byg.sager import henvis, lav_borger, lav_pladsaftale, visiter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _dansk(dato: datetime.date) -> str:
    return dato.strftime("%d.%m.%Y")


def test_the_erhvervschef_sees_todays_admission_and_downloads_the_report(
    pilot, side, log_ind, log_ud, tjek_tilgaengelighed
):
    idag = timezone.localdate()
    aftale = lav_pladsaftale(pilot, antal_pladser=5, navn="Mikrolån Næstved – pilot")
    # Referred and visited; only the jobcenter's signature is missing, which admits her.
    visiter(pilot, henvis(pilot, aftale, lav_borger(pilot, "Sofie", "Holm")))

    log_ind(pilot.sagsbehandler)
    side.get_by_role("link", name="Henvisninger").click()
    side.get_by_role("link", name="Sofie Holm").click()
    side.get_by_role("button", name="Underskriv for Jobcenter Vallensbæk").click()
    expect(side.get_by_text("borgeren er indskrevet")).to_be_visible()
    log_ud()

    log_ind(pilot.erhvervschef)
    expect(side.get_by_role("heading", level=1)).to_contain_text("Velkommen")
    # The default period is the place agreement's (a year back, two ahead), today's admission in it.
    expect(side.get_by_label("Fra og med")).to_have_value(_dansk(aftale.gyldig_fra))
    indskrivninger = side.get_by_role("table", name="Indskrivninger i perioden")
    expect(indskrivninger.get_by_role("row", name=re.compile("Sofie Holm"))).to_contain_text(
        idag.strftime("%d.%m.%Y")
    )
    belaegning = side.get_by_role("table", name="Købte og brugte pladser pr. pladsaftale")
    expect(
        belaegning.get_by_role("row", name=re.compile("Mikrolån Næstved – pilot"))
    ).to_contain_text("5 1 4 0")
    tjek_tilgaengelighed(side)

    # Last month only: the admission drops out.
    forrige = idag.replace(day=1) - datetime.timedelta(days=1)
    side.get_by_label("Fra og med").fill(_dansk(forrige.replace(day=1)))
    side.get_by_label("Til og med").fill(_dansk(forrige))
    side.get_by_role("button", name="Vis periode").click()
    expect(
        side.get_by_role(
            "heading", name=f"Perioden {forrige.replace(day=1):%d.%m.%Y}–{forrige:%d.%m.%Y}"
        )
    ).to_be_visible()
    expect(side.get_by_text("Sofie Holm")).to_have_count(0)

    # This month, and on to the report for it.
    side.get_by_label("Fra og med").fill(_dansk(idag.replace(day=1)))
    side.get_by_label("Til og med").fill(_dansk(idag))
    side.get_by_role("button", name="Vis periode").click()
    expect(indskrivninger.get_by_role("row", name=re.compile("Sofie Holm"))).to_be_visible()
    side.get_by_role("link", name=re.compile("Evalueringsrapport til udvalget")).click()
    expect(side.get_by_role("heading", level=1)).to_contain_text("Evaluering")
    expect(side.get_by_label("Fra og med")).to_have_value(_dansk(idag.replace(day=1)))
    tragt = side.get_by_role("table", name=re.compile("^Tragten"))
    # One admission: a count of one person is shown as "<3" (small-cell suppression).
    expect(tragt.get_by_role("row", name=re.compile("Optaget"))).to_contain_text("<3")
    tjek_tilgaengelighed(side)

    # WeasyPrint takes a second or so; more on a busy CI machine.
    with side.expect_download(timeout=30_000) as pdf_hentning:
        side.get_by_role("link", name="Hent som PDF").click()
    pdf = pdf_hentning.value
    assert pdf.suggested_filename == f"mikrolaan-evaluering-{idag.replace(day=1)}-{idag}.pdf"
    tekst = "\n".join(s.extract_text() for s in PdfReader(pdf.path()).pages)
    assert "Mikrolån Næstved – pilot" in tekst
    assert "<3" in tekst
    assert "Sofie" not in tekst and "Holm" not in tekst

    with side.expect_download(timeout=30_000) as xlsx_hentning:
        side.get_by_role("link", name="Hent som regneark (XLSX)").click()
    xlsx = xlsx_hentning.value
    assert xlsx.suggested_filename.endswith(".xlsx")
    with open(xlsx.path(), "rb") as fil:
        bog = load_workbook(io.BytesIO(fil.read()))
    celler = [str(c) for ark in bog.worksheets for r in ark.iter_rows(values_only=True) for c in r]
    assert "Mikrolån Næstved – pilot" in celler
    assert "<3" in celler
    assert not any("Holm" in c for c in celler)
