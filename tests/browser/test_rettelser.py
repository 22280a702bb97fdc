"""Corrections in the browser: the caseworker withdraws a referral with the keyboard alone, and
course staff take a citizen off the agreement's waiting list; axe-checked with the forms open."""

import pytest
from playwright.sync_api import expect

from tests.byg.sager import henvis, lav_borger, lav_forloeb, lav_pladsaftale, optag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_caseworker_withdraws_a_referral_with_the_keyboard(
    pilot, side, log_ind, tjek_tilgaengelighed
):
    henvisning = henvis(pilot, lav_pladsaftale(pilot))
    log_ind(pilot.sagsbehandler)
    side.goto(f"/visitation/henvisninger/{henvisning.pk}/")

    # The summary opens the confirmation form from the keyboard.
    formular = side.locator("#traek-tilbage")
    formular.locator("summary").focus()
    side.keyboard.press("Enter")
    expect(formular.get_by_label("Begrundelse")).to_be_visible()
    tjek_tilgaengelighed(side)

    # Without a reason: a Danish error on the form, which stays open.
    formular.get_by_role("button", name="Træk henvisningen tilbage").click()
    expect(formular.get_by_text("Skriv en begrundelse.")).to_be_visible()
    tjek_tilgaengelighed(side)

    formular.get_by_label("Begrundelse").fill("Borgeren er flyttet.")
    formular.get_by_role("button", name="Træk henvisningen tilbage").click()

    expect(
        side.get_by_text("Henvisningen er trukket tilbage. Forløbsmedarbejderne")
    ).to_be_visible()
    expect(side.locator(".badge", has_text="Trukket tilbage")).to_be_visible()
    expect(side.get_by_role("cell", name="Borgeren er flyttet.")).to_be_visible()
    expect(side.locator("#traek-tilbage")).to_have_count(0)
    tjek_tilgaengelighed(side)


def test_course_staff_take_a_citizen_off_the_waiting_list(
    pilot, side, log_ind, tjek_tilgaengelighed
):
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    lav_forloeb(pilot, aftale, "Anna")
    for navn in ("Bo", "Carl"):
        optag(pilot, aftale, lav_borger(pilot, navn))
    log_ind(pilot.forloebsmedarbejder)
    side.goto(f"/visitation/pladsaftaler/{aftale.pk}/")
    raekker = side.locator("#venteliste-overskrift + div tbody tr")
    expect(raekker).to_have_count(2)

    raekker.first.get_by_text("Fjern fra ventelisten").click()
    raekker.first.get_by_label("Begrundelse").fill("Har fået job.")
    tjek_tilgaengelighed(side)
    raekker.first.get_by_role("button", name="Fjern Bo Jensen fra ventelisten").click()

    expect(side.get_by_text("Bo Jensen er fjernet fra ventelisten")).to_be_visible()
    expect(raekker).to_have_count(1)
    expect(raekker.first.locator("td").nth(0)).to_have_text("1")
    expect(raekker.first.locator("td").nth(1)).to_have_text("Carl Jensen")
    tjek_tilgaengelighed(side)
