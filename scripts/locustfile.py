"""Mikrolån's daily work for locust: the three roles, through the pages a browser would use.

Run by `scripts/lasttest.py`, which starts the servers and sets the environment read here:
LASTTEST_LOGINS ("last": the national data set's `last-<rolle>-<n>` users; "demo": the three demo
users, shared by every simulated user of the role), LASTTEST_ADGANGSKODE and LASTTEST_TAENKETID.

Each simulated user logs in through the login form and then picks what to open from the pages it
sees (links parsed from "Mine borgere", "Mine forløb", the session list, the dashboard), never
from hard-coded ids. POSTs carry the CSRF token from the last page, and the htmx requests the
headers htmx sends. A request fails on any status but the expected one, and on an answer that is
an error message (an htmx row with an error, a search refused).
"""

# S311: random picks which simulated work comes next; nothing here is a secret.
# ruff: noqa: S311

import itertools
import os
import random
import re

from locust import HttpUser, between, task
from locust.exception import StopUser

ADGANGSKODE = os.environ.get("LASTTEST_ADGANGSKODE", "mikrolaan-demo")
# Seconds between one task and the next, "min-max".
TAENKETID = [float(s) for s in os.environ.get("LASTTEST_TAENKETID", "1-3").split("-")]
LOGINS = os.environ.get("LASTTEST_LOGINS", "last")

# The form field or the `hx-headers` on <body>; every page that has a form carries one of them.
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
_BORGER_LINK = re.compile(r'href="/(?:borgere|oversigt/borgere)/(\d+)/(?:tidslinje/)?"')
# The lists write names "Efternavn, Fornavn" as a link's text.
_NAVN = re.compile(r'href="/(?:borgere|oversigt/borgere)/\d+/(?:tidslinje/)?">([^<,]+),')
_FORLOEB_LINK = re.compile(r'href="/forloeb/(\d+)/"')
_AKTIVITET_LINK = re.compile(r'href="/forloeb/aktiviteter/(\d+)/"')
# One-tap attendance: the row's form, whose buttons post `status`.
_FREMMOEDE = re.compile(r'hx-post="(/forloeb/aktiviteter/\d+/fremmoede/(\d+)/)"')
_CPR = re.compile(r"\b(\d{6}-?\d{4})\b")
_AFTALE_LINK = re.compile(r'href="(/visitation/pladsaftaler/\d+/)"')
_EVALUERING_LINK = re.compile(r'href="(/oversigt/evaluering/\?[^"]*)"')
_FEJL = 'class="alert alert-danger'


def csrf_token(html: str) -> str | None:
    fund = _CSRF.search(html)
    return (fund.group(1) or fund.group(2)) if fund else None


def ider(moenster: re.Pattern, html: str) -> list[str]:
    """The distinct matches of `moenster` in `html`, in page order."""
    return list(dict.fromkeys(moenster.findall(html)))


class Medarbejder(HttpUser):
    """What every role does: log in, keep the CSRF token, open pages and check the answers."""

    abstract = True
    wait_time = between(*TAENKETID)
    rolle_login = ""  # the login stem: last-<stem>-<n>
    demo_bruger = ""
    antal_logins = 1
    forside_navn = "Forside"  # the home page differs by role: one row in the table per role
    _numre = None

    def on_start(self):
        nummer = next(type(self)._numre) % self.antal_logins + 1
        brugernavn = f"last-{self.rolle_login}-{nummer}" if LOGINS == "last" else self.demo_bruger
        self.csrf = None
        self.side("/konti/log-ind/", "Log ind (side)")
        with self.client.post(
            "/konti/log-ind/",
            data={
                "csrfmiddlewaretoken": self.csrf,
                "username": brugernavn,
                "password": ADGANGSKODE,
                "next": "",
            },
            name="Log ind",
            allow_redirects=False,
            catch_response=True,
        ) as svar:
            # A wrong password re-renders the form (200); a login redirects to the home page.
            logget_ind = svar.status_code == 302
            if not logget_ind:
                svar.failure(f"{brugernavn} could not log in ({svar.status_code})")
        if not logget_ind:
            raise StopUser  # every page would fail the same way
        self.side("/", self.forside_navn)

    def side(self, url: str, navn: str, *, htmx_fra: str = "") -> str:
        """GET a page (or, from the page `htmx_fra`, a part of it as htmx loads it); it must
        answer 200 itself (a redirect means the session was lost)."""
        hoveder = self._htmx(htmx_fra) if htmx_fra else {}
        with self.client.get(
            url, name=navn, headers=hoveder, allow_redirects=False, catch_response=True
        ) as svar:
            return self._tjek(svar)

    def send(
        self, url: str, navn: str, data: dict, *, htmx_maal: str, fra: str, forvent: str = ""
    ) -> str:
        """POST what an htmx form sends: its fields, the CSRF token, and htmx's headers. The
        answer must contain `forvent`."""
        hoveder = self._htmx(fra) | {"HX-Target": htmx_maal, "X-CSRFToken": self.csrf}
        with self.client.post(
            url,
            data={"csrfmiddlewaretoken": self.csrf, **data},
            name=navn,
            headers=hoveder,
            allow_redirects=False,
            catch_response=True,
        ) as svar:
            html = self._tjek(svar)
            if html and forvent not in html:
                svar.failure(f"the answer does not say {forvent!r}")
            return html

    def _htmx(self, nuvaerende: str) -> dict:
        return {"HX-Request": "true", "HX-Current-URL": self.host + nuvaerende}

    def _tjek(self, svar) -> str:
        if svar.status_code != 200:
            svar.failure(f"status {svar.status_code}")
            return ""
        html = svar.text
        if svar.request.method == "POST" and _FEJL in html:
            svar.failure("the answer is an error message")
        self.csrf = csrf_token(html) or self.csrf
        return html


class Sagsbehandler(Medarbejder):
    weight = 2
    rolle_login, demo_bruger, antal_logins = "sagsbehandler", "sagsbehandler", 20
    forside_navn = "Forside (Sagsbehandler)"
    _numre = itertools.count()

    def on_start(self):
        self.borgere: list[str] = []
        self.navne: list[str] = []
        self.cpr_numre: list[str] = []
        super().on_start()

    @task(3)
    def mine_borgere(self):
        html = self.side("/oversigt/mine-borgere/", "Mine borgere")
        self.borgere = ider(_BORGER_LINK, html) or self.borgere
        self.navne = ider(_NAVN, html) or self.navne

    @task(3)
    def soeg_navn(self):
        if not self.navne:
            return self.mine_borgere()
        self.side("/borgere/", "Borgere")
        html = self.soeg(random.choice(self.navne).strip(), "Søg: navn")
        self.borgere = ider(_BORGER_LINK, html) or self.borgere

    @task(2)
    def soeg_cpr(self):
        if not self.cpr_numre:
            return self.vis_cpr()
        self.side("/borgere/", "Borgere")
        # The number came from the citizen's own page: the search must find exactly them.
        self.soeg(random.choice(self.cpr_numre), "Søg: CPR", forvent="1 borger fundet")

    @task(4)
    def aabn_borger(self):
        if not self.borgere:
            return self.mine_borgere()
        pk = random.choice(self.borgere)
        self.side(f"/borgere/{pk}/", "Borger")
        self.side(f"/oversigt/borgere/{pk}/sag/", "Borger: sag (htmx)", htmx_fra=f"/borgere/{pk}/")
        self.side(f"/oversigt/borgere/{pk}/tidslinje/", "Tidslinje")

    @task(1)
    def forside(self):
        self.side("/", self.forside_navn)

    def vis_cpr(self):
        """Show a citizen's CPR (logged, as on the citizen page): what a caseworker looks up."""
        if not self.borgere:
            return self.mine_borgere()
        pk = random.choice(self.borgere)
        side = f"/borgere/{pk}/"
        self.side(side, "Borger")
        html = self.send(f"/borgere/{pk}/cpr/", "Vis CPR (htmx)", {}, htmx_maal="cpr", fra=side)
        if fund := _CPR.search(html):
            self.cpr_numre.append(fund.group(1))

    def soeg(self, tekst: str, navn: str, forvent: str = "") -> str:
        # The search form's fields, the list extension's filters left at "all".
        felter = {"q": tekst, "stadie": "", "sagsbehandler": ""}
        return self.send(
            "/borgere/", navn, felter, htmx_maal="resultater", fra="/borgere/", forvent=forvent
        )


class Forloebsmedarbejder(Medarbejder):
    weight = 2
    rolle_login, demo_bruger, antal_logins = "forloeb", "forloeb", 20
    forside_navn = "Forside (Forløbsmedarbejder)"
    _numre = itertools.count()

    def on_start(self):
        self.forloeb: list[str] = []
        self.borgere: list[str] = []
        self.aktiviteter: list[str] = []
        super().on_start()

    @task(3)
    def mine_forloeb(self):
        html = self.side("/oversigt/mine-forloeb/", "Mine forløb")
        self.forloeb = ider(_FORLOEB_LINK, html) or self.forloeb
        self.borgere = ider(_BORGER_LINK, html) or self.borgere

    @task(3)
    def aabn_forloeb(self):
        if not self.forloeb:
            return self.mine_forloeb()
        self.side(f"/forloeb/{random.choice(self.forloeb)}/", "Forløb")
        if self.borgere:
            self.side(f"/oversigt/borgere/{random.choice(self.borgere)}/tidslinje/", "Tidslinje")

    @task(3)
    def registrer_fremmoede(self):
        """Open a past session (or, with none, an upcoming one) and tap one participant's
        attendance, as the one-tap buttons do with htmx."""
        if not self.aktiviteter:
            html = self.side("/forloeb/aktiviteter/?visning=afholdte", "Aktiviteter")
            self.aktiviteter = ider(_AKTIVITET_LINK, html)
            if not self.aktiviteter:
                html = self.side("/forloeb/aktiviteter/", "Aktiviteter")
                self.aktiviteter = ider(_AKTIVITET_LINK, html)
            if not self.aktiviteter:
                return
        side = f"/forloeb/aktiviteter/{random.choice(self.aktiviteter)}/"
        raekker = _FREMMOEDE.findall(self.side(side, "Aktivitet"))
        if raekker:
            url, forloeb_pk = random.choice(raekker)
            # Mostly "deltog", now and then a correction, as a session's register goes.
            status = random.choices(["deltog", "afbud", "udeblev"], weights=[8, 1, 1])[0]
            self.send(
                url,
                "Fremmøde (htmx POST)",
                {"status": status},
                htmx_maal=f"deltagelse-{forloeb_pk}",
                fra=side,
            )

    @task(1)
    def forside(self):
        self.side("/", self.forside_navn)


class Erhvervschef(Medarbejder):
    weight = 1
    rolle_login, demo_bruger, antal_logins = "erhvervschef", "erhvervschef", 10
    # Her home page is the intake and discharge overview: the dashboard.
    forside_navn = "Dashboard (Erhvervschef)"
    _numre = itertools.count()

    def on_start(self):
        self.links: list[str] = []
        super().on_start()

    @task(4)
    def dashboard(self):
        html = self.side("/", self.forside_navn)
        self.links = ider(_AFTALE_LINK, html) + ider(_EVALUERING_LINK, html) or self.links

    @task(2)
    def aabn_fra_dashboard(self):
        if not self.links:
            return self.dashboard()
        url = random.choice(self.links).replace("&amp;", "&")
        self.side(url, "Evaluering" if "evaluering" in url else "Pladsaftale")
