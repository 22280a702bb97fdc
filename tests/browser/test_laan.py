"""A microloan in a real browser: course staff apply on the programme page, a caseworker (the
second pair of eyes) approves, course staff disburse and import a bank statement with the first
instalment, and the plan and the balance show it — axe-checked on every page of the journey."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from borgere.models import Dokument
from laan.models import Laan
from tests.byg.fabrikker import DokumentFactory
from tests.byg.laan import forloeb_i_hovedforloeb

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def aabn_laan(side, menu, tjek_tilgaengelighed, navn: str) -> None:
    """From the main menu's loan portfolio (axe-checked) to the citizen's loan, as a user would
    go."""
    menu("Lån")
    expect(side.get_by_role("heading", level=1)).to_have_text("Låneportefølje")
    tjek_tilgaengelighed(side)
    side.get_by_role("table", name="Lån, nyeste ansøgning først").get_by_role(
        "link", name=navn
    ).click()
    expect(side.get_by_role("heading", level=1)).to_have_text(f"Mikrolån til {navn}")


def test_course_staff_apply_a_caseworker_approves_and_a_bank_statement_pays_the_first_instalment(
    pilot, side, log_ind, log_ud, menu, tjek_tilgaengelighed
):
    forloeb = forloeb_i_hovedforloeb(pilot, fornavn="Sofie", efternavn="Holm")
    DokumentFactory(
        borger=forloeb.borger,
        type=Dokument.Type.FORRETNINGSPLAN,
        filnavn="forretningsplan-kaffevogn.pdf",
        uploadet_af=pilot.forloebsmedarbejder,
    )

    # Course staff apply on the programme page, in the loan section htmx loads.
    log_ind(pilot.forloebsmedarbejder)
    side.goto(f"/forloeb/{forloeb.pk}/")
    ansoegning = side.locator("#laan").get_by_text("Søg om mikrolån", exact=True)
    expect(ansoegning).to_be_visible()
    expect(side.locator("#laan")).to_contain_text("Der er ikke søgt om mikrolån i dette forløb.")
    tjek_tilgaengelighed(side)
    ansoegning.click()
    side.get_by_label("Beløb").fill("12.500")
    side.get_by_label("Formål").fill("Kaffevogn til markeder")
    # The text box, not the document choice "Budget (dokument)" (a combobox).
    side.get_by_role("textbox", name="Budget").fill("Kaffemaskine 9.000 kr., vogn 3.500 kr.")
    side.get_by_label("Løbetid (måneder)").fill("12")
    side.get_by_label("Afdragsfrie måneder").fill("0")
    idag = timezone.localdate().strftime("%d.%m.%Y")
    side.get_by_label("Forretningsplan").select_option(
        label=f"forretningsplan-kaffevogn.pdf ({idag})"
    )
    tjek_tilgaengelighed(side)
    side.get_by_role("button", name="Registrer ansøgning").click()
    expect(side.get_by_text("Ansøgningen om 12.500 kr. er registreret.")).to_be_visible()
    expect(side.locator("#laan-status")).to_have_text("Ansøgt")
    expect(side.locator("#naeste-skridt")).to_contain_text("en anden skal godkende den")
    tjek_tilgaengelighed(side)
    log_ud()

    # The caseworker finds it in the portfolio and approves it.
    log_ind(pilot.sagsbehandler)
    aabn_laan(side, menu, tjek_tilgaengelighed, "Sofie Holm")
    tjek_tilgaengelighed(side)
    side.locator("summary", has_text="Bevilg lånet").click()
    side.get_by_role("button", name="Bevilg", exact=True).click()
    expect(side.get_by_text("Lånet er bevilget.")).to_be_visible()
    expect(side.locator("#laan-status")).to_have_text("Bevilget")
    tjek_tilgaengelighed(side)
    log_ud()

    # Course staff register the disbursement (today, the form's default): the plan is made.
    log_ind(pilot.forloebsmedarbejder)
    aabn_laan(side, menu, tjek_tilgaengelighed, "Sofie Holm")
    side.locator("summary", has_text="Registrer udbetaling").click()
    side.get_by_role("button", name="Registrer udbetaling").click()
    expect(side.get_by_text("afdragsplanen er lavet")).to_be_visible()
    plan = side.get_by_role("table", name=re.compile("^Afdragsplan: 12 månedlige afdrag"))
    expect(plan.locator("tbody tr")).to_have_count(12)
    # 12,500 kr. over 12 months: 1,041 kr. a month, the remainder on the last (1,049 kr.).
    expect(plan.locator("tbody tr").first).to_contain_text("1.041 kr. 0 kr. 1.041 kr.")
    expect(side.locator("#restgaeld")).to_have_text("12.500 kr.")
    tjek_tilgaengelighed(side)
    laan = Laan.objects.get()
    assert laan.status == Laan.Status.UDBETALT

    # The bank statement with the first instalment: preview, then import.
    menu("Lån")
    side.get_by_role("link", name="Indlæs kontoudtog").click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Indlæs kontoudtog")
    tjek_tilgaengelighed(side)
    csv = f"Dato;Beløb;Tekst\n{idag};1.041,00;Mikrolån {laan.reference}\n{idag};250,00;Husleje\n"
    side.get_by_label("Kontoudtog (CSV)").set_input_files(
        files=[{"name": "kontoudtog.csv", "mimeType": "text/csv", "buffer": csv.encode("cp1252")}]
    )
    side.get_by_role("button", name="Vis forhåndsvisning").click()
    linjer = side.get_by_role("table", name=re.compile("^Kontoudtogets linjer"))
    expect(linjer.get_by_role("row", name=re.compile(r"^2 "))).to_contain_text("Matchet")
    expect(linjer.get_by_role("row", name=re.compile(r"^3 "))).to_contain_text("Ikke matchet")
    tjek_tilgaengelighed(side)
    side.get_by_role("button", name="Importer indbetalingerne").click()
    expect(side.get_by_text("1 indbetaling på i alt 1.041 kr. er registreret.")).to_be_visible()
    tjek_tilgaengelighed(side)

    # The loan page: the first instalment paid, the balance down by 1,041 kr.
    aabn_laan(side, menu, tjek_tilgaengelighed, "Sofie Holm")
    plan = side.get_by_role("table", name=re.compile("^Afdragsplan"))
    expect(plan.locator("tbody tr").first).to_contain_text("1.041 kr. 1.041 kr. 0 kr.")
    expect(side.locator("#restgaeld")).to_have_text("11.459 kr.")
    expect(side.locator("#indbetalinger")).to_contain_text("kontoudtog")
    tjek_tilgaengelighed(side)
    assert laan.indbetalinger.get().beloeb == Decimal("1041.00")
