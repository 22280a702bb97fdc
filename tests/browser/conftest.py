"""Playwright + Debian's Chromium against pytest-django's live_server, and an axe check.

Every journey uses `side` (a fresh browser context per test), `log_ind`, `tjek_tilgaengelighed`.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from tests.factories import TEST_ADGANGSKODE

# Chromium is started as on the CI machine: root needs --no-sandbox, and the background-networking
# flags keep it from trying to reach Google through this machine's closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# axe impact levels that fail a test; "minor"/"moderate" findings are reported but tolerated.
ALVORLIGE = {"serious", "critical"}


@pytest.fixture(scope="session")
def chromium(chromium_sti):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_sti, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def side(chromium, live_server):
    kontekst = chromium.new_context(base_url=live_server.url, locale="da-DK")
    kontekst.set_default_timeout(10_000)
    page = kontekst.new_page()
    yield page
    kontekst.close()


@pytest.fixture
def log_ind(side):
    def log_ind(bruger, adgangskode=TEST_ADGANGSKODE):
        side.goto("/konti/log-ind/")
        side.get_by_label("Brugernavn").fill(bruger.username)
        side.get_by_label("Adgangskode").fill(adgangskode)
        side.get_by_role("button", name="Log ind").click()
        side.wait_for_load_state()

    return log_ind


@pytest.fixture
def tjek_tilgaengelighed():
    axe = Axe()

    def tjek(page):
        """Fail on serious or critical axe-core violations on the page as it is now."""
        resultat = axe.run(page)
        alvorlige = [v for v in resultat.response["violations"] if v["impact"] in ALVORLIGE]
        beskrivelser = [
            f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']]}"
            for v in alvorlige
        ]
        assert not alvorlige, f"axe på {page.url}:\n" + "\n".join(beskrivelser)

    return tjek
