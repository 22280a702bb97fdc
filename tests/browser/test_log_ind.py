import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_login_page_is_accessible(side, tjek_tilgaengelighed):
    side.goto("/")
    expect(side).to_have_url(re.compile(r"/konti/log-ind/"))
    expect(side.get_by_role("heading", name="Log ind")).to_be_visible()
    tjek_tilgaengelighed(side)


@pytest.mark.parametrize(
    ("rolle", "overskrift", "tekst"),
    [
        ("sagsbehandler", "Velkommen", "Som sagsbehandler"),
        ("forloebsmedarbejder", "Velkommen", "Som forløbsmedarbejder"),
        ("erhvervschef", "Velkommen", "Som erhvervschef"),
        ("administrator", "Velkommen", "Som administrator"),
    ],
)
def test_each_role_logs_in_and_sees_its_home_page(
    pilot, side, log_ind, tjek_tilgaengelighed, rolle, overskrift, tekst
):
    bruger = getattr(pilot, rolle)
    log_ind(bruger)
    expect(side.get_by_role("heading", level=1)).to_contain_text(overskrift)
    expect(side.get_by_text(tekst)).to_be_visible()
    tjek_tilgaengelighed(side)


def test_wrong_password_shows_a_danish_error(pilot, side, log_ind):
    log_ind(pilot.sagsbehandler, adgangskode="forkert")
    expect(side.get_by_text("Forkert brugernavn eller adgangskode")).to_be_visible()


def test_logout_returns_to_the_login_page(pilot, side, log_ind):
    log_ind(pilot.sagsbehandler)
    side.get_by_role("button", name=re.compile("Sagsbehandler")).click()
    side.get_by_role("button", name="Log ud").click()
    expect(side).to_have_url(re.compile(r"/konti/log-ind/"))
