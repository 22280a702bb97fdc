"""The session list's export (forloeb:aktiviteter_eksport): the sessions the list shows for the
same filters, every page, as CSV or XLSX with attendance counted; no participant is named."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from forloeb.models import Deltagelse
from mikrolaan.konti.models import Organisation, Rolle
from mikrolaan.revision.models import AdgangsLog
from tests.byg.aktiviteter import (
    I_OPKVALIFICERING,
    aktivitetsaftale,
    indskriv,
    opret_aktivitet,
    registrer_deltagelse,
)
from tests.byg.fabrikker import AktivitetFactory, BrugerFactory, OrganisationFactory
from tests.byg.tid import DAG

URL = reverse("forloeb:aktiviteter_eksport")


def _csv(svar) -> list[list[str]]:
    return list(csv.reader(io.StringIO(svar.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def kursusdag(pilot):
    """A past accounting class for Anna (attended) and Bo (absent), with two guests."""
    aftale = aktivitetsaftale(pilot)
    anna = indskriv(pilot, aftale, "Anna", efternavn="Deltagersen")
    bo = indskriv(pilot, aftale, "Bo", efternavn="Deltagersen")
    aktivitet = opret_aktivitet(pilot, [anna, bo], gaester=2)
    registrer_deltagelse(pilot, aktivitet, bo, Deltagelse.Status.UDEBLEV)
    return aktivitet


def test_the_file_holds_the_past_sessions_with_attendance_counted(pilot, kursusdag, klient):
    svar = klient(pilot.forloebsmedarbejder).get(URL, {"visning": "afholdte", "format": "csv"})

    assert svar.status_code == 200
    raekker = _csv(svar)
    assert raekker[0] == [
        "Dato",
        "Starttid",
        "Varighed (minutter)",
        "Type",
        "Form",
        "Sted",
        "Medarbejder",
        "Deltagere",
        "Deltog",
        "Afbud",
        "Udeblev",
        "Gæster",
        "Aflyst",
    ]
    assert raekker[1] == [
        I_OPKVALIFICERING.strftime("%d.%m.%Y"),
        "10:00",
        "90",
        kursusdag.get_type_display(),
        "Gruppe",
        "Jobhuset, Næstved",
        str(pilot.forloebsmedarbejder),
        "2",
        "1",
        "0",
        "1",
        "2",
        "",
    ]
    # Counts only: no participant is named.
    assert "Deltagersen" not in svar.content.decode("utf-8-sig")


def test_the_lists_filters_apply_to_the_file(pilot, klient):
    idag = timezone.localdate()
    AktivitetFactory(medarbejder=pilot.forloebsmedarbejder, dato=idag + DAG, type="moms")
    AktivitetFactory(medarbejder=pilot.forloebsmedarbejder, dato=idag + 2 * DAG)
    AktivitetFactory(medarbejder=pilot.forloebsmedarbejder, dato=idag - DAG, type="moms")

    svar = klient(pilot.forloebsmedarbejder).get(URL, {"type": "moms", "format": "xlsx"})

    ark = openpyxl.load_workbook(io.BytesIO(svar.content)).active
    assert ark.title == "Aktiviteter"
    datoer = [r[0] for r in ark.iter_rows(min_row=2, values_only=True)]
    assert [d.date() for d in datoer] == [idag + DAG]  # upcoming only, of that type
    starttid = ark.cell(row=2, column=2)
    assert isinstance(starttid.value, datetime.time) and starttid.number_format == "HH:MM"
    assert isinstance(ark.cell(row=2, column=8).value, int)
    log = AdgangsLog.objects.get(handling=AdgangsLog.Handling.EKSPORT)
    assert log.kriterier == {
        "liste": "aktiviteter",
        "format": "xlsx",
        "afholdte": False,
        "type": "moms",
        "fra": None,
        "til": None,
        "antal": 1,
        "cpr": False,
    }


def test_the_file_never_holds_another_organisations_sessions(pilot, klient):
    holbaek = OrganisationFactory(navn="Holbæk Kommune", type=Organisation.Type.KOMMUNE)
    AktivitetFactory(
        medarbejder=BrugerFactory(organisation=holbaek, rolle=Rolle.FORLOEBSMEDARBEJDER),
        dato=timezone.localdate(),
        sted="Holbæk",
    )

    svar = klient(pilot.forloebsmedarbejder).get(URL)

    assert len(_csv(svar)) == 1


def test_there_is_no_cpr_choice_for_sessions(pilot, kursusdag, klient):
    svar = klient(pilot.forloebsmedarbejder).get(URL, {"visning": "afholdte", "medtag_cpr": "1"})

    assert "CPR-nummer" not in _csv(svar)[0]
    assert not AdgangsLog.objects.filter(handling=AdgangsLog.Handling.VIS_CPR).exists()


@pytest.mark.parametrize("rolle", ["sagsbehandler", "erhvervschef", "administrator", "fremmed"])
def test_the_export_is_course_staffs_like_the_list(pilot, klient, rolle):
    assert klient(getattr(pilot, rolle)).get(URL).status_code == 403
    assert not AdgangsLog.objects.exists()


def test_the_download_is_never_cached(pilot, klient):
    svar = klient(pilot.forloebsmedarbejder).get(URL, {"format": "xlsx"})

    assert "no-store" in svar["Cache-Control"]
    assert svar["Content-Disposition"].startswith('attachment; filename="mikrolaan-aktiviteter-')


def test_the_list_offers_the_export_with_its_filters_and_without_a_cpr_choice(pilot, klient):
    AktivitetFactory(medarbejder=pilot.forloebsmedarbejder, dato=timezone.localdate() - DAG)

    svar = klient(pilot.forloebsmedarbejder).get(
        reverse("forloeb:aktiviteter"), {"visning": "afholdte", "type": "", "side": "1"}
    )

    html = svar.content.decode().split(f'action="{URL}"')[1]
    assert '<input type="hidden" name="visning" value="afholdte">' in html
    assert 'name="side"' not in html
    assert "Medtag CPR-nummer" not in html


@pytest.mark.parametrize("antal", [1, 5])
def test_the_export_costs_the_same_queries_however_many_sessions(
    pilot, klient, django_assert_num_queries, antal
):
    for nummer in range(antal):
        AktivitetFactory(
            medarbejder=pilot.forloebsmedarbejder, dato=timezone.localdate() + nummer * DAG
        )
    forloebsmedarbejder = klient(pilot.forloebsmedarbejder)

    # Session, user, the user's roles, the sessions (with staff member and attendance counted)
    # and the export's log row.
    with django_assert_num_queries(5):
        svar = forloebsmedarbejder.get(URL, {"format": "xlsx"})
    assert svar.status_code == 200
