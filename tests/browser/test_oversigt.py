"""The overview pages in a real browser: the Erhvervschef's home page and a change of period, and
a caseworker opening a citizen's timeline from "Mine borgere" — axe-checked on each page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.byg.sager import lav_forloeb, lav_pladsaftale, udskriv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_erhvervschef_lands_on_the_overview_and_changes_the_period(
    pilot, side, log_ind, tjek_tilgaengelighed
):
    # Last year's spring and autumn, and an admission today: the home page shows this year.
    aar = timezone.localdate().year - 1
    aftale = lav_pladsaftale(
        pilot,
        antal_pladser=5,
        navn="Mikrolån Næstved – pilot",
        gyldig_fra=datetime.date(aar, 1, 1),
    )
    lav_forloeb(pilot, aftale, "Sofie", "Holm", startdato=datetime.date(aar, 3, 2))
    marts = lav_forloeb(pilot, aftale, "Karl", "Smed", startdato=datetime.date(aar, 3, 9))
    udskriv(pilot, marts, datetime.date(aar, 9, 30))
    lav_forloeb(pilot, aftale, "Lone", "Berg")

    log_ind(pilot.erhvervschef)
    expect(side.get_by_role("heading", level=1)).to_contain_text("Velkommen")
    belaegning = side.get_by_role("table", name="Købte og brugte pladser pr. pladsaftale")
    expect(
        belaegning.get_by_role("row", name=re.compile("Mikrolån Næstved – pilot"))
    ).to_contain_text("5 2 3 0")
    expect(side.get_by_role("cell", name="Lone Berg")).to_be_visible()
    # The month chart: Chart.js (served by the app) draws it from the table and shows its box.
    diagram = side.get_by_role("img", name=re.compile("Søjlediagram over ind- og udskrivninger"))
    expect(diagram).to_be_visible()
    antal = side.evaluate("() => Chart.getChart('maaned-diagram').data.datasets.length")
    assert antal == 2  # Indskrevet, Udskrevet
    tjek_tilgaengelighed(side)

    # Only last spring: today's intake and the September discharge drop out.
    side.get_by_label("Fra og med").fill(f"{aar}-03-01")
    side.get_by_label("Til og med").fill(f"{aar}-05-31")
    side.get_by_role("button", name="Vis periode").click()
    expect(side).to_have_url(re.compile(rf"/oversigt/ind-og-udskrivning/\?fra={aar}-03-01"))
    expect(side.get_by_role("heading", level=1)).to_have_text("Ind- og udskrivning")
    expect(side.get_by_role("heading", name=f"Perioden 01.03.{aar}–31.05.{aar}")).to_be_visible()
    indskrivninger = side.get_by_role("table", name="Indskrivninger i perioden")
    expect(indskrivninger.get_by_role("row")).to_have_count(3)  # header + Sofie + Karl
    expect(indskrivninger).to_contain_text(f"02.03.{aar}")
    expect(side.get_by_text("Lone Berg")).to_have_count(0)
    expect(side.get_by_text("Ingen udskrivninger i perioden.")).to_be_visible()
    maaneder = side.get_by_role("table", name=re.compile("pr. måned"))
    expect(maaneder.get_by_role("row", name=re.compile(f"Marts {aar}"))).to_contain_text("2")
    expect(side.get_by_role("link", name="Ind- og udskrivning")).to_have_attribute(
        "aria-current", "page"
    )
    tjek_tilgaengelighed(side)


def test_a_caseworker_opens_a_timeline_from_mine_borgere(
    pilot, side, log_ind, tjek_tilgaengelighed
):
    aftale = lav_pladsaftale(pilot, antal_pladser=5)
    lav_forloeb(pilot, aftale, "Sofie", "Holm")
    lav_forloeb(pilot, aftale, "Karl", "Smed")

    log_ind(pilot.sagsbehandler)
    side.get_by_role("link", name="Mine borgere").first.click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Mine borgere")
    tjek_tilgaengelighed(side)

    side.get_by_role("link", name="Borger (sortér stigende)").click()
    expect(side.get_by_role("columnheader", name=re.compile("^Borger"))).to_have_attribute(
        "aria-sort", "ascending"
    )
    # "Mine borgere" writes names as "Efternavn, Fornavn" and sorts by the surname.
    expect(side.get_by_role("row").nth(1)).to_contain_text("Holm, Sofie")
    side.get_by_role("link", name="Holm, Sofie").click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Tidslinje for Sofie Holm")
    expect(side.get_by_role("heading", name="Det næste")).to_be_visible()
    expect(
        side.get_by_text(re.compile(r"Opkvalificerende forløb slutter .* \(om \d+ dage\)"))
    ).to_be_visible()
    expect(side.get_by_role("link", name="Indskrevet på Mikrolån Næstved 2026")).to_be_visible()
    tjek_tilgaengelighed(side)

    # And back: the citizen page shows the programme in its case section (loaded with htmx) and
    # links to the timeline as well.
    side.get_by_role("link", name="Til borgerens side").click()
    sag = side.locator("#sag")
    expect(
        sag.get_by_role("link", name="Forløb på Mikrolån Næstved 2026 – Opkvalificering")
    ).to_be_visible()
    expect(sag.get_by_role("link", name="Henvis til mikrolånsforløb")).to_have_count(0)
    tjek_tilgaengelighed(side)
    side.get_by_role("link", name="Tidslinje", exact=True).click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Tidslinje for Sofie Holm")
