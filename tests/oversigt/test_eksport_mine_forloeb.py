"""The export of course staff's "Mine forløb" (oversigt:mine_forloeb_eksport): the work list's
programmes for the same filters and order, every page, as CSV or XLSX, access-logged, CPR numbers
only by choice and right."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from borgere import regler as borger_regler
from mikrolaan.revision.models import AdgangsLog
from tests.byg.sager import faser, lav_forloeb, registrer_fremmoede, til_hovedforloeb

URL = reverse("oversigt:mine_forloeb_eksport")


def _csv(svar) -> list[list[str]]:
    return list(csv.reader(io.StringIO(svar.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def to(pilot, aftale):
    """Anna in the qualifying phase with two of three sessions attended; Bo in the main phase."""
    anna = lav_forloeb(pilot, aftale, "Anna", "Jensen")
    registrer_fremmoede(pilot, anna, "deltog", "deltog", "udeblev")
    bo = til_hovedforloeb(pilot, lav_forloeb(pilot, aftale, "Bo", "Berg"))
    return {"anna": anna, "bo": bo}


def test_the_file_holds_the_work_lists_programmes_with_their_figures(pilot, to, klient):
    svar = klient(pilot.forloebsmedarbejder).get(URL, {"format": "csv", "sorter": "navn"})

    assert svar.status_code == 200
    raekker = _csv(svar)
    assert raekker[0] == [
        "Efternavn",
        "Fornavn",
        "Pladsaftale",
        "Status",
        "Indskrevet",
        "Fasens planlagte slut",
        "Dage tilbage",
        "Deltog",
        "Registreret fremmøde",
        "Fremmøde",
        "I risiko",
        "Opfølgning forfalden",
    ]
    # Sorted by first name, as the list with the same `sorter`.
    assert [r[:2] for r in raekker[1:]] == [["Jensen", "Anna"], ["Berg", "Bo"]]
    anna = raekker[1]
    slut = faser(to["anna"])["opkvalificering"].planlagt_slut
    assert anna[3:6] == [
        "Opkvalificering",
        to["anna"].startdato.strftime("%d.%m.%Y"),
        slut.strftime("%d.%m.%Y"),
    ]
    # Two of three attended: under the at-risk share (forloeb.models.RISIKO_FREMMOEDE).
    assert anna[7:11] == ["2", "3", "66,7%", "Ja"]
    assert raekker[2][3] == "Hovedforløb"
    assert to["anna"].borger.cpr[:6] not in svar.content.decode("utf-8-sig")


def test_the_lists_filters_apply_to_the_file(pilot, to, klient):
    svar = klient(pilot.forloebsmedarbejder).get(URL, {"format": "xlsx", "fase": "hovedforloeb"})

    ark = openpyxl.load_workbook(io.BytesIO(svar.content)).active
    assert ark.title == "Mine forløb"
    assert [r[:2] for r in ark.iter_rows(min_row=2, values_only=True)] == [("Berg", "Bo")]
    assert ark.cell(row=2, column=5).number_format == "DD.MM.YYYY"
    assert isinstance(ark.cell(row=2, column=7).value, int)  # days left, a number
    log = AdgangsLog.objects.get(handling=AdgangsLog.Handling.EKSPORT)
    assert log.kriterier == {
        "liste": "mine-forloeb",
        "format": "xlsx",
        "fase": "hovedforloeb",
        "status": "aktive",
        "i_risiko": False,
        "sorter": "dage",
        "kun_mine": False,
        "antal": 1,
        "cpr": False,
    }


def test_cpr_numbers_come_only_when_chosen_and_each_reveal_is_logged(pilot, to, klient):
    svar = klient(pilot.forloebsmedarbejder).get(
        URL, {"format": "csv", "medtag_cpr": "1", "sorter": "navn"}
    )

    raekker = _csv(svar)
    assert raekker[0][2] == "CPR-nummer"
    cpr = to["anna"].borger.cpr
    assert raekker[1][2] == f"{cpr[:6]}-{cpr[6:]}"
    assert sorted(
        AdgangsLog.objects.filter(handling=AdgangsLog.Handling.VIS_CPR).values_list(
            "objekt_id", flat=True
        )
    ) == sorted(str(f.borger_id) for f in to.values())


def test_a_user_without_the_right_to_see_cpr_numbers_cannot_include_them(
    pilot, to, klient, monkeypatch
):
    monkeypatch.setattr(borger_regler, "kan_vise_cpr", lambda bruger: False)

    assert klient(pilot.forloebsmedarbejder).get(URL, {"medtag_cpr": "1"}).status_code == 403
    assert not AdgangsLog.objects.exists()


@pytest.mark.parametrize("rolle", ["sagsbehandler", "erhvervschef", "administrator", "fremmed"])
def test_the_export_is_course_staffs_like_the_work_list(pilot, klient, rolle):
    assert klient(getattr(pilot, rolle)).get(URL).status_code == 403
    assert not AdgangsLog.objects.exists()


def test_the_download_is_never_cached_and_named_without_persons(pilot, to, klient):
    svar = klient(pilot.forloebsmedarbejder).get(URL)

    assert "no-store" in svar["Cache-Control"]
    assert svar["Content-Disposition"].startswith('attachment; filename="mikrolaan-mine-forloeb-')
    assert svar["Content-Disposition"].endswith('.csv"')


def test_the_work_list_offers_the_export_with_its_filters(pilot, to, klient):
    svar = klient(pilot.forloebsmedarbejder).get(
        reverse("oversigt:mine_forloeb"), {"fase": "hovedforloeb", "sorter": "navn", "side": "1"}
    )

    html = svar.content.decode().split(f'action="{URL}"')[1]
    assert '<input type="hidden" name="fase" value="hovedforloeb">' in html
    assert '<input type="hidden" name="sorter" value="navn">' in html
    assert 'name="side"' not in html
    assert "Medtag CPR-nummer" in html


@pytest.mark.parametrize("antal", [1, 4])
def test_the_export_costs_the_same_queries_however_many_programmes(
    pilot, aftale, klient, django_assert_num_queries, antal
):
    for nummer in range(antal):
        lav_forloeb(pilot, aftale, "Borger", f"Nummer{nummer}")
    forloebsmedarbejder = klient(pilot.forloebsmedarbejder)

    # Session, user, the user's roles, the programmes (with citizen, agreement and
    # every figure as an annotation), the export's log row and the CPR reveals in one insert.
    with django_assert_num_queries(6):
        svar = forloebsmedarbejder.get(URL, {"format": "xlsx", "medtag_cpr": "1"})
    assert svar.status_code == 200
