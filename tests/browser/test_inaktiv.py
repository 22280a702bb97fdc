"""The idle warning: a dialog before an idle session ends, "stay logged in", and the page after.

The limits are seconds here instead of 30 minutes and one minute, so the journey takes seconds; the
script reads them from the page, as it would the real ones."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _kort_session(settings):
    settings.SESSION_INAKTIV_SEKUNDER = 8
    settings.SESSION_ADVARSEL_SEKUNDER = 5


def test_the_warning_lets_the_user_stay_and_otherwise_ends_on_the_idle_page(
    pilot, side, log_ind, tjek_tilgaengelighed
):
    log_ind(pilot.sagsbehandler)
    advarsel = side.get_by_role("dialog", name="Du bliver snart logget ud")

    expect(advarsel).to_be_visible()
    expect(advarsel).to_contain_text("sekunder bliver du logget ud")
    tjek_tilgaengelighed(side)
    advarsel.get_by_role("button", name="Forbliv logget ind").click()
    expect(advarsel).to_be_hidden()

    # Left alone this time: the warning comes back, and then the session ends.
    expect(advarsel).to_be_visible()
    side.wait_for_url(re.compile(r"/konti/session/inaktiv/"))
    expect(side.get_by_role("heading", name="Du er blevet logget ud")).to_be_visible()
    tjek_tilgaengelighed(side)

    side.get_by_role("link", name="Log ind igen").click()
    expect(side).to_have_url(re.compile(r"/konti/log-ind/\?next=%2F"))
