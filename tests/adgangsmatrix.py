"""Who may open which URL: the declared expectation for every named URL × every kind of user.

When an issue adds a URL it adds a line here; a URL the resolver knows but this table does not
makes `test_every_url_has_a_declared_expectation` fail. Statuses are for a GET.

Columns: anonym, sagsbehandler, forloebsmedarbejder, erhvervschef, administrator, fremmed
(a caseworker at an organisation that takes part in none of the test's cases).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

BRUGERE = (
    "anonym",
    "sagsbehandler",
    "forloebsmedarbejder",
    "erhvervschef",
    "administrator",
    "fremmed",
)

# Shorthands for readability in the table below.
LOGIN = "login"  # anonymous users are redirected to the login page


@dataclass(frozen=True)
class Forventning:
    anonym: int | str
    sagsbehandler: int
    forloebsmedarbejder: int
    erhvervschef: int
    administrator: int
    fremmed: int
    # Builds the URL's kwargs from the `sagsdata` fixture (objects in the pilot's scope).
    kwargs: Callable[[object], dict] = field(default=lambda data: {})

    def for_bruger(self, bruger: str):
        return getattr(self, bruger)


ALLE = {
    "sagsbehandler": 200,
    "forloebsmedarbejder": 200,
    "erhvervschef": 200,
    "administrator": 200,
    "fremmed": 200,
}

FORVENTNINGER: dict[str, Forventning] = {
    "forside": Forventning(anonym=LOGIN, **ALLE),
    "healthz": Forventning(anonym=200, **ALLE),
    # set_language is POST-only; a GET is redirected back.
    "set_language": Forventning(anonym=302, **dict.fromkeys(ALLE, 302)),
    "konti:log_ind": Forventning(anonym=200, **dict.fromkeys(ALLE, 302)),
    "konti:log_ud": Forventning(anonym=LOGIN, **dict.fromkeys(ALLE, 405)),
    "konti:skift_adgangskode": Forventning(anonym=LOGIN, **ALLE),
    "konti:adgangskode_skiftet": Forventning(anonym=LOGIN, **ALLE),
}

# Django's admin is for the Administrator role only (is_staff). Its many generated URLs follow one
# rule rather than one line each: everyone else is redirected to a login; the administrator gets a
# page, a redirect or a 404 for the placeholder object id — never a server error.
ADMIN_IKKE_PERSONALE = 302
ADMIN_UNDTAGELSER: dict[str, Forventning] = {
    "admin:login": Forventning(anonym=200, **dict.fromkeys(ALLE, 200) | {"administrator": 302}),
    # Logout is POST-only; non-staff users are sent to the admin's login before that matters.
    "admin:logout": Forventning(anonym=302, **dict.fromkeys(ALLE, 302) | {"administrator": 405}),
}
