"""Print in a real browser: the case summary and the visitation record open from their pages,
"Udskriv" opens the print dialog, and on paper (print media) menu, buttons and forms are gone."""

import re

import pytest
from playwright.sync_api import expect

from forloeb.services.indskrivning import visitation_underskriv
from tests.byg.sager import visiter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Stands in for the browser's print dialog, which a headless browser cannot show.
PRINT_SPION = "window.print = () => { window.udskrevet = (window.udskrevet || 0) + 1; };"


def test_a_caseworker_prints_the_case_summary_without_menu_or_buttons(
    sagsdata, side, log_ind, tjek_tilgaengelighed
):
    visitation_underskriv(
        bruger=sagsdata.sagsbehandler, visitation=visiter(sagsdata.pilot, sagsdata.henvisning)
    )
    side.add_init_script(PRINT_SPION)
    log_ind(sagsdata.sagsbehandler)
    side.goto(f"/borgere/{sagsdata.borger.pk}/")

    # Printed from the citizen page itself, the menu is not on paper.
    side.emulate_media(media="print")
    expect(side.locator("header nav")).to_be_hidden()
    side.emulate_media(media="screen")

    side.get_by_role("link", name=re.compile("^Udskriv")).click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Sagsoversigt for Anna Testesen")
    # The case section, which the citizen page loads with htmx, is part of the page.
    expect(side.locator("#sag")).to_contain_text("Forløb på Mikrolån Næstved (test)")
    expect(side.locator("#tidslinje")).to_contain_text("Indskrivning")
    knap = side.get_by_role("button", name="Udskriv")
    expect(knap).to_be_visible()
    tjek_tilgaengelighed(side)

    knap.click()
    assert side.evaluate("window.udskrevet") == 1

    side.emulate_media(media="print")
    expect(knap).to_be_hidden()
    expect(side.get_by_role("link", name="Tilbage til borgerens side")).to_be_hidden()
    expect(side.locator("#journal")).to_be_visible()
    # Each main section after the first starts a new sheet.
    assert side.locator("#journal").evaluate("e => getComputedStyle(e).breakBefore") == "page"


def test_course_staff_print_the_visitation_record_with_both_signatures(
    sagsdata, side, log_ind, tjek_tilgaengelighed
):
    visitation_underskriv(
        bruger=sagsdata.sagsbehandler, visitation=visiter(sagsdata.pilot, sagsdata.henvisning)
    )
    side.add_init_script(PRINT_SPION)
    log_ind(sagsdata.forloebsmedarbejder)
    side.goto(f"/visitation/henvisninger/{sagsdata.henvisning.pk}/")

    side.get_by_role("link", name="Udskriv visitationen").click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Fælles visitation af Anna Testesen")
    underskrifter = side.locator("tr.underskrift")
    expect(underskrifter).to_have_count(2)
    expect(underskrifter.nth(0)).to_contain_text("Jobcenter Vallensbæk")
    expect(underskrifter.nth(0)).to_contain_text(str(sagsdata.sagsbehandler))
    expect(underskrifter.nth(1)).to_contain_text("Næstved Kommune")
    expect(underskrifter.nth(1)).to_contain_text(str(sagsdata.forloebsmedarbejder))
    tjek_tilgaengelighed(side)

    side.get_by_role("button", name="Udskriv").click()
    assert side.evaluate("window.udskrevet") == 1
    side.emulate_media(media="print")
    expect(side.get_by_role("button", name="Udskriv")).to_be_hidden()
    expect(underskrifter.nth(1)).to_be_visible()
