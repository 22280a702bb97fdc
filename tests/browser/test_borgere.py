"""The caseworker's journey in a real browser: find a citizen by CPR, reveal it, on a tablet."""

import re

import pytest
from playwright.sync_api import expect

from mikrolaan.revision.models import AdgangsLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def tablet(side):
    side.set_viewport_size({"width": 768, "height": 1024})
    return side


def test_a_caseworker_finds_a_citizen_by_cpr_and_reveals_the_number(
    pilot, pilotens_borger, tablet, log_ind, menu, tjek_tilgaengelighed
):
    borger = pilotens_borger(fornavn="René", efternavn="Hansen", cpr="010190-1234")
    for nummer in range(30):
        pilotens_borger(efternavn=f"Andersen{nummer:02d}")
    log_ind(pilot.sagsbehandler)

    menu("Borgere")
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Borgere")
    tjek_tilgaengelighed(tablet)

    # The search goes by htmx POST: the results change, the address does not.
    adresse = tablet.url
    tablet.get_by_label("Søg på navn eller CPR-nummer").fill("0101901234")
    tablet.get_by_role("button", name="Søg").click()
    expect(tablet.locator("#resultater")).to_contain_text("1 borger fundet")
    assert tablet.url == adresse and "1234" not in tablet.url
    tjek_tilgaengelighed(tablet)

    tablet.get_by_role("link", name="Hansen, René").click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("René Hansen")
    expect(tablet.locator("#cpr")).to_contain_text("010190-xxxx")
    # The case section, loaded with htmx: not referred yet, and the caseworker may refer her.
    expect(tablet.locator("#sag")).to_contain_text("Borgeren er ikke henvist endnu.")
    expect(tablet.get_by_role("link", name="Henvis til mikrolånsforløb")).to_be_visible()
    tjek_tilgaengelighed(tablet)

    tablet.get_by_role("button", name=re.compile("Vis CPR")).click()
    expect(tablet.locator("#cpr")).to_contain_text("010190-1234")
    assert re.search(rf"/borgere/{borger.pk}/$", tablet.url)
    assert AdgangsLog.objects.filter(
        handling=AdgangsLog.Handling.VIS_CPR, objekt_id=str(borger.pk)
    ).exists()


def test_the_list_pages_through_citizens_with_htmx(
    pilot, pilotens_borger, tablet, log_ind, tjek_tilgaengelighed
):
    for nummer in range(30):
        pilotens_borger(fornavn="Jens", efternavn=f"Jensen{nummer:02d}")
    log_ind(pilot.sagsbehandler)
    tablet.goto("/borgere/")
    tablet.get_by_label("Søg på navn eller CPR-nummer").fill("jens")
    tablet.get_by_role("button", name="Søg").click()
    expect(tablet.locator("#resultater")).to_contain_text("Side 1 af 2")
    tablet.get_by_role("button", name="Næste side").click()
    expect(tablet.locator("#resultater")).to_contain_text("Side 2 af 2")
    expect(tablet.locator("#resultater tbody tr")).to_have_count(5)
    tjek_tilgaengelighed(tablet)


def test_a_caseworker_registers_a_citizen_and_writes_a_note(
    pilot, tablet, log_ind, tjek_tilgaengelighed
):
    log_ind(pilot.sagsbehandler)
    tablet.goto("/borgere/opret/")
    tjek_tilgaengelighed(tablet)
    tablet.get_by_label("CPR-nummer").fill("020285-2345")
    tablet.get_by_label("Fornavn").fill("Mette")
    tablet.get_by_label("Efternavn").fill("Jensen")
    tablet.get_by_label("Forsørgelsesgrundlag").select_option(label="Dagpenge")
    tablet.get_by_role("button", name="Opret borger").click()

    expect(tablet.get_by_role("heading", level=1)).to_have_text("Mette Jensen")
    expect(tablet.get_by_text("Borgeren Mette Jensen er oprettet.")).to_be_visible()
    tablet.get_by_role("textbox", name="Notat").fill("Første samtale om forretningsidéen.")
    tablet.get_by_role("button", name="Gem notat").click()
    expect(tablet.locator("#journal")).to_contain_text("Første samtale om forretningsidéen.")
    tjek_tilgaengelighed(tablet)
