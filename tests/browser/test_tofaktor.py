"""Two-factor login in the browser: enrolment with the QR page, a login with the app's code and a
login with a backup code — with two-factor login required, as in production."""

import base64
import re

import pytest
from playwright.sync_api import expect

from tests.byg.fabrikker import TEST_ADGANGSKODE
from tests.byg.tofaktor import app_kode, kode_til, opsaet_tofaktor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _kraevet(settings):
    settings.KRAEV_TOFAKTOR = True


def _adgangskode(side, bruger, adgangskode=TEST_ADGANGSKODE):
    side.goto("/konti/log-ind/")
    side.get_by_label("Brugernavn").fill(bruger.username)
    side.get_by_label("Adgangskode").fill(adgangskode)
    side.get_by_role("button", name="Log ind").click()


def test_a_user_with_an_app_logs_in_with_password_and_code(pilot, side, tjek_tilgaengelighed):
    opsaet_tofaktor(pilot.sagsbehandler, kode_brugt=False)

    _adgangskode(side, pilot.sagsbehandler)
    expect(side.get_by_role("heading", name="Kode til log ind")).to_be_visible()
    tjek_tilgaengelighed(side)
    side.get_by_label("Kode").fill(kode_til(pilot.sagsbehandler))
    side.get_by_role("button", name="Fortsæt").click()

    expect(side.get_by_role("heading", level=1)).to_contain_text("Velkommen")
    expect(side.get_by_text("Som sagsbehandler")).to_be_visible()


def test_a_new_user_enrols_with_the_qr_page_and_later_logs_in_with_a_backup_code(
    pilot, side, log_ud, tjek_tilgaengelighed
):
    _adgangskode(side, pilot.forloebsmedarbejder)
    expect(side.get_by_role("heading", name="Opsæt tofaktor-login")).to_be_visible()
    expect(side.get_by_role("img", name="QR-kode til godkendelses-appen")).to_be_visible()
    tjek_tilgaengelighed(side)

    # What a user without a camera does: type the key shown under the QR code into the app.
    hemmelighed = side.locator("figcaption code").inner_text().replace(" ", "")
    noegle = base64.b32decode(hemmelighed + "=" * (-len(hemmelighed) % 8)).hex()
    side.get_by_label("Kode fra appen").fill(app_kode(noegle))
    side.get_by_role("button", name="Bekræft og aktivér").click()

    expect(side.get_by_role("heading", name="Dine reservekoder")).to_be_visible()
    tjek_tilgaengelighed(side)
    koder = side.locator(".reservekoder li").all_inner_texts()
    assert len(koder) == 10
    side.get_by_role("link", name="Fortsæt").click()
    expect(side.get_by_role("heading", level=1)).to_contain_text("Velkommen")

    log_ud()
    _adgangskode(side, pilot.forloebsmedarbejder)
    side.get_by_label("Kode").fill(koder[3])
    side.get_by_role("button", name="Fortsæt").click()
    expect(side.get_by_role("heading", level=1)).to_contain_text("Velkommen")
    expect(side).to_have_url(re.compile(r"/$"))
