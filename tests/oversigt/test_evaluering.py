"""The committee's evaluation report: the web page, the PDF (text extracted with pypdf) and the
XLSX (read back with openpyxl) show the same hand-computed figures, hide 1s and 2s (also where a
hidden count could be worked out from a total), name no one, count only the buyer's agreements,
and the page takes a fixed number of queries."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from forloeb.models import Aktivitet, Opfoelgning, Udskrivning
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import OrganisationFactory
from tests.byg.sager import (
    lav_forloeb,
    lav_pladsaftale,
    registrer_fremmoede,
    registrer_opfoelgning,
    udskriv,
)
from tests.byg.tid import paa

pytestmark = pytest.mark.django_db

PERIODE = {"fra": "01.01.2027", "til": "30.06.2027"}
EFTER = datetime.date(2027, 7, 1)
START = datetime.date(2027, 1, 10)
NAVNE = ("Zelda", "Yrsa", "Xenia", "Vilja")
CPR_FORMET = re.compile(r"\b\d{6}-?\d{4}\b")
PERSONLIG = "Personlig vejledning"


def _fixture(pilot, *, ekstra: int = 0):
    """Four citizens admitted 10.01.2027 on Ishøj's agreement of 2027 (4 places at 36,500 kr.
    each for the year): the places of 1.1.–30.6. (181 of 365 days) cost 4 × 36,500 × 181/365 =
    72,400 kr.; per admitted participant 72,400 / 4 = 18,100 kr.; no business started.

    Personal guidance: three attended (one each, Zelda, Yrsa, Xenia), Zelda also stayed away
    once; a cancelled session's attendance does not count. Zelda left for a job on 15.02 and was
    self-supporting at the 3-month follow-up (15.05). `ekstra` more sessions attended by Vilja
    as network meetings (a row of their own), for the query count.
    """
    aftale = lav_pladsaftale(
        pilot,
        antal_pladser=4,
        gyldig_fra=datetime.date(2027, 1, 1),
        gyldig_til=datetime.date(2027, 12, 31),
        pris_pr_plads=Decimal("36500.00"),
    )
    # Another buyer's agreement: its price and its referral are no part of Ishøj's report.
    fremmed = lav_pladsaftale(
        pilot,
        navn="Købt af en anden kommune",
        koeber=OrganisationFactory(betjent_af=pilot.jobcenter),
        gyldig_fra=datetime.date(2027, 1, 1),
        gyldig_til=datetime.date(2027, 12, 31),
        pris_pr_plads=Decimal("999999.00"),
    )
    with paa(START):
        forloeb = [lav_forloeb(pilot, aftale, navn, "Quist") for navn in NAVNE]
        fremmed_forloeb = lav_forloeb(pilot, fremmed, "Ulrikke", "Quist")
    zelda, yrsa, xenia, vilja = forloeb
    for f in (zelda, yrsa, xenia):
        registrer_fremmoede(pilot, f, "deltog", dato=datetime.date(2027, 1, 20))
    registrer_fremmoede(pilot, zelda, "udeblev", dato=datetime.date(2027, 1, 27))
    registrer_fremmoede(pilot, fremmed_forloeb, "deltog", dato=datetime.date(2027, 1, 20))
    (aflyst,) = registrer_fremmoede(pilot, vilja, "deltog", dato=datetime.date(2027, 1, 21))
    Aktivitet.objects.filter(pk=aflyst.aktivitet_id).update(
        aflyst=datetime.datetime(2027, 1, 20, 9, tzinfo=datetime.UTC),
        aflyst_af=pilot.forloebsmedarbejder,
        aflysningsgrund="Sygdom",
    )
    for nr in range(ekstra):
        registrer_fremmoede(
            pilot,
            vilja,
            "deltog",
            type=Aktivitet.Type.NETVAERKSMOEDE,
            dato=datetime.date(2027, 2, 1) + datetime.timedelta(days=nr),
        )
    udskriv(pilot, zelda, datetime.date(2027, 2, 15), Udskrivning.Aarsag.JOB, note="Hemmelig note")
    registrer_opfoelgning(
        pilot, Opfoelgning.objects.get(forloeb=zelda, maaneder=3), note="Fortrolig bemærkning"
    )
    return aftale


def _hent(client, bruger, navn):
    with paa(EFTER):
        client.force_login(bruger)  # on the day, so the session has not expired
        return client.get(reverse(navn), PERIODE)


def _pdf_tekst(indhold: bytes) -> str:
    tekst = "\n".join(side.extract_text() for side in PdfReader(io.BytesIO(indhold)).pages)
    return re.sub(r"[ \t]+", " ", tekst)


def _ark(indhold: bytes) -> dict[str, list[list]]:
    bog = load_workbook(io.BytesIO(indhold))
    return {
        ark.title: [list(r) for r in ark.iter_rows(min_row=2, values_only=True)]
        for ark in bog.worksheets
    }


def _raekke(ark: list[list], navn: str) -> list:
    return next(r for r in ark if r[0] == navn)


def _celler(html: str, overskrift: str) -> list[str]:
    """The cells of the table row headed `overskrift` in the page's HTML."""
    raekke = re.search(rf"<th scope=\"row\">{re.escape(overskrift)}</th>(.*?)</tr>", html, re.S)
    return re.findall(r"<td[^>]*>(.*?)</td>", raekke.group(1))


@pytest.fixture
def rapport(pilot, client):
    _fixture(pilot)
    side = _hent(client, pilot.erhvervschef, "oversigt:evaluering")
    pdf = _hent(client, pilot.erhvervschef, "oversigt:evaluering_pdf")
    xlsx = _hent(client, pilot.erhvervschef, "oversigt:evaluering_xlsx")
    assert (side.status_code, pdf.status_code, xlsx.status_code) == (200, 200, 200)
    return side.content.decode(), _pdf_tekst(pdf.content), _ark(xlsx.content)


def test_the_page_the_pdf_and_the_spreadsheet_show_the_same_hand_computed_figures(rapport):
    html, pdf, ark = rapport

    # The funnel: 4 referred, assessed and admitted in the period; the other buyer's not counted.
    assert _celler(html, "1. Henvist")[0] == "4"
    assert _celler(html, "3. Optaget") == ["4", "100 %"]
    assert "1. Henvist 4" in pdf and "3. Optaget 4 100 %" in pdf
    assert _raekke(ark["Tragt"], "Optaget")[1:] == [4, "100 %"]
    # The cost: 72,400 kr. for the period's places, 18,100 kr. per admitted participant, none
    # per business (no business started).
    assert _celler(html, "Pladser i perioden") == ["72.400 kr."]
    assert _celler(html, "Pr. optaget deltager") == ["18.100 kr."]
    assert _celler(html, "Pr. etableret virksomhed") == ["–"]
    assert "Pladser i perioden 72.400 kr." in pdf and "Pr. optaget deltager 18.100 kr." in pdf
    assert _raekke(ark["Omkostning"], "Pladser i perioden")[1] == 72400
    assert _raekke(ark["Omkostning"], "Pr. optaget deltager")[1] == 18100
    assert _raekke(ark["Omkostning"], "Pr. etableret virksomhed")[1] is None


def test_small_counts_are_hidden_in_all_three_also_where_a_total_would_give_them_away(rapport):
    html, pdf, ark = rapport

    # Personal guidance: 3 attended, 0 cancelled, 1 stayed away, 4 in all. The 1 is hidden, and
    # so is the 3 (secondary: 4 − 3 would give the 1 away); the cancelled session is not counted.
    assert _celler(html, PERSONLIG) == ["&lt;3", "0", "&lt;3", "4"]
    assert f"{PERSONLIG} <3 0 <3 4" in pdf
    assert _raekke(ark["Fremmøde"], PERSONLIG)[1:] == ["<3", 0, "<3", 4]
    # The 3 attended is also the column's only entry, so the column's total is hidden too.
    assert _raekke(ark["Fremmøde"], "I alt")[1:] == ["<3", 0, "<3", 4]
    # One discharge for a job, one self-supporting at 3 months: both <3.
    assert _celler(html, "Job") == ["&lt;3"]
    assert "Job <3" in pdf
    assert _raekke(ark["Udskrivningsårsager"], "Job")[1] == "<3"
    assert _celler(html, "3 måneder") == ["&lt;3", "0", "&lt;3"]
    assert "3 måneder <3 0 <3" in pdf
    assert _raekke(ark["Opfølgning"], "3 måneder")[1:] == ["<3", 0, "<3"]
    # Counts are numbers in the spreadsheet, not text.
    assert _raekke(ark["Udskrivningsårsager"], "Sygdom")[1] == 0


def test_no_name_no_cpr_number_and_no_note_in_any_of_the_three(rapport, pilot):
    html, pdf, ark = rapport
    celler = " ".join(str(v) for rows in ark.values() for r in rows for v in r if v is not None)

    for tekst in (html, pdf, celler):
        assert not CPR_FORMET.search(tekst)
        for navn in (*NAVNE, "Ulrikke", "Quist", "Hemmelig note", "Fortrolig bemærkning"):
            assert navn not in tekst


def test_each_download_is_access_logged_with_its_period(rapport, pilot):
    logget = AdgangsLog.objects.filter(
        bruger=pilot.erhvervschef, handling=AdgangsLog.Handling.EKSPORT
    ).order_by("pk")

    assert [(r.kriterier["format"], r.kriterier["fra"], r.kriterier["til"]) for r in logget] == [
        ("pdf", "2027-01-01", "2027-06-30"),
        ("xlsx", "2027-01-01", "2027-06-30"),
    ]


def test_the_course_staff_are_refused(pilot, client):
    assert _hent(client, pilot.forloebsmedarbejder, "oversigt:evaluering").status_code == 403


@pytest.mark.parametrize("ekstra", [0, 6])
def test_the_page_takes_a_fixed_number_of_queries(pilot, client, ekstra, django_assert_num_queries):
    _fixture(pilot, ekstra=ekstra)
    with paa(EFTER):
        client.force_login(pilot.erhvervschef)
        # The session; the user; the user's roles. The funnel (1). Place-months: the agreements,
        # their programmes (2). Intake and discharge per month with the discharge reasons: one
        # grouped query (1). The waiting list (1). Attendance (1). Follow-ups (1). Cost: the
        # agreements with their prices (1). The loan portfolio (1). The bell's unread
        # notifications in the page header (1).
        with django_assert_num_queries(QUERIES):
            svar = client.get(reverse("oversigt:evaluering"), PERIODE)
    assert svar.status_code == 200


QUERIES = 3 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 1
