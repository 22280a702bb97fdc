"""Security headers on every kind of answer (issue 12, point 3): a Content-Security-Policy with no
inline script or style and no framing, a Permissions-Policy, and a hardened language cookie — on
pages, redirects, refusals, errors and downloads alike."""

import pytest
from django.urls import reverse

from tests.byg.proces import DEVELOPMENT_SECRETS, run_python


def _direktiver(svar) -> dict[str, list[str]]:
    politik = svar["Content-Security-Policy"]
    return {
        del_.split()[0]: del_.split()[1:]
        for del_ in (d.strip() for d in politik.split(";"))
        if del_
    }


def _svar(navn, client, sagsdata, klient, settings):
    """One answer of each kind the issue names."""
    if navn == "200":
        return client.get(reverse("konti:log_ind"))
    if navn == "302":
        return client.get(reverse("forside"))
    if navn == "403":
        return klient(sagsdata.erhvervschef).get(reverse("borgere:liste"))
    if navn == "404":
        return klient(sagsdata.sagsbehandler).get("/findes-ikke/")
    if navn == "500":
        settings.ROOT_URLCONF = "tests.byg.fejl_urls"
        client.raise_request_exception = False
        return client.get("/test-fejl/")
    if navn == "csv":
        return klient(sagsdata.sagsbehandler).post(reverse("borgere:eksport"), {"format": "csv"})
    if navn == "xlsx":
        return klient(sagsdata.sagsbehandler).post(reverse("borgere:eksport"), {"format": "xlsx"})
    if navn == "dokument":
        return klient(sagsdata.sagsbehandler).get(
            reverse(
                "borgere:dokument_hent",
                kwargs={"pk": sagsdata.borger.pk, "dokument_pk": sagsdata.dokument.pk},
            )
        )
    raise AssertionError(navn)


SVAR = ["200", "302", "403", "404", "500", "csv", "xlsx", "dokument"]
STATUS = {"200": 200, "302": 302, "403": 403, "404": 404, "500": 500}


@pytest.mark.parametrize("navn", SVAR)
def test_every_answer_has_a_csp_without_inline_code_or_framing(
    navn, client, sagsdata, klient, settings
):
    svar = _svar(navn, client, sagsdata, klient, settings)

    assert svar.status_code == STATUS.get(navn, 200)
    direktiver = _direktiver(svar)
    assert direktiver["default-src"] == ["'none'"]
    assert direktiver["script-src"] == ["'self'"]
    assert direktiver["style-src"] == ["'self'"]
    assert direktiver["frame-ancestors"] == ["'none'"]
    assert direktiver["object-src"] == ["'none'"]
    assert direktiver["base-uri"] == ["'none'"]
    assert direktiver["form-action"] == ["'self'"]
    politik = svar["Content-Security-Policy"]
    assert "unsafe-inline" not in politik and "unsafe-eval" not in politik


@pytest.mark.parametrize("navn", SVAR)
def test_every_answer_denies_camera_microphone_and_position(
    navn, client, sagsdata, klient, settings
):
    svar = _svar(navn, client, sagsdata, klient, settings)

    politik = {
        del_.split("=")[0].strip(): del_.split("=")[1].strip()
        for del_ in svar["Permissions-Policy"].split(",")
    }
    assert politik["camera"] == politik["microphone"] == politik["geolocation"] == "()"
    assert politik["payment"] == politik["usb"] == "()"


def test_the_500_page_is_danish_in_the_layout_without_a_menu(client, settings, pilot):
    settings.ROOT_URLCONF = "tests.byg.fejl_urls"
    client.raise_request_exception = False
    client.force_login(pilot.sagsbehandler)

    svar = client.get("/test-fejl/")

    tekst = svar.content.decode()
    assert svar.status_code == 500
    assert '<html lang="da">' in tekst
    assert '<h1 class="h2">Der opstod en fejl</h1>' in tekst
    assert "Prøv igen om lidt. Fejlen er registreret." in tekst
    assert 'href="/static/css/mikrolaan.css"' in tekst
    # No request, no context processors: no menu and no language form without its CSRF token.
    assert 'id="hovedmenu"' not in tekst
    assert 'name="language"' not in tekst


def test_the_language_cookie_is_httponly_and_same_site(client):
    svar = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    cookie = svar.cookies["django_language"]
    assert cookie.value == "en"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_the_language_cookie_is_secure_in_production_and_not_in_development(tmp_path):
    kode = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SAMESITE)"
    )
    production = DEVELOPMENT_SECRETS | {
        "DJANGO_ENV": "production",
        "ALLOWED_HOSTS": "mikrolaan.example.dk",
        "SITE_URL": "https://mikrolaan.example.dk",
        "EMAIL_URL": "smtp+tls://mikrolaan:hemmeligt@mail.example.dk:587",
        "DATABASE_URL": "postgresql://mikrolaan:hemmeligt@db.invalid:5432/mikrolaan",
        "REDIS_URL": "redis://redis.invalid:6379/0",
    }

    i_produktion = run_python(tmp_path, production, "-c", kode)
    i_udvikling = run_python(tmp_path, DEVELOPMENT_SECRETS, "-c", kode)

    assert i_produktion.stdout.split() == ["True", "Lax"], i_produktion.stderr
    # On http://127.0.0.1 in development a Secure cookie would never come back.
    assert i_udvikling.stdout.split() == ["False", "Lax"], i_udvikling.stderr
