"""The favicon: an SVG linked from every page, with an ICO at /favicon.ico for browsers that ask
there (served from the site's root by WhiteNoise, no login needed)."""

from django.contrib.staticfiles import finders
from django.test import Client


def test_favicon_ico_answers_at_the_root_without_a_login(db):
    svar = Client().get("/favicon.ico")

    assert svar.status_code == 200
    indhold = b"".join(svar.streaming_content)
    assert indhold[:4] == b"\x00\x00\x01\x00"  # the ICO file signature


def test_every_page_links_the_svg_favicon_and_the_ico_fallback(pilot, klient):
    html = klient(pilot.sagsbehandler).get("/").content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert '<link rel="apple-touch-icon" href="/static/apple-touch-icon.png">' in html


def test_the_svg_favicon_is_our_own_file():
    sti = finders.find("favicon.svg")

    assert sti is not None
    with open(sti, encoding="utf-8") as fil:
        svg = fil.read()
    assert svg.startswith("<svg") and "<title>Mikrolån</title>" in svg
    assert finders.find("apple-touch-icon.png") is not None
