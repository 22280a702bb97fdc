"""Export in a real browser: the citizen list's search, downloaded with the CPR numbers chosen."""

import csv
import io

import pytest
from playwright.sync_api import expect

from mikrolaan.revision.models import AdgangsLog
from tests.byg.sager import lav_borger

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_downloads_the_search_result_with_cpr_numbers(
    pilot, side, log_ind, menu, tjek_tilgaengelighed
):
    anna = lav_borger(pilot, "Anna", "Jensen")
    lav_borger(pilot, "Bo", "Berg")
    log_ind(pilot.sagsbehandler)
    menu("Borgere")

    side.get_by_label("Søg på navn eller CPR-nummer").fill("Jensen")
    side.get_by_role("button", name="Søg").click()
    expect(side.locator("#resultater")).to_contain_text("1 borger fundet")
    tjek_tilgaengelighed(side)

    side.get_by_label("Medtag CPR-nummer").check()
    with side.expect_download() as hentning:
        side.get_by_role("button", name="Hent som CSV").click()
    fil = hentning.value

    assert fil.suggested_filename.startswith("mikrolaan-borgere-")
    with open(fil.path(), encoding="utf-8-sig") as indhold:
        raekker = list(csv.reader(io.StringIO(indhold.read()), delimiter=";"))
    assert [r[:3] for r in raekker] == [
        ["Efternavn", "Fornavn", "CPR-nummer"],
        ["Jensen", "Anna", f"{anna.cpr[:6]}-{anna.cpr[6:]}"],
    ]
    assert AdgangsLog.objects.filter(
        handling=AdgangsLog.Handling.VIS_CPR, objekt_id=str(anna.pk)
    ).exists()
