"""The citizen list's export (borgere:eksport): the list's citizens for the same search, as CSV or
XLSX, access-logged, and without CPR numbers unless the user chooses them and may see them."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from borgere import regler
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import BorgerFactory
from tests.byg.sager import lav_borger

URL = reverse("borgere:eksport")


def _csv(svar) -> list[list[str]]:
    return list(csv.reader(io.StringIO(svar.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def borgere(pilot):
    """Two of the caseworker's citizens and one of another jobcenter's."""
    return {
        "anna": lav_borger(pilot, "Anna", "Jensen"),
        "bo": lav_borger(pilot, "Bo", "Andersen"),
        "fremmed": BorgerFactory(
            fornavn="Carl", efternavn="Fremmedsen", jobcenter=pilot.fremmed_org
        ),
    }


def test_the_file_holds_the_citizens_the_list_shows_in_its_order_without_cpr(
    pilot, borgere, klient
):
    svar = klient(pilot.sagsbehandler).post(URL, {"format": "csv"})

    assert svar.status_code == 200
    raekker = _csv(svar)
    assert raekker[0] == ["Efternavn", "Fornavn", "Forsørgelsesgrundlag", "Jobcenter", "Oprettet"]
    assert [r[:2] for r in raekker[1:]] == [["Andersen", "Bo"], ["Jensen", "Anna"]]
    assert raekker[1][2:4] == ["Kontanthjælp", "Jobcenter Vallensbæk"]
    indhold = svar.content.decode("utf-8-sig")
    for borger in borgere.values():
        assert borger.cpr[:6] not in indhold
    assert "Fremmedsen" not in indhold


def test_a_name_search_exports_only_the_citizens_it_finds(pilot, borgere, klient):
    svar = klient(pilot.sagsbehandler).post(URL, {"q": "Jensen, Anna", "format": "csv"})

    assert [r[:2] for r in _csv(svar)[1:]] == [["Jensen", "Anna"]]


def test_a_malformed_cpr_search_exports_no_citizens(pilot, borgere, klient):
    svar = klient(pilot.sagsbehandler).post(URL, {"q": "010190-12345", "format": "csv"})

    assert svar.status_code == 200
    assert len(_csv(svar)) == 1


def test_the_xlsx_file_has_the_same_rows_with_the_date_as_a_date(pilot, borgere, klient):
    svar = klient(pilot.sagsbehandler).post(URL, {"format": "xlsx"})

    assert svar["Content-Type"].startswith("application/vnd.openxmlformats")
    ark = openpyxl.load_workbook(io.BytesIO(svar.content)).active
    assert ark.title == "Borgere"
    assert [(r[0], r[1]) for r in ark.iter_rows(min_row=2, values_only=True)] == [
        ("Andersen", "Bo"),
        ("Jensen", "Anna"),
    ]
    oprettet = ark.cell(row=2, column=5)
    assert oprettet.value.date() == localdate(borgere["bo"].oprettet)
    assert oprettet.number_format == "DD.MM.YYYY"


def test_the_download_is_never_cached_and_its_name_holds_no_person(pilot, borgere, klient):
    svar = klient(pilot.sagsbehandler).post(URL, {"q": "Jensen", "format": "xlsx"})

    assert "no-store" in svar["Cache-Control"]
    filnavn = svar["Content-Disposition"]
    assert filnavn.startswith('attachment; filename="mikrolaan-borgere-')
    assert "Jensen" not in filnavn and "Anna" not in filnavn


def test_an_export_is_access_logged_once_with_its_criteria_and_no_cpr_reveal(
    pilot, borgere, klient
):
    klient(pilot.sagsbehandler).post(URL, {"q": "Jensen", "format": "xlsx"})

    eksport = AdgangsLog.objects.get(handling=AdgangsLog.Handling.EKSPORT)
    assert eksport.bruger == pilot.sagsbehandler
    assert eksport.kriterier == {
        "liste": "borgere",
        "format": "xlsx",
        "soegning": "Jensen",
        "antal": 1,
        "cpr": False,
    }
    assert not AdgangsLog.objects.filter(handling=AdgangsLog.Handling.VIS_CPR).exists()


def test_a_cpr_search_is_logged_without_its_digits(pilot, borgere, klient):
    cpr = borgere["anna"].cpr
    svar = klient(pilot.sagsbehandler).post(URL, {"q": cpr, "format": "csv"})

    assert [r[:2] for r in _csv(svar)[1:]] == [["Jensen", "Anna"]]
    eksport = AdgangsLog.objects.get(handling=AdgangsLog.Handling.EKSPORT)
    assert eksport.kriterier["soegning"] == "[CPR]"


def test_cpr_numbers_are_included_when_chosen_and_each_reveal_is_logged_per_citizen(
    pilot, borgere, klient
):
    svar = klient(pilot.sagsbehandler).post(URL, {"format": "csv", "medtag_cpr": "1"})

    raekker = _csv(svar)
    assert raekker[0][:3] == ["Efternavn", "Fornavn", "CPR-nummer"]
    bo, anna = borgere["bo"].cpr, borgere["anna"].cpr
    assert [r[2] for r in raekker[1:]] == [f"{bo[:6]}-{bo[6:]}", f"{anna[:6]}-{anna[6:]}"]
    visninger = AdgangsLog.objects.filter(handling=AdgangsLog.Handling.VIS_CPR)
    assert sorted(visninger.values_list("objekt_id", flat=True)) == sorted(
        [str(borgere["anna"].pk), str(borgere["bo"].pk)]
    )
    assert {v.kriterier["eksport"] for v in visninger} == {"borgere"}
    assert {v.bruger for v in visninger} == {pilot.sagsbehandler}
    assert AdgangsLog.objects.get(handling=AdgangsLog.Handling.EKSPORT).kriterier["cpr"] is True


def test_a_user_without_the_right_to_see_cpr_numbers_cannot_include_them(
    pilot, borgere, klient, monkeypatch
):
    monkeypatch.setattr(regler, "kan_vise_cpr", lambda bruger: False)

    svar = klient(pilot.sagsbehandler).post(URL, {"format": "csv", "medtag_cpr": "1"})

    assert svar.status_code == 403
    assert not AdgangsLog.objects.exists()


@pytest.mark.parametrize("rolle", ["erhvervschef", "administrator"])
def test_roles_without_cases_are_refused(pilot, borgere, klient, rolle):
    svar = klient(getattr(pilot, rolle)).post(URL, {"format": "csv"})

    assert svar.status_code == 403
    assert not AdgangsLog.objects.exists()


def test_a_caseworker_elsewhere_exports_only_their_own_citizens(pilot, borgere, klient):
    svar = klient(pilot.fremmed).post(URL, {"format": "csv", "medtag_cpr": "1"})

    assert [r[:2] for r in _csv(svar)[1:]] == [["Fremmedsen", "Carl"]]
    assert AdgangsLog.objects.filter(handling=AdgangsLog.Handling.VIS_CPR).count() == 1


def test_the_export_is_posted_like_the_search_so_a_cpr_never_is_in_a_url(pilot, klient):
    assert klient(pilot.sagsbehandler).get(URL).status_code == 405


def test_an_anonymous_user_is_sent_to_the_login(client):
    svar = client.post(URL, {"format": "csv"})

    assert svar.status_code == 302
    assert svar["Location"].startswith(reverse("konti:log_ind"))


def test_the_list_offers_the_export_with_its_search_and_the_cpr_choice(pilot, borgere, klient):
    svar = klient(pilot.sagsbehandler).post(reverse("borgere:liste"), {"q": "Jensen"})

    html = svar.content.decode()
    assert f'action="{URL}"' in html
    assert '<input type="hidden" name="q" value="Jensen">' in html
    assert "Medtag CPR-nummer" in html
    assert "Hent som CSV" in html and "Hent som regneark (XLSX)" in html


@pytest.mark.parametrize("antal", [1, 6])
def test_the_export_costs_the_same_queries_however_many_citizens(
    pilot, klient, django_assert_num_queries, antal
):
    for nummer in range(antal):
        lav_borger(pilot, "Borger", f"Nummer{nummer}")
    sagsbehandler = klient(pilot.sagsbehandler)

    # Session, user, the user's roles, the caseworkers for the list's caseworker filter, the
    # citizens (with means of support and jobcenter), the export's log row, and the CPR reveals
    # in one insert (a citizen's content type is in Django's cache since the setup).
    with django_assert_num_queries(7):
        svar = sagsbehandler.post(URL, {"format": "xlsx", "medtag_cpr": "1"})
    assert svar.status_code == 200
