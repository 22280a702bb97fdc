"""The programme's course in a real browser: course staff move one citizen to the main phase (an
early move, confirmed with a reason) and discharge another (after a refused attempt), and the
Erhvervschef sees the discharge — axe-checked on each page."""

import re

import pytest
from playwright.sync_api import expect

from forloeb.models import Forloeb
from tests.byg.sager import lav_borger, lav_pladsaftale, optag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Fortroligt: har fået tilbudt job hos sin svoger."


def aabn_forloeb(side, liste_navn: str, navn: str) -> None:
    """From the citizen list to the citizen's programme page, as a user would go."""
    side.get_by_role("link", name="Borgere", exact=True).first.click()
    side.get_by_role("link", name=liste_navn).click()
    side.get_by_role("link", name=re.compile(r"^Forløb på ")).click()
    expect(side.get_by_role("heading", level=1)).to_have_text(f"Mikrolånsforløb for {navn}")


def test_course_staff_move_one_citizen_on_and_discharge_another_and_the_erhvervschef_is_told(
    pilot, side, log_ind, log_ud, tjek_tilgaengelighed
):
    aftale = lav_pladsaftale(pilot, navn="Mikrolån Næstved – pilot")
    sofie = optag(pilot, aftale, lav_borger(pilot, "Sofie", "Holm"))
    karim = optag(pilot, aftale, lav_borger(pilot, "Karim", "Said"))

    # Course staff move Sofie to the main phase on their assessment ...
    log_ind(pilot.forloebsmedarbejder)
    aabn_forloeb(side, "Holm, Sofie", "Sofie Holm")
    expect(side.get_by_text("0 af 6 elementer gennemført")).to_be_visible()
    tjek_tilgaengelighed(side)
    side.get_by_text("Overgang til hovedforløb", exact=True).click()
    side.get_by_label("Forretningsplanen er klar").check()
    side.get_by_label("Anbefaling").fill("Klar: forretningsplanen og budgettet holder.")
    # Admitted today and no session attended: the move is early and the checklist incomplete,
    # so the form asks for a confirmation with a reason, and refuses the move without one.
    bekraeftelse = side.get_by_role("group", name="Bekræft overgangen")
    expect(bekraeftelse).to_contain_text("Det opkvalificerende forløb er planlagt til at slutte")
    tjek_tilgaengelighed(side)
    side.get_by_role("button", name="Skift til hovedforløb").click()
    expect(
        side.get_by_text("skal gå videre til hovedforløbet alligevel, og skriv hvorfor")
    ).to_be_visible()
    tjek_tilgaengelighed(side)
    side.get_by_label(
        "Jeg bekræfter, at borgeren skal gå videre til hovedforløbet alligevel"
    ).check()
    side.get_by_label("Begrundelse for at gå videre nu").fill("Virksomheden kan åbne nu.")
    side.get_by_role("button", name="Skift til hovedforløb").click()
    expect(side.get_by_text("Sofie Holm er gået over i hovedforløbet.")).to_be_visible()
    expect(side.get_by_text("Klar: forretningsplanen og budgettet holder.")).to_be_visible()
    tjek_tilgaengelighed(side)
    sofie.refresh_from_db()
    assert sofie.status == Forloeb.Status.HOVEDFORLOEB

    # ... and discharge Karim: "completed" is refused in the qualifying phase, a job is not.
    aabn_forloeb(side, "Said, Karim", "Karim Said")
    side.get_by_text("Udskriv borgeren", exact=True).click()
    side.get_by_label("Årsag").select_option(label="Gennemført uden virksomhed")
    side.get_by_label("Forsørgelsesgrundlag efter udskrivning").select_option(
        label="Selvforsørgende"
    )
    side.get_by_label("Bemærkning").fill(NOTE)
    side.get_by_role("button", name="Udskriv", exact=True).click()
    expect(side.get_by_text("kan ikke udskrives som gennemført")).to_be_visible()
    tjek_tilgaengelighed(side)
    side.get_by_label("Årsag").select_option(label="Job")
    side.get_by_role("button", name="Udskriv", exact=True).click()
    expect(side.get_by_text("Karim Said er udskrevet.")).to_be_visible()
    tjek_tilgaengelighed(side)
    karim.refresh_from_db()
    assert karim.status == Forloeb.Status.AFBRUDT
    log_ud()

    # The Erhvervschef sees the discharge among her notifications, without CPR or the note.
    log_ind(pilot.erhvervschef)
    side.get_by_role("link", name=re.compile(r"^Notifikationer, \d+ ulæst")).click()
    expect(side.get_by_role("link", name="Udskrevet: Karim Said")).to_be_visible()
    indhold = side.content()
    assert "Årsag: Job" in indhold
    assert karim.borger.cpr[:6] not in indhold
    assert "svoger" not in indhold
    tjek_tilgaengelighed(side)
