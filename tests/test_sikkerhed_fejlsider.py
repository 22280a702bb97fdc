"""The error pages a user can meet are Danish pages in the application's layout (issue 12,
point 4): 400, 403 after a CSRF failure, 404, 429 and 500 (the 500 page: test_sikkerhed_headere)."""

import re

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse


def _i_layoutet(tekst: str) -> bool:
    return '<html lang="da">' in tekst and 'href="/static/css/mikrolaan.css"' in tekst


def test_a_bad_host_gets_the_danish_400_page(client):
    svar = client.get(reverse("konti:log_ind"), HTTP_HOST="angriber.example")

    tekst = svar.content.decode()
    assert svar.status_code == 400
    assert _i_layoutet(tekst)
    assert "Forespørgslen kunne ikke forstås" in tekst


def test_a_post_without_a_csrf_token_gets_a_danish_page_that_says_what_to_do(pilot):
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("konti:log_ind"))  # the CSRF cookie, as a browser would have it

    svar = browser.post(reverse("konti:log_ind"), {"username": "sagsbehandler", "password": "x"})

    tekst = svar.content.decode()
    assert svar.status_code == 403
    assert _i_layoutet(tekst)
    assert "Formularen er udløbet" in tekst
    assert "Gå tilbage, genindlæs siden, og send formularen igen." in tekst
    # The browser sent the cookie: no advice about cookies, and no English technical reason.
    assert "cookies" not in tekst
    assert "CSRF token missing" not in tekst and "Forbidden" not in tekst
    assert "no-store" in svar["Cache-Control"] or "max-age=0" in svar["Cache-Control"]


def test_without_the_csrf_cookie_the_page_asks_to_allow_cookies(pilot):
    svar = Client(enforce_csrf_checks=True).post(
        reverse("konti:log_ind"), {"username": "sagsbehandler", "password": "x"}
    )

    assert svar.status_code == 403
    assert "Din browser skal tillade cookies fra denne side." in svar.content.decode()


def test_a_logged_in_users_csrf_page_keeps_the_menu(pilot):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(pilot.sagsbehandler)
    browser.get(reverse("forside"))

    svar = browser.post(reverse("konti:log_ud"))

    assert svar.status_code == 403
    assert 'id="hovedmenu"' in svar.content.decode()


def test_a_missing_page_is_the_danish_404_page(pilot, klient):
    svar = klient(pilot.sagsbehandler).get("/findes-ikke/")

    tekst = svar.content.decode()
    assert svar.status_code == 404
    assert _i_layoutet(tekst)
    assert "Siden findes ikke" in tekst


def test_the_429_page_is_danish_in_the_layout():
    tekst = render_to_string("429.html")

    assert _i_layoutet(tekst)
    assert re.search(r"<h1[^>]*>For mange forespørgsler</h1>", tekst)
    assert "Vent lidt, og prøv så igen." in tekst
