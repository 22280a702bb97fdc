"""Every list's and overview's query parameters against random input (issue 12 point 7): filters,
periods, sort orders, page numbers and export formats with random text, huge numbers, NUL bytes
and dates at the edges. An invalid value falls back to its default; nothing answers 500 and no
message is Django's English default."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.byg.fuzz import FUZZ, SKRAMMEL, formularer, rul_tilbage, tjek_svar

pytestmark = pytest.mark.django_db

# Parameters every list may be sent besides its own filter form's fields.
FAELLES = ["side", "sorter", "format", "medtag_cpr", "visning", "fra", "til", "status", "q"]

SIDER = {
    "borgere": ("sagsbehandler", "borgere:liste"),
    "henvisninger": ("sagsbehandler", "visitation:henvisninger"),
    "henvisninger_eksport": ("sagsbehandler", "visitation:henvisninger_eksport"),
    "aktiviteter": ("forloebsmedarbejder", "forloeb:aktiviteter"),
    "aktiviteter_eksport": ("forloebsmedarbejder", "forloeb:aktiviteter_eksport"),
    "mine_forloeb": ("forloebsmedarbejder", "oversigt:mine_forloeb"),
    "mine_forloeb_eksport": ("forloebsmedarbejder", "oversigt:mine_forloeb_eksport"),
    "mine_borgere": ("sagsbehandler", "oversigt:mine_borgere"),
    "erhvervschefens_forside": ("erhvervschef", "forside"),
    "ind_og_udskrivning": ("erhvervschef", "oversigt:ind_og_udskrivning"),
    "evaluering": ("erhvervschef", "oversigt:evaluering"),
    "evaluering_xlsx": ("erhvervschef", "oversigt:evaluering_xlsx"),
    "laanportefoelje": ("forloebsmedarbejder", "laan:portefoelje"),
    "laanportefoelje_xlsx": ("forloebsmedarbejder", "laan:portefoelje_xlsx"),
}


@pytest.mark.parametrize("navn", SIDER)
def test_random_query_parameters_give_no_server_error(sagsdata, klient, navn):
    rolle, url_navn = SIDER[navn]
    bruger = klient(getattr(sagsdata.pilot, rolle))
    url = reverse(url_navn)
    # The page's own GET forms name its filters (an export has none of its own).
    side = bruger.get(url)
    assert side.status_code == 200, side.status_code
    navne = set(FAELLES)
    if side["Content-Type"].startswith("text/html"):
        navne |= {
            felt
            for formular in formularer(side.content.decode())
            if formular.method == "get"
            for felt in formular.felter
        }

    @FUZZ
    @given(data=st.dictionaries(st.sampled_from(sorted(navne)), SKRAMMEL, max_size=5))
    def send(data):
        with rul_tilbage():
            tjek_svar(bruger.get(url, data))

    send()
