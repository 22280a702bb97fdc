"""Every page of every role holds its layout from a 320 px phone to a 1920 px screen.

The pages are the access matrix's: each named URL the role opens with 200, built from the
`sagsdata` fixture with the matrix's own kwargs builders, and HTML (spreadsheets, PDFs and the
calendar feed are files, not pages). At each width a page must not scroll sideways (the
document is no wider than the window: a table too wide for a phone scrolls inside its own region)
and must be axe clean. One browser context per role, one load per page: the widths are the
viewport changed under the loaded page.
"""

import functools
import time

import pytest
from django.test import Client
from django.urls import reverse

from tests import adgangsmatrix
from tests.adgangsmatrix import FORVENTNINGER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BREDDER = (320, 768, 1280, 1920)
HOEJDE = 900
# No sideways scrolling: the document is no wider than the window.
PASSER = "document.documentElement.scrollWidth <= window.innerWidth"


def _passer_inden(side, *, sekunder: float) -> bool:
    """Whether the page fits the window within `sekunder`, polled from here: `wait_for_function`
    compiles its predicate in the page, which the CSP (no 'unsafe-eval') refuses."""
    slut = time.monotonic() + sekunder
    while not side.evaluate(PASSER):
        if time.monotonic() > slut:
            return False
        side.wait_for_timeout(100)
    return True


# What sticks out past the window's right edge: the innermost elements outside any region that
# scrolls or clips on its own, named by tag, id and classes, so a failure says where to look.
UDSTIKKERE = """() => {
  const bredde = window.innerWidth;
  const stikkerUd = (el) => el.getBoundingClientRect().right > bredde + 0.5;
  // An ancestor that scrolls or clips holds its content in, unless the element is positioned
  // against a block outside that ancestor.
  const holdtInde = (el) => {
    const blok = el.offsetParent;
    const fri = ["absolute", "fixed"].includes(getComputedStyle(el).position);
    for (let p = el.parentElement; p; p = p.parentElement) {
      const klipper = ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(p).overflowX);
      if (klipper && !stikkerUd(p) && (!fri || (blok && (p === blok || p.contains(blok))))) {
        return true;
      }
    }
    return false;
  };
  return [...document.body.querySelectorAll("*")]
    .filter((el) => stikkerUd(el) && ![...el.children].some(stikkerUd) && !holdtInde(el))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + [...el.classList].map((k) => "." + k).join("")
      + " (" + Math.round(el.getBoundingClientRect().right) + " px)");
}"""


def _husk_byggere(monkeypatch):
    """The matrix builds each URL's objects on a fresh `sagsdata`; here all pages share one, so
    each builder (`_forloeb`, `_laan`, ...) runs once and hands the same object to every page
    that asks (they call each other through the module, so patching the module covers that)."""
    for navn, vaerdi in list(vars(adgangsmatrix).items()):
        if navn.startswith("_") and not navn.startswith("__") and callable(vaerdi):
            monkeypatch.setattr(adgangsmatrix, navn, _en_gang(vaerdi))


def _en_gang(bygger):
    bygget = {}

    @functools.wraps(bygger)
    def husket(data):
        if id(data) not in bygget:
            bygget[id(data)] = bygger(data)
        return bygget[id(data)]

    return husket


def _sider(sagsdata, bruger) -> list[str]:
    """The URLs of the HTML pages `bruger` opens with 200, in the matrix's order."""
    klient = Client()
    klient.force_login(bruger)
    rolle = {
        sagsdata.sagsbehandler: "sagsbehandler",
        sagsdata.forloebsmedarbejder: "forloebsmedarbejder",
        sagsdata.erhvervschef: "erhvervschef",
        sagsdata.administrator: "administrator",
    }[bruger]
    urler = []
    for navn, forventning in sorted(FORVENTNINGER.items()):
        if forventning.for_bruger(rolle) != 200:
            continue
        url = reverse(navn, kwargs=forventning.kwargs(sagsdata))
        svar = klient.get(url)
        assert svar.status_code == 200, (url, svar.status_code)
        if svar["Content-Type"].startswith("text/html"):
            urler.append(url)
    return urler


@pytest.mark.parametrize(
    "rolle", ["sagsbehandler", "forloebsmedarbejder", "erhvervschef", "administrator"]
)
def test_no_page_scrolls_sideways_or_fails_axe_from_320_to_1920_px(
    sagsdata, monkeypatch, side, log_ind, tjek_tilgaengelighed, rolle
):
    _husk_byggere(monkeypatch)
    bruger = getattr(sagsdata, rolle)
    # A long real name, as in the demo data ("Frederik Forløbsmedarbejder"): the user's menu
    # button is the widest item of the bar.
    bruger.first_name, bruger.last_name = "Frederikke Marie", "Østergaard-Christensen"
    bruger.save(update_fields=["first_name", "last_name"])
    urler = _sider(sagsdata, bruger)
    # Every role has more than its home page, notifications and password pages.
    assert len(urler) >= 4, urler
    log_ind(bruger)

    # Every finding of every page and width, so one run shows them all.
    fejl = []
    for url in urler:
        side.set_viewport_size({"width": BREDDER[-1], "height": HOEJDE})
        side.goto(url)
        for bredde in BREDDER:
            side.set_viewport_size({"width": bredde, "height": HOEJDE})
            # The page settles first: a chart or anything else that redraws itself for the new
            # width (Chart.js on its ResizeObserver) gets up to two seconds to do so.
            if not _passer_inden(side, sekunder=2):
                bred = side.evaluate("document.documentElement.scrollWidth")
                hvad = ", ".join(side.evaluate(UDSTIKKERE))
                fejl.append(f"{url} ved {bredde} px: {bred} px bred; stikker ud: {hvad}")
            try:
                tjek_tilgaengelighed(side)
            except AssertionError as axe:
                # The findings, without pytest's rewrite of the fixture's assertion.
                fejl.append(f"{url} ved {bredde} px: {str(axe).split(chr(10) + 'assert')[0]}")

    assert not fejl, "\n".join(fejl)
