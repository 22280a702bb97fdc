"""The intake journey in a real browser: register and refer a citizen, the joint visitation signed
by both organisations, admission, and the Erhvervschef's notification — axe-checked on each page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forloeb.models import Forloeb
from tests.byg.sager import lav_pladsaftale

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_goes_from_registration_to_admission_and_the_erhvervschef_is_told(
    pilot, side, log_ind, log_ud, tjek_tilgaengelighed
):
    lav_pladsaftale(pilot, navn="Mikrolån Næstved – pilot")

    # The caseworker registers the citizen ...
    log_ind(pilot.sagsbehandler)
    side.get_by_role("link", name="Borgere", exact=True).first.click()
    side.get_by_role("link", name="Opret borger").first.click()
    side.get_by_label("CPR-nummer").fill("150388-1234")
    side.get_by_label("Fornavn").fill("Sofie")
    side.get_by_label("Efternavn").fill("Holm")
    side.get_by_label("Forsørgelsesgrundlag").select_option(label="Kontanthjælp")
    side.get_by_label("Forretningsidé").fill("Økologisk café i Ishøj")
    side.get_by_role("button", name="Opret borger").click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Sofie Holm")
    # The case section is loaded from the overview with htmx once the page is there.
    sag = side.locator("#sag")
    expect(sag).to_contain_text("Borgeren er ikke henvist endnu.")
    tjek_tilgaengelighed(side)

    # ... and refers her to the place agreement.
    sag.get_by_role("link", name="Henvis til mikrolånsforløb").click()
    expect(side.get_by_label("Forretningsidé")).to_have_value("Økologisk café i Ishøj")
    tjek_tilgaengelighed(side)
    side.get_by_label("Pladsaftale").select_option(label="Mikrolån Næstved – pilot")
    side.get_by_label("Motivation").fill("Har drevet café før og vil være selvstændig.")
    side.get_by_label("Sagsbehandlers vurdering").fill("Kan gennemføre forløbet.")
    side.get_by_role("button", name="Send henvisning").click()
    expect(side.get_by_text("Henvisningen er sendt.")).to_be_visible()
    log_ud()

    # Næstved's course staff record the joint visitation, which signs for Næstved.
    log_ind(pilot.forloebsmedarbejder)
    side.get_by_role("link", name="Henvisninger").click()
    side.get_by_role("link", name="Sofie Holm").click()
    tjek_tilgaengelighed(side)
    # The meeting is today: it cannot be before the referral, which was made today.
    side.get_by_label("Mødedato").fill(f"{timezone.localdate():%d.%m.%Y}")
    side.get_by_label("Deltagere").fill("Sara (jobcenter), Frederik (Næstved)")
    for kriterium in (
        "kan_gennemfoere",
        "motivation",
        "forretningsidee",
        "personlige_forhold",
        "oekonomiske_forhold",
    ):
        side.locator(f"#id_{kriterium}_0").check()  # "Ja"
    side.locator("#id_kan_gennemfoere_note").fill("Erfaren og motiveret.")
    side.locator("#id_beslutning_0").check()  # "Optages"
    side.get_by_role("button", name="Gem og underskriv").click()
    expect(
        side.get_by_text("Visitationen er gemt og underskrevet for Næstved Kommune")
    ).to_be_visible()
    tjek_tilgaengelighed(side)
    log_ud()

    # The caseworker signs for the jobcenter; the second signature admits her.
    log_ind(pilot.sagsbehandler)
    side.get_by_role("link", name="Henvisninger").click()
    side.get_by_role("link", name="Sofie Holm").click()
    side.get_by_role("button", name="Underskriv for Jobcenter Vallensbæk").click()
    expect(side.get_by_text("borgeren er indskrevet")).to_be_visible()
    assert Forloeb.objects.get().borger.navn == "Sofie Holm"
    log_ud()

    # The Erhvervschef sees the admission among her notifications (and never the CPR number).
    log_ind(pilot.erhvervschef)
    klokke = side.get_by_role("link", name="Notifikationer, 1 ulæst")
    expect(klokke).to_be_visible()
    klokke.click()
    expect(side.get_by_role("link", name="Indskrevet: Sofie Holm")).to_be_visible()
    assert "150388" not in side.content()
    tjek_tilgaengelighed(side)
