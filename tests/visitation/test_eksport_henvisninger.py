"""The referral list's export (visitation:henvisninger_eksport): the referrals the list shows for
the same status filter, as CSV or XLSX, access-logged, CPR numbers only by choice and right."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from borgere import regler as borger_regler
from forloeb.services.indskrivning import visitation_underskriv
from mikrolaan.revision.models import AdgangsLog
from tests.byg.sager import henvis, lav_borger, visiter

URL = reverse("visitation:henvisninger_eksport")


def _csv(svar) -> list[list[str]]:
    return list(csv.reader(io.StringIO(svar.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def afvist(sagsdata):
    """A second referral to the `sagsdata` agreement, refused at the visitation by both."""
    henvisning = henvis(
        sagsdata.pilot, sagsdata.pladsaftale, lav_borger(sagsdata.pilot, "Bo", "Berg")
    )
    visiter(
        sagsdata.pilot,
        henvisning,
        "afvist",
        kan_gennemfoere="nej",
        afvisningsgrund="Ikke klar endnu.",
    )
    visitation_underskriv(bruger=sagsdata.sagsbehandler, visitation=henvisning.visitation)
    henvisning.refresh_from_db()
    assert henvisning.status == "afvist"
    return henvisning


def test_the_file_holds_the_referrals_of_the_list_without_cpr(sagsdata, afvist, klient):
    svar = klient(sagsdata.sagsbehandler).get(URL, {"format": "csv"})

    assert svar.status_code == 200
    raekker = _csv(svar)
    assert raekker[0] == [
        "Efternavn",
        "Fornavn",
        "Henvist",
        "Henvist af",
        "Jobcenter",
        "Pladsaftale",
        "Leverandør",
        "Forsørgelsesgrundlag",
        "Status",
    ]
    # Newest first, as the list.
    assert [r[:2] for r in raekker[1:]] == [["Berg", "Bo"], ["Testesen", "Anna"]]
    anna = raekker[2]
    assert anna[2] == localdate(sagsdata.henvisning.oprettet).strftime("%d.%m.%Y")
    assert anna[4:] == [
        "Jobcenter Vallensbæk",
        "Mikrolån Næstved (test)",
        "Næstved Kommune",
        "Kontanthjælp",
        "Henvist – afventer visitation",
    ]
    assert raekker[1][-1] == "Afvist"
    assert sagsdata.borger.cpr[:6] not in svar.content.decode("utf-8-sig")


def test_the_status_filter_of_the_list_applies_to_the_file(sagsdata, afvist, klient):
    svar = klient(sagsdata.forloebsmedarbejder).get(URL, {"status": "afvist", "format": "xlsx"})

    ark = openpyxl.load_workbook(io.BytesIO(svar.content)).active
    assert [r[:2] for r in ark.iter_rows(min_row=2, values_only=True)] == [("Berg", "Bo")]
    assert ark.cell(row=2, column=3).number_format == "DD.MM.YYYY"
    log = AdgangsLog.objects.get(handling=AdgangsLog.Handling.EKSPORT)
    assert log.kriterier == {
        "liste": "henvisninger",
        "format": "xlsx",
        "status": "afvist",
        "antal": 1,
        "cpr": False,
    }


def test_cpr_numbers_come_only_when_chosen_and_each_citizen_is_logged_once(
    sagsdata, afvist, klient
):
    svar = klient(sagsdata.forloebsmedarbejder).get(URL, {"format": "csv", "medtag_cpr": "1"})

    raekker = _csv(svar)
    assert raekker[0][2] == "CPR-nummer"
    anna = sagsdata.borger.cpr
    assert raekker[2][2] == f"{anna[:6]}-{anna[6:]}"
    assert sorted(
        AdgangsLog.objects.filter(handling=AdgangsLog.Handling.VIS_CPR).values_list(
            "objekt_id", flat=True
        )
    ) == sorted([str(sagsdata.borger.pk), str(afvist.borger_id)])


def test_a_user_without_the_right_to_see_cpr_numbers_cannot_include_them(
    sagsdata, klient, monkeypatch
):
    monkeypatch.setattr(borger_regler, "kan_vise_cpr", lambda bruger: False)

    assert klient(sagsdata.sagsbehandler).get(URL, {"medtag_cpr": "1"}).status_code == 403
    assert not AdgangsLog.objects.exists()


@pytest.mark.parametrize("rolle", ["erhvervschef", "administrator"])
def test_roles_without_cases_are_refused(sagsdata, klient, rolle):
    assert klient(getattr(sagsdata, rolle)).get(URL).status_code == 403
    assert not AdgangsLog.objects.exists()


def test_a_caseworker_elsewhere_gets_a_file_without_the_pilots_referrals(sagsdata, klient):
    svar = klient(sagsdata.fremmed).get(URL, {"format": "csv"})

    assert svar.status_code == 200
    assert len(_csv(svar)) == 1


def test_the_download_is_never_cached_and_named_without_persons(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).get(URL, {"format": "csv"})

    assert "no-store" in svar["Cache-Control"]
    assert svar["Content-Disposition"].startswith('attachment; filename="mikrolaan-henvisninger-')
    assert "Testesen" not in svar["Content-Disposition"]


def test_the_list_offers_the_export_with_its_current_filter(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).get(
        reverse("visitation:henvisninger"), {"status": "henvist", "side": "1"}
    )

    html = svar.content.decode()
    assert f'action="{URL}"' in html
    assert '<input type="hidden" name="status" value="henvist">' in html
    assert 'name="side"' not in html.split(f'action="{URL}"')[1]
    assert "Medtag CPR-nummer" in html


@pytest.mark.parametrize("antal", [0, 4])
def test_the_export_costs_the_same_queries_however_many_referrals(
    sagsdata, klient, django_assert_num_queries, antal
):
    for nummer in range(antal):
        henvis(sagsdata.pilot, sagsdata.pladsaftale, lav_borger(sagsdata.pilot, "B", f"N{nummer}"))
    sagsbehandler = klient(sagsdata.sagsbehandler)

    # Session, user, the user's roles, the referrals (with citizen, referrer, agreement and
    # provider, jobcenter and means of support), the export's log row and the CPR reveals in
    # one insert.
    with django_assert_num_queries(6):
        svar = sagsbehandler.get(URL, {"format": "xlsx", "medtag_cpr": "1"})
    assert svar.status_code == 200
