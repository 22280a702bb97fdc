"""Every form against random input (issue 12 point 7), as the user allowed to send it: random
text, huge numbers, odd unicode, NUL bytes, very long strings and dates at the edges, in every
field or left out. No answer is a server error, a rejected POST leaves every case table as it was
(nothing half-saved), and no error on the page is Django's English default."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.byg.fuzz import (
    FUZZ,
    formular_paa,
    fuzzsag,
    raekker,
    rul_tilbage,
    tjek_svar,
    udfyldninger,
)

pytestmark = pytest.mark.django_db

# id → (role, the page that shows the form, the URL it is sent to), from the case's objects.
FORMULARER = {
    "borger": (
        "sagsbehandler",
        lambda s: reverse("borgere:opret"),
        lambda s: reverse("borgere:opret"),
    ),
    "borger_rediger": (
        "sagsbehandler",
        lambda s: reverse("borgere:rediger", args=[s.borger.pk]),
        lambda s: reverse("borgere:rediger", args=[s.borger.pk]),
    ),
    "journalnotat": (
        "sagsbehandler",
        lambda s: reverse("borgere:detalje", args=[s.borger.pk]),
        lambda s: reverse("borgere:notat_opret", args=[s.borger.pk]),
    ),
    "henvisning": (
        "sagsbehandler",
        lambda s: reverse("visitation:henvisning_opret", args=[s.borger.pk]),
        lambda s: reverse("visitation:henvisning_opret", args=[s.borger.pk]),
    ),
    "visitation": (
        "forloebsmedarbejder",
        lambda s: reverse("visitation:detalje", args=[s.henvisning.pk]),
        lambda s: reverse("visitation:visitation_opret", args=[s.henvisning.pk]),
    ),
    "aktivitet": (
        "forloebsmedarbejder",
        lambda s: reverse("forloeb:aktivitet_opret"),
        lambda s: reverse("forloeb:aktivitet_opret"),
    ),
    "deltagelse": (
        "forloebsmedarbejder",
        lambda s: reverse("forloeb:aktivitet", args=[s.aktivitet.pk]),
        lambda s: reverse("forloeb:deltagelse", args=[s.aktivitet.pk, s.i_opkvalificering.pk]),
    ),
    "hovedforloeb": (
        "forloebsmedarbejder",
        lambda s: reverse("forloeb:detalje", args=[s.i_opkvalificering.pk]),
        lambda s: reverse("forloeb:hovedforloeb", args=[s.i_opkvalificering.pk]),
    ),
    "forlaengelse": (
        "forloebsmedarbejder",
        lambda s: reverse("forloeb:detalje", args=[s.i_opkvalificering.pk]),
        lambda s: reverse("forloeb:forlaeng", args=[s.i_opkvalificering.pk]),
    ),
    "udskrivning": (
        "forloebsmedarbejder",
        lambda s: reverse("forloeb:detalje", args=[s.i_opkvalificering.pk]),
        lambda s: reverse("forloeb:udskriv", args=[s.i_opkvalificering.pk]),
    ),
    "opfoelgning": (
        "sagsbehandler",
        lambda s: reverse("forloeb:detalje", args=[s.opfoelgning.forloeb_id]),
        lambda s: reverse("forloeb:opfoelgning", args=[s.opfoelgning.pk]),
    ),
    "laanansoegning": (
        "forloebsmedarbejder",
        lambda s: reverse("laan:forloeb", args=[s.i_hovedforloeb.pk]),
        lambda s: reverse("laan:ansoeg", args=[s.i_hovedforloeb.pk]),
    ),
    "udbetaling": (
        "forloebsmedarbejder",
        lambda s: reverse("laan:detalje", args=[s.bevilget.pk]),
        lambda s: reverse("laan:udbetal", args=[s.bevilget.pk]),
    ),
    "indbetaling": (
        "forloebsmedarbejder",
        lambda s: reverse("laan:detalje", args=[s.udbetalt.pk]),
        lambda s: reverse("laan:indbetaling", args=[s.udbetalt.pk]),
    ),
}


@pytest.mark.parametrize("navn", FORMULARER)
def test_random_input_gives_no_server_error_and_a_rejected_post_saves_nothing(pilot, klient, navn):
    rolle, side, action = FORMULARER[navn]
    sag = fuzzsag(pilot)
    bruger = klient(getattr(pilot, rolle))
    formular = formular_paa(bruger, side(sag), action(sag))
    assert formular.method == "post"
    # Every example starts from the same rows: each one is rolled back.
    foer = raekker()

    @FUZZ
    @given(data=udfyldninger(formular.felter), htmx=st.booleans())
    def send(data, htmx):
        with rul_tilbage():
            headers = {"HX-Request": "true"} if htmx else {}
            svar = bruger.post(formular.action or side(sag), data, headers=headers)
            tjek_svar(svar)
            if svar.status_code != 302 and not svar.get("HX-Redirect"):
                assert raekker() == foer, "a rejected POST changed the case tables"

    send()
