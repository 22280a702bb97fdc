"""Pages with personal data are never cached (no-store), checked over every URL of the matrix.

A page answered with 200 to anyone must say no-store, unless it is listed below with the reason it
holds no personal data. A new page joins the matrix, and so this test, automatically.
"""

import pytest
from django.test import Client
from django.urls import reverse

from .adgangsmatrix import BRUGERE, FORVENTNINGER

UDEN_PERSONDATA = {
    "healthz": "a liveness probe for the load balancer",
    "konti:log_ind": "the login form",
}


def _sider():
    for navn, forventning in sorted(FORVENTNINGER.items()):
        if navn in UDEN_PERSONDATA:
            continue
        # The first kind of user the page is a 200 for.
        bruger = next((b for b in BRUGERE if forventning.for_bruger(b) == 200), None)
        if bruger is not None:
            yield navn, bruger


@pytest.mark.parametrize(("navn", "bruger"), list(_sider()))
def test_every_page_with_personal_data_is_sent_with_no_store(pilot, sagsdata, navn, bruger):
    forventning = FORVENTNINGER[navn]
    klient = Client()
    if bruger != "anonym":
        klient.force_login(getattr(pilot, bruger))

    svar = klient.get(reverse(navn, kwargs=forventning.kwargs(sagsdata)))

    assert svar.status_code == 200
    assert "no-store" in svar.get("Cache-Control", ""), navn


def test_the_exceptions_are_pages_of_the_matrix():
    assert set(UDEN_PERSONDATA) <= set(FORVENTNINGER)
