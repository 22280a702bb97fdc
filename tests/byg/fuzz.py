"""Fuzzing forms and query parameters through the test client (issue 12 point 7: no 500 on any
input, nothing half-saved, errors in Danish).

A form is read from the page that shows it (`formular_paa`): its fields, their current values and
choices, so an example starts from what a user could send and hypothesis replaces some fields with
junk (`udfyldninger`). Each example runs in a savepoint that is rolled back (`rul_tilbage`), so an
accepted example does not change the next one's starting point.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from borgere.models import Borger
from forloeb.models import Aktivitet, Forloeb, Opfoelgning
from laan.models import Laan
from visitation.models import Henvisning

from .aktiviteter import opret_aktivitet
from .laan import bevilget_laan, udbetalt_laan
from .sager import henvis, lav_borger, lav_forloeb, lav_pladsaftale, til_hovedforloeb, udskriv

# Bounded and reproducible: the same examples on every run, in CI too. The database and the
# logged-in client are set up once per test (function-scoped fixtures), each example rolls back.
FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# The apps whose rows a rejected POST must leave alone. The access log (revision) is left out: a
# page shown again with its errors logs that a citizen's data was read, which is right.
SAGSAPPS = ("borgere", "visitation", "forloeb", "laan", "notifikationer")

# Django's own messages in English: a field that reaches one was not given a Danish message.
ENGELSK = (
    "This field is required",
    "Enter a valid",
    "Enter a whole number",
    "Enter a number",
    "Ensure this value",
    "Select a valid choice",
    "Null characters are not allowed",
    "is not one of the available choices",
    "The submitted data was not a file",
)

KANTER = [
    "31.12.9999",
    "9999-12-31",
    "01.01.0001",
    "0001-01-01",
    "00.00.0000",
    "29.02.2027",
    "31.12.1999",
    "01.01.2000",
    "1e309",
    "NaN",
    "-Infinity",
    "-0",
    "0x10",
    "١٢٣",  # Arabic-Indic digits: int() accepts them
    "５０００",  # full-width digits
    "1.000.000.000.000,00",
    "50000,001",
    "\x00",
    "a\x00b",
    "\r\n",
    "'; DROP TABLE borgere_borger; --",
    "<script>alert(1)</script>",
    "\u202eevil",
    "💥" * 300,
    "x" * 100_000,
]

SKRAMMEL = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats().map(str),
    st.sampled_from(KANTER),
)


@dataclass
class Formular:
    action: str
    method: str
    # Field name → the values a user could send (the current value, or the choices of a select,
    # the ticked/unticked values of a checkbox).
    felter: dict[str, list[str]] = field(default_factory=dict)


class _Laeser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.formularer: list[Formular] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self._select and self.formularer:
            if a.get("value") is not None:
                self.formularer[-1].felter[self._select].append(a["value"])
            return
        if tag == "form":
            self.formularer.append(
                Formular(action=a.get("action") or "", method=(a.get("method") or "get").lower())
            )
            return
        if not self.formularer or not a.get("name"):
            return
        felter = self.formularer[-1].felter
        navn = a["name"]
        if tag == "input":
            if a.get("type") in ("submit", "button", "file"):
                return
            felter.setdefault(navn, []).append(a.get("value") or "")
        elif tag == "button":
            # A named button sends its value (deltog / afbud / udeblev).
            felter.setdefault(navn, []).append(a.get("value") or "")
        elif tag == "select":
            self._select = navn
            felter.setdefault(navn, [])
        elif tag == "textarea":
            self._textarea = navn
            felter.setdefault(navn, [""])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and data.strip():
            self.formularer[-1].felter[self._textarea] = [data]


def formularer(html: str) -> list[Formular]:
    laeser = _Laeser()
    laeser.feed(html)
    return laeser.formularer


def formular_paa(klient, side: str, action: str) -> Formular:
    """The form on `side` that is sent to `action` (a form without action is sent to its page)."""
    svar = klient.get(side)
    assert svar.status_code == 200, (side, svar.status_code)
    fundne = [f for f in formularer(svar.content.decode()) if (f.action or side) == action]
    assert fundne, f"no form to {action} on {side}"
    formular = fundne[0]
    # Every field but the CSRF token (the test client does not check it).
    formular.felter.pop("csrfmiddlewaretoken", None)
    assert formular.felter, f"the form to {action} has no fields"
    return formular


def udfyldninger(felter: dict[str, list[str]]):
    """Hypothesis data for a form: per field a value a user could send, junk, or nothing."""

    def felt(muligheder: list[str]):
        return st.one_of(
            st.sampled_from(muligheder or [""]),
            SKRAMMEL,
            st.none(),  # the field left out of the request
        )

    return st.fixed_dictionaries({navn: felt(m) for navn, m in felter.items()}).map(
        lambda data: {navn: v for navn, v in data.items() if v is not None}
    )


def raekker() -> dict[str, int]:
    """The number of rows of every model of the case apps."""
    return {
        model._meta.label: model._default_manager.count()
        for label in SAGSAPPS
        for model in apps.get_app_config(label).get_models()
    }


@contextmanager
def rul_tilbage():
    """Run one example in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def tjek_svar(svar) -> None:
    """No server error, and no English validation message on the page."""
    assert svar.status_code < 500, svar.status_code
    if svar.get("Content-Type", "").startswith("text/html"):
        tekst = svar.content.decode()
        engelsk = [m for m in ENGELSK if m in tekst]
        assert not engelsk, engelsk


# --- One case in every state a form needs -----------------------------------------------------


@dataclass
class Fuzzsag:
    borger: Borger  # registered, not referred
    henvisning: Henvisning  # referred, awaiting the visitation
    i_opkvalificering: Forloeb  # admitted today
    i_hovedforloeb: Forloeb  # with a paid-out loan and an approved one, room for one more
    udbetalt: Laan
    bevilget: Laan
    aktivitet: Aktivitet  # today, with i_opkvalificering as participant
    opfoelgning: Opfoelgning  # due, of a programme discharged three months ago


def fuzzsag(pilot) -> Fuzzsag:
    idag = timezone.localdate()
    aftale = lav_pladsaftale(pilot, antal_pladser=4)
    opkvalificering = lav_forloeb(pilot, aftale, "Ida", "Fuzz")
    hovedforloeb = til_hovedforloeb(pilot, lav_forloeb(pilot, aftale, "Ole", "Fuzz"))
    udskrevet = lav_forloeb(pilot, aftale, "Kim", "Fuzz", startdato=idag - relativedelta(months=5))
    udskriv(pilot, udskrevet, idag - relativedelta(months=3))
    return Fuzzsag(
        borger=lav_borger(pilot, "Bo", "Fuzz"),
        henvisning=henvis(pilot, aftale, lav_borger(pilot, "Eva", "Fuzz")),
        i_opkvalificering=opkvalificering,
        i_hovedforloeb=hovedforloeb,
        udbetalt=udbetalt_laan(pilot, hovedforloeb, Decimal("20000.00")),
        bevilget=bevilget_laan(pilot, hovedforloeb, Decimal("10000.00")),
        aktivitet=opret_aktivitet(pilot, [opkvalificering], dato=idag),
        # The three-month one: due today, or a few days ago when a month end shortened it.
        opfoelgning=udskrevet.opfoelgninger.order_by("forfalder").first(),
    )
