"""The shared export writer (mikrolaan/eksport.py): CSV as Excel in Denmark opens it, XLSX typed."""

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
from django.http import QueryDict

from mikrolaan import eksport

from .byg.tid import paa

KOLONNER = [
    eksport.Kolonne("Navn", lambda r: r["navn"]),
    eksport.Kolonne("Dato", lambda r: r["dato"], eksport.DATO),
    eksport.Kolonne("Tidspunkt", lambda r: r["tidspunkt"], eksport.TIDSPUNKT),
    eksport.Kolonne("Klokken", lambda r: r["klokken"], eksport.KLOKKESLAET),
    eksport.Kolonne("Beløb", lambda r: r["beloeb"], eksport.KRONER),
    eksport.Kolonne("Antal", lambda r: r["antal"], eksport.HELTAL),
    eksport.Kolonne("Andel", lambda r: r["andel"], eksport.PROCENT),
    eksport.Kolonne("Aktiv", lambda r: r["aktiv"], eksport.JA_NEJ),
]
# 27.11.2026 at 08:30 UTC is 09:30 in Copenhagen.
RAEKKE = {
    "navn": "Åse Ærø",
    "dato": datetime.date(2026, 11, 27),
    "tidspunkt": datetime.datetime(2026, 11, 27, 8, 30, tzinfo=ZoneInfo("UTC")),
    "klokken": datetime.time(14, 5),
    "beloeb": Decimal("12500.50"),
    "antal": 1234,
    "andel": 0.875,
    "aktiv": True,
}
TOM = dict.fromkeys(RAEKKE) | {"navn": '=HYPERLINK("http://x")'}


def _csv_raekker(indhold: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(indhold.decode("utf-8-sig")), delimiter=";"))


def test_csv_is_utf8_with_bom_semicolons_and_crlf_as_danish_excel_opens_it():
    indhold, antal = eksport.csv_fil([RAEKKE], KOLONNER)

    assert antal == 1
    assert indhold.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in indhold
    assert indhold.decode("utf-8-sig").splitlines()[0] == (
        "Navn;Dato;Tidspunkt;Klokken;Beløb;Antal;Andel;Aktiv"
    )


def test_csv_writes_dates_amounts_and_yes_no_the_danish_way():
    raekker = _csv_raekker(eksport.csv_fil([RAEKKE], KOLONNER)[0])

    assert raekker[1] == [
        "Åse Ærø",
        "27.11.2026",
        "27.11.2026 09:30",
        "14:05",
        "12500,50",
        "1234",
        "87,5%",
        "Ja",
    ]


def test_csv_leaves_empty_values_empty_and_never_starts_a_text_with_a_formula():
    raekker = _csv_raekker(eksport.csv_fil([TOM], KOLONNER)[0])

    assert raekker[1][0] == '\'=HYPERLINK("http://x")'
    assert raekker[1][1:] == [""] * 7


def _ark(indhold: bytes):
    return openpyxl.load_workbook(io.BytesIO(indhold)).active


def test_xlsx_writes_numbers_as_numbers_and_dates_as_dates_with_danish_formats():
    indhold, antal = eksport.xlsx_fil([RAEKKE], KOLONNER, arknavn="Borgere: alle")
    ark = _ark(indhold)

    assert antal == 1
    assert ark.title == "Borgere alle"  # ":" is not allowed in a sheet's name
    assert [c.value for c in ark[1]] == [k.navn for k in KOLONNER]
    assert all(c.font.bold for c in ark[1])
    navn, dato, tidspunkt, klokken, beloeb, antal_, andel, aktiv = ark[2]
    assert navn.value == "Åse Ærø"
    assert dato.value.date() == datetime.date(2026, 11, 27)  # a date cell reads back as datetime
    assert dato.number_format == "DD.MM.YYYY"
    # Danish local time, without a zone (Excel has none).
    assert (tidspunkt.value.date(), tidspunkt.value.time()) == (
        datetime.date(2026, 11, 27),
        datetime.time(9, 30),
    )
    assert tidspunkt.value.tzinfo is None
    assert klokken.value == datetime.time(14, 5) and klokken.number_format == "HH:MM"
    assert beloeb.value == 12500.5 and beloeb.number_format == '#,##0.00 "kr."'
    assert antal_.value == 1234 and antal_.data_type == "n"
    assert andel.value == 0.875 and andel.number_format == "0.0 %"
    assert aktiv.value == "Ja"
    assert ark.freeze_panes == "A2"
    assert ark.auto_filter.ref == "A1:H2"


def test_xlsx_writes_a_text_that_looks_like_a_formula_as_text():
    celle = _ark(eksport.xlsx_fil([TOM], KOLONNER, arknavn="x")[0])["A2"]

    assert celle.value == '=HYPERLINK("http://x")'
    assert celle.data_type == "s"


def test_an_empty_list_is_a_file_with_only_the_headings():
    assert _csv_raekker(eksport.csv_fil([], KOLONNER)[0]) == [[k.navn for k in KOLONNER]]
    assert _ark(eksport.xlsx_fil([], KOLONNER, arknavn="x")[0]).max_row == 1


def test_the_export_choices_fall_back_to_csv_without_cpr():
    assert eksport.EksportForm(QueryDict("")).valg() == ("csv", False)
    assert eksport.EksportForm(QueryDict("format=pdf&medtag_cpr=ja")).valg() == ("csv", True)
    assert eksport.EksportForm(QueryDict("format=xlsx")).valg() == ("xlsx", False)


def test_the_filters_for_the_export_form_leave_out_the_page_and_the_export_choices():
    parametre = QueryDict("status=ny&side=3&format=xlsx&medtag_cpr=1&fase=a&fase=b")

    assert eksport.felter(parametre) == [("status", "ny"), ("fase", "a"), ("fase", "b")]


def test_the_download_is_named_after_the_list_and_the_day_only():
    with paa(datetime.date(2026, 11, 27)):
        svar = eksport.svar(b"x", format="xlsx", navn="borgere")

    assert svar["Content-Type"] == eksport.INDHOLDSTYPER["xlsx"]
    assert svar["Content-Disposition"] == (
        'attachment; filename="mikrolaan-borgere-2026-11-27.xlsx"'
    )


def test_a_date_column_shows_a_moment_as_its_danish_calendar_day():
    # 23:30 UTC on 26 November is 00:30 on 27 November in Copenhagen.
    oejeblik = datetime.datetime(2026, 11, 26, 23, 30, tzinfo=ZoneInfo("UTC"))
    kolonner = [eksport.Kolonne("Henvist", lambda r: r, eksport.DATO)]

    assert _csv_raekker(eksport.csv_fil([oejeblik], kolonner)[0])[1] == ["27.11.2026"]
    celle = _ark(eksport.xlsx_fil([oejeblik], kolonner, arknavn="x")[0])["A2"]
    assert celle.value.date() == datetime.date(2026, 11, 27)
    assert celle.number_format == "DD.MM.YYYY"
