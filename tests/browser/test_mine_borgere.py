"""Stages in a real browser: a caseworker filters "Mine borgere" and the citizen list by stage and
opens a programme in one click; the search takes "Efternavn, Fornavn" and hints at a birth
date — axe-checked on each page."""

import re

import pytest
from playwright.sync_api import expect

from tests.byg.sager import henvis, lav_borger, lav_forloeb, lav_pladsaftale, optag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_finds_citizens_by_stage_and_opens_a_programme_in_one_click(
    pilot, side, log_ind, tjek_tilgaengelighed
):
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    lav_borger(pilot, "Rikke", "Registreret")
    henvis(pilot, aftale, lav_borger(pilot, "Henrik", "Henvist"))
    lav_forloeb(pilot, aftale, "Olga", "Opkval")
    assert optag(pilot, aftale, lav_borger(pilot, "Vera", "Ventesen")) is None

    log_ind(pilot.sagsbehandler)
    side.get_by_role("link", name="Mine borgere").first.click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Mine borgere")
    tabel = side.get_by_role("table", name="Mine borgere")
    expect(tabel.get_by_role("row")).to_have_count(5)  # header + four citizens
    expect(tabel.get_by_role("row", name=re.compile("Ventesen, Vera"))).to_contain_text(
        "nr. 1 på ventelisten"
    )
    tjek_tilgaengelighed(side)

    side.get_by_label("Stadie").select_option(label="På venteliste")
    side.get_by_role("button", name="Vis").click()
    expect(side).to_have_url(re.compile(r"stadie=4"))
    expect(tabel.get_by_role("row")).to_have_count(2)
    expect(tabel).to_contain_text("Ventesen, Vera")

    # The citizen list: the same stage filter, posted with the search.
    side.goto("/borgere/")
    side.get_by_label("Stadie").select_option(label="Opkvalificerende forløb")
    side.get_by_role("button", name="Filtrér").click()
    resultater = side.locator("#resultater")
    expect(resultater.get_by_role("heading")).to_have_text("1 borger")
    expect(resultater).to_contain_text("Opkval, Olga")
    tjek_tilgaengelighed(side)
    resultater.get_by_role("link", name="Åbn forløb for Olga Opkval").click()
    expect(side).to_have_url(re.compile(r"/forloeb/\d+/$"))
    expect(side.get_by_role("heading", level=1)).to_contain_text("Olga Opkval")


def test_the_search_takes_the_name_as_the_list_writes_it_and_hints_at_a_birth_date(
    pilot, side, log_ind
):
    lav_borger(pilot, "Anna", "Jensen")
    lav_borger(pilot, "Bo", "Ravn")

    log_ind(pilot.sagsbehandler)
    side.goto("/borgere/")
    soeg = side.get_by_label("Søg på navn eller CPR-nummer")
    soeg.fill("Jensen, Anna")
    side.get_by_role("button", name="Søg", exact=True).click()
    resultater = side.locator("#resultater")
    expect(resultater.get_by_role("heading")).to_have_text("1 borger fundet")
    expect(resultater.get_by_role("link", name="Jensen, Anna")).to_be_visible()

    soeg.fill("020290")
    side.get_by_role("button", name="Søg", exact=True).click()
    expect(resultater.get_by_role("status")).to_contain_text("Søg på hele CPR-nummeret (10 cifre)")
    expect(side).to_have_url(re.compile(r"/borgere/$"))
