"""The caseworker's inbox in a real browser: a visitation awaiting the jobcenter's signature is on
the home page, one click opens it, the signature clears it from the inbox and from the bell."""

import re

import pytest
from playwright.sync_api import expect

from tests.byg.sager import henvis, lav_borger, lav_pladsaftale, visiter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_caseworker_opens_a_visitation_from_the_inbox_signs_it_and_it_is_gone(
    pilot, side, log_ind, tjek_tilgaengelighed
):
    aftale = lav_pladsaftale(pilot, navn="Mikrolån Næstved – pilot")
    # Næstved's course staff recorded (and so signed) the visitation; the jobcenter must sign.
    visiter(pilot, henvis(pilot, aftale, lav_borger(pilot, "Sofie", "Holm")))

    log_ind(pilot.sagsbehandler)
    indbakke = side.get_by_role("region", name=re.compile("Det venter på dig"))
    expect(indbakke).to_contain_text("1 opgave")
    opgave = indbakke.get_by_role("link", name="Underskriv visitationen af Sofie Holm")
    expect(opgave).to_be_visible()
    expect(side.get_by_role("link", name="Notifikationer, 1 ulæst")).to_be_visible()
    tjek_tilgaengelighed(side)

    # One click to the page where the work is done.
    opgave.click()
    knap = side.get_by_role("button", name="Underskriv for Jobcenter Vallensbæk")
    expect(knap).to_be_visible()
    tjek_tilgaengelighed(side)
    knap.click()
    expect(side.get_by_text("borgeren er indskrevet")).to_be_visible()

    side.get_by_role("link", name="Forside").first.click()
    indbakke = side.get_by_role("region", name=re.compile("Det venter på dig"))
    expect(indbakke).to_contain_text("Intet venter på dig i dag.")
    expect(
        indbakke.get_by_role("link", name="Underskriv visitationen af Sofie Holm")
    ).to_have_count(0)
    # The signature request is handled; only the admission's news is new in the bell.
    expect(side.get_by_role("link", name="Notifikationer, 1 ulæst")).to_be_visible()
    tjek_tilgaengelighed(side)
