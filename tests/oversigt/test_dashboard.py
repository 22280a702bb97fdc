"""The Erhvervschef's dashboard (issue 10, point 1): place-months, the funnel, discharge reasons
and the waiting list beside the intake/discharge overview — hand-computed figures on a fixture,
only the agreements she follows, in a constant number of queries, and the month chart drawn by
Chart.js served from the app (no CDN) from the table that carries the numbers."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from forloeb.models import Udskrivning
from tests.byg.fabrikker import OrganisationFactory
from tests.byg.sager import henvis, lav_forloeb, lav_pladsaftale, optag, udskriv
from tests.byg.tid import paa

pytestmark = pytest.mark.django_db

URL = reverse("oversigt:ind_og_udskrivning")
D = datetime.date
FEBRUAR = {"fra": "01.02.2026", "til": "28.02.2026"}
AFTALE_2026 = {"gyldig_fra": D(2026, 1, 1), "gyldig_til": D(2026, 12, 31)}
# The day she looks: after the period, so every figure of February is final.
IDAG = D(2026, 3, 10)


class _Tabeller(HTMLParser):
    """The page's tables by caption: each a list of rows of cell texts (th and td)."""

    def __init__(self):
        super().__init__()
        self.tabeller: dict[str, list[list[str]]] = {}
        self._raekker = self._raekke = self._tekst = self._caption = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._raekker, self._caption = [], ""
        elif tag == "tr" and self._raekker is not None:
            self._raekke = []
        elif tag in ("th", "td", "caption") and self._raekker is not None:
            self._tekst = []

    def handle_endtag(self, tag):
        if tag == "caption" and self._tekst is not None:
            self._caption, self._tekst = "".join(self._tekst).strip(), None
        elif tag in ("th", "td") and self._tekst is not None:
            self._raekke.append(" ".join("".join(self._tekst).split()))
            self._tekst = None
        elif tag == "tr" and self._raekke is not None:
            self._raekker.append(self._raekke)
            self._raekke = None
        elif tag == "table" and self._raekker is not None:
            self.tabeller[self._caption] = self._raekker
            self._raekker = None

    def handle_data(self, data):
        if self._tekst is not None:
            self._tekst.append(data)


def tabeller(html: str) -> dict[str, list[list[str]]]:
    parser = _Tabeller()
    parser.feed(html)
    return parser.tabeller


def hent(pilot, params=FEBRUAR, *, bruger=None):
    # Logged in on the day itself: a session made today would have run out by then (8 hours).
    with paa(IDAG):
        klient = Client()
        klient.force_login(bruger or pilot.erhvervschef)
        return klient.get(URL, params)


@pytest.fixture
def februar(pilot):
    """Ishøj's two places through 2026, and February 2026 on them:

    - Hele (admitted 15.01, referred in January) holds a place all February: 28 days.
    - Kort is referred and admitted 15.02 and discharged 20.02 for a job: 6 days.
    - Tredje is referred and admitted 21.02 into the freed place: 8 days (21.–28.02).
    - Three more are referred, visited and signed 22.02, 24.02 and 28.02: the agreement is full,
      so they go on the waiting list; on 10.03 they have waited 16, 14 and 10 days (median 14).
    - One referral of 25.02 awaits its visitation.

    Place-months: bought 2 × 28 = 56 days = 1.8; used 28 + 6 + 8 = 42 days = 1.4; the share is
    of the days, not of the rounded months beside it: 42 / 56 = 75.0 %.
    Funnel of February's six referrals: henvist 6, visiteret 5 (83 %), optaget 2 (<3, no share),
    hovedforløb 0 (no share beside a hidden count), the rest 0.
    Discharge reasons: Job 1 (<3), every other reason 0.

    Not counted: an agreement another municipality buys, with its own admission, discharge,
    waiting list and referrals in February.
    """
    aftale = lav_pladsaftale(pilot, antal_pladser=2, navn="Ishøjs pladser 2026", **AFTALE_2026)
    lav_forloeb(pilot, aftale, "Hele", "Maaned", startdato=D(2026, 1, 15))
    kort = lav_forloeb(pilot, aftale, "Kort", "Ophold", startdato=D(2026, 2, 15))
    udskriv(pilot, kort, D(2026, 2, 20), Udskrivning.Aarsag.JOB)
    lav_forloeb(pilot, aftale, "Tredje", "Plads", startdato=D(2026, 2, 21))
    for dag in (22, 24, 28):
        assert optag(pilot, aftale, startdato=D(2026, 2, dag)) is None  # full: waiting list
    with paa(D(2026, 2, 25)):
        henvis(pilot, aftale)

    fremmed = lav_pladsaftale(
        pilot,
        antal_pladser=1,
        navn="Andet Kommunes plads",
        koeber=OrganisationFactory(navn="Andet Kommune", betjent_af=pilot.jobcenter),
        **AFTALE_2026,
    )
    anden = lav_forloeb(pilot, fremmed, "Fremmed", "Borger", startdato=D(2026, 2, 2))
    udskriv(pilot, anden, D(2026, 2, 3), Udskrivning.Aarsag.SYGDOM)
    lav_forloeb(pilot, fremmed, "Fremmed", "Igen", startdato=D(2026, 2, 4))
    assert optag(pilot, fremmed, startdato=D(2026, 2, 5)) is None
    return aftale


def test_the_page_shows_the_hand_computed_place_months(pilot, februar):
    tabel = tabeller(hent(pilot).content.decode())["Brugte af købte pladsmåneder i perioden"]

    assert tabel == [
        ["Pladsaftale", "Købte pladsmåneder", "Brugte pladsmåneder", "Brugt af købt"],
        ["Ishøjs pladser 2026", "1,8", "1,4", "75,0 %"],
    ]


def test_the_funnel_shows_counts_and_conversion_with_small_counts_hidden(pilot, februar):
    svar = hent(pilot)

    tabel = tabeller(svar.content.decode())[
        "Tragten: periodens henvisninger og hvor langt de er nået"
    ]
    assert tabel == [
        ["Trin", "Antal", "Andel af trinnet før"],
        ["Henvist", "6", "Første trin"],
        ["Visiteret", "5", "83 %"],
        ["Optaget", "<3", "–"],
        ["I hovedforløb", "0", "–"],
        ["Lån bevilget", "0", "–"],
        ["Virksomhed etableret (CVR)", "0", "–"],
        ["Selvforsørgende efter 6 måneder", "0", "–"],
        ["Selvforsørgende efter 12 måneder", "0", "–"],
    ]
    # The hidden count is not in the page's data either, only its published form.
    assert [str(t.antal) for t in svar.context["noegletal"]["tragt"]][:3] == ["6", "5", "<3"]


def test_the_discharge_reasons_list_every_reason_with_a_single_one_hidden(pilot, februar):
    tabel = tabeller(hent(pilot).content.decode())["Periodens udskrivninger fordelt på årsag"]

    assert tabel[0] == ["Årsag", "Antal"]
    raekker = dict(tabel[1:])
    assert len(raekker) == len(Udskrivning.Aarsag)
    assert raekker["Job"] == "<3"
    assert {aarsag: antal for aarsag, antal in raekker.items() if aarsag != "Job"} == dict.fromkeys(
        [a.label for a in Udskrivning.Aarsag if a != Udskrivning.Aarsag.JOB], "0"
    )


def test_the_waiting_list_shows_its_length_and_median_wait(pilot, februar):
    html = hent(pilot).content.decode()

    venteliste = re.search(r'<dl class="row mb-0" id="venteliste">(.*?)</dl>', html, re.S)[1]
    tekst = " ".join(re.sub(r"<[^>]+>", " ", venteliste).split())
    assert tekst == "På venteliste i alt 3 Median ventetid 14 dage"


def test_only_the_agreements_she_follows_are_counted(pilot, februar):
    svar = hent(pilot)

    html = svar.content.decode()
    assert "Andet Kommunes plads" not in html
    assert "Fremmed" not in html
    noegletal = svar.context["noegletal"]
    assert [p.pladsaftale for p in noegletal["pladsmaaneder"]] == ["Ishøjs pladser 2026"]
    assert dict(noegletal["udskrivningsaarsager"])["Sygdom"].vaerdi == 0
    assert noegletal["venteliste"].laengde.vaerdi == 3
    assert noegletal["tragt"][0].antal.vaerdi == 6
    # The intake/discharge months count hers only too: Kort and Tredje in, Kort out.
    maaneder = tabeller(html)["Antal indskrivninger og udskrivninger pr. måned i perioden"]
    assert maaneder[1:] == [["Februar 2026", "2", "1"], ["I alt", "2", "1"]]


def test_the_administrator_counts_every_agreement(pilot, februar):
    noegletal = hent(pilot, bruger=pilot.administrator).context["noegletal"]

    assert {p.pladsaftale for p in noegletal["pladsmaaneder"]} == {
        "Ishøjs pladser 2026",
        "Andet Kommunes plads",
    }
    # 3 + 1 on the waiting lists; 6 + 3 referrals in February.
    assert noegletal["venteliste"].laengde.vaerdi == 4
    assert noegletal["tragt"][0].antal.vaerdi == 9


def test_the_home_page_shows_the_same_figures(pilot, februar):
    with paa(IDAG):
        klient = Client()
        klient.force_login(pilot.erhvervschef)
        html = klient.get(reverse("forside"), FEBRUAR).content.decode()

    assert "Velkommen" in html
    assert tabeller(html)["Brugte af købte pladsmåneder i perioden"][1][1:] == [
        "1,8",
        "1,4",
        "75,0 %",
    ]


def test_an_invalid_period_shows_the_default_periods_figures_with_a_message(pilot, februar):
    svar = hent(pilot, {"fra": "28.02.2026", "til": "01.02.2026"})

    assert svar.status_code == 200
    assert "Perioden kunne ikke bruges" in str(list(svar.context["messages"])[0])
    assert set(svar.context["noegletal"]) == {
        "venteliste",
        "pladsmaaneder",
        "tragt",
        "udskrivningsaarsager",
    }


def test_the_month_chart_is_drawn_by_our_script_with_chartjs_served_by_the_app(pilot, februar):
    html = hent(pilot).content.decode()

    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert "/static/vendor/chartjs/chart.umd.min.js" in scripts
    assert "/static/js/diagram.js" in scripts
    assert all(src.startswith("/static/") for src in scripts)  # no CDN
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script (CSP)
    # The canvas names the table it draws and says that the table carries the numbers; its box
    # is hidden until the script has drawn it, so without JavaScript nothing is empty.
    canvas = re.search(r"<canvas[^>]*>", html)[0]
    assert 'data-diagram-tabel="maaned-tabel"' in canvas
    assert 'role="img"' in canvas and "Tallene står i tabellen" in canvas
    assert 'id="maaned-tabel"' in html
    assert re.search(r"<div[^>]*data-diagram-ramme[^>]*hidden", html)


def test_the_chart_scripts_are_served(settings):
    # As `runserver`/gunicorn in development serve them: WhiteNoise from the static finders.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    for sti, kendetegn in (
        ("/static/vendor/chartjs/chart.umd.min.js", b"Chart.js v4"),
        ("/static/js/diagram.js", b"data-diagram-tabel"),
    ):
        svar = Client().get(sti)
        assert svar.status_code == 200, sti
        assert kendetegn in b"".join(svar.streaming_content)
    assert finders.find("vendor/chartjs/chart.umd.min.js") is not None


@pytest.mark.parametrize("antal", [1, 5])
def test_the_dashboard_takes_the_same_number_of_queries_however_many_rows(
    pilot, antal, django_assert_num_queries
):
    aftale = lav_pladsaftale(pilot, antal_pladser=50, **AFTALE_2026)
    fuld = lav_pladsaftale(pilot, antal_pladser=1, navn="Fuld", **AFTALE_2026)
    lav_forloeb(pilot, fuld, "Optaget", "Fuld", startdato=D(2026, 1, 5))
    for nr in range(antal):
        forloeb = lav_forloeb(pilot, aftale, "Borger", f"Nr{nr}", startdato=D(2026, 2, 1 + nr))
        udskriv(pilot, forloeb, D(2026, 2, 10 + nr), Udskrivning.Aarsag.JOB)
        assert optag(pilot, fuld, startdato=D(2026, 2, 1 + nr)) is None
        with paa(D(2026, 2, 1 + nr)):
            henvis(pilot, aftale)
    with paa(IDAG):
        chef = Client()
        chef.force_login(pilot.erhvervschef)
        chef.get(URL, FEBRUAR)  # warm caches (content types)
        # 1 session, 2 user, 3 the user's roles, 4 intakes and discharges counted per month and
        # discharge reason (one grouped query), 5 the page of intakes, 6 the page of discharges,
        # 7 agreements with occupancy, 8 access log insert, 9 the loan portfolio's totals, 10 the
        # open waiting-list entries, 11 the agreements running in the period and 12 their
        # programmes (place-months), 13 the funnel (one aggregate of EXISTS), 14 unread
        # notifications (navigation).
        with django_assert_num_queries(14):
            svar = chef.get(URL, FEBRUAR)
    noegletal = svar.context["noegletal"]
    assert noegletal["tragt"][0].antal.vaerdi == 3 * antal
    assert noegletal["venteliste"].laengde.vaerdi == antal
    # Her home page with no period chosen: the agreements' period is one aggregate more.
    with paa(IDAG), django_assert_num_queries(15):
        svar = chef.get(reverse("forside"))
    assert svar.context["oversigt"].fra == D(2026, 1, 1)
