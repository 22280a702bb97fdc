"""Language switch: Danish by default, English via the footer's set_language form, and back.

The English pages come from locale/en/LC_MESSAGES/django.mo, which `make test` compiles from the
.po before the tests run (`make locale-compiled`).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

LOG_IND_DA = "Log ind"
LOG_IND_EN = "Log in"
INTRO_DA = "Som sagsbehandler registrerer du borgere"
INTRO_EN = "As a caseworker, you register citizens"


@pytest.fixture
def engelsk_katalog():
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        pytest.fail(f"{MO} mangler eller er ældre end .po-filen: kør `make locale-compiled`")


def skift_sprog(client, sprog: str, naeste: str = "/") -> None:
    svar = client.post(reverse("set_language"), {"language": sprog, "next": naeste})
    assert svar.status_code == 302


def h1(html: str) -> str:
    fund = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert fund, "siden har ingen <h1>"
    return fund.group(1).strip()


@pytest.mark.django_db
def test_log_ind_er_dansk_som_standard(client):
    html = client.get(reverse("konti:log_ind")).content.decode()

    assert '<html lang="da">' in html
    assert h1(html) == LOG_IND_DA


def test_skift_til_engelsk_og_tilbage(client, pilot, engelsk_katalog):
    log_ind = reverse("konti:log_ind")

    skift_sprog(client, "en", log_ind)
    html = client.get(log_ind).content.decode()
    assert '<html lang="en">' in html
    assert h1(html) == LOG_IND_EN
    assert LOG_IND_DA not in html
    assert "Skip to content" in html

    client.force_login(pilot.sagsbehandler)
    html = client.get(reverse("forside")).content.decode()
    assert h1(html) == f"Welcome, {pilot.sagsbehandler.first_name}"
    assert INTRO_EN in html
    assert "Referral and joint intake assessment" in html
    assert INTRO_DA not in html

    skift_sprog(client, "da")
    html = client.get(reverse("forside")).content.decode()
    assert '<html lang="da">' in html
    assert h1(html) == f"Velkommen, {pilot.sagsbehandler.first_name}"
    assert INTRO_DA in html
    assert INTRO_EN not in html

    client.logout()
    html = client.get(log_ind).content.decode()
    assert h1(html) == LOG_IND_DA


# --- The English catalogue itself ------------------------------------------------------------


def laes_po(sti: Path) -> list[dict]:
    """A tiny .po reader: one dict per entry, keyword (msgid, msgstr[0], …) → text, plus flags."""
    poster, post, noegle = [], None, None
    for linje in sti.read_text(encoding="utf-8").splitlines() + [""]:
        if not linje.strip():
            if post:
                poster.append(post)
            post, noegle = None, None
            continue
        post = post if post is not None else {"flag": set()}
        if linje.startswith("#,"):
            post["flag"] |= {f.strip() for f in linje[2:].split(",")}
        elif linje.startswith("#"):
            continue
        elif linje.startswith('"'):
            post[noegle] += tekst(linje)
        else:
            noegle, _, rest = linje.partition(" ")
            post[noegle] = tekst(rest)
    return poster


def tekst(citeret: str) -> str:
    indhold = citeret.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), indhold)


def pladsholdere(streng: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)[sd]", streng))


@pytest.fixture(scope="module")
def poster():
    return laes_po(PO)


def test_katalogets_hoved(poster):
    hoved = next(p for p in poster if p["msgid"] == "")
    assert "Language: en\n" in hoved["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in hoved["msgstr"]


def test_ingen_tomme_eller_uklare_oversaettelser(poster):
    oversatte = [p for p in poster if p["msgid"]]
    assert len(oversatte) > 400

    tomme = [
        p["msgid"]
        for p in oversatte
        for noegle, vaerdi in p.items()
        if noegle.startswith("msgstr") and not vaerdi
    ]
    uklare = [p["msgid"] for p in oversatte if "fuzzy" in p["flag"]]
    assert not tomme, f"tomme msgstr: {tomme}"
    assert not uklare, f"fuzzy-markerede: {uklare}"


def test_pladsholdere_er_bevaret(poster):
    forkerte = []
    for p in (p for p in poster if p["msgid"]):
        if "msgid_plural" in p:
            par = [(p["msgid"], p["msgstr[0]"]), (p["msgid_plural"], p["msgstr[1]"])]
        else:
            par = [(p["msgid"], p["msgstr"])]
        forkerte += [(k, m) for k, m in par if pladsholdere(k) != pladsholdere(m)]
    assert not forkerte


def test_an_english_browser_still_gets_danish_until_the_user_switches(client):
    svar = client.get(reverse("konti:log_ind"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="da">' in svar.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    svar = client.get(reverse("konti:log_ind"), HTTP_ACCEPT_LANGUAGE="da")
    assert '<html lang="en">' in svar.content.decode()
