"""The loan portfolio (laan:portefoelje) and its spreadsheet (laan:portefoelje_xlsx): totals with
PAR30, the loans filtered by status and name, the overdue list — for the two case roles, scoped to
their organisation's cases and access-logged.

The portfolio, by hand, on 1 October 2026 (every loan 4 months without grace, paid out on Monday
20 July 2026, so instalments fall due 20.08, 21.09, 20.10 and 20.11):

- Sofie Holm, 10,000 kr., nothing paid: 20.08 and 21.09 unpaid, 42 days past due → PAR30;
- Karim Said, 10,000 kr., 5,000 paid on 20.08: both due instalments paid, not in arrears;
- Mette Lund, 4,000 kr., repaid in full (indfriet);
- Bo Berg, an application of 5,000 kr. (not disbursed).

Paid out 24,000; repaid 9,000 (37.5 %); outstanding 10,000 + 5,000 = 15,000, of which 10,000 on a
loan more than 30 days past due: PAR30 = 10,000 / 15,000 = 66.7 %.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from laan.models import Laan
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.sider import PR_SIDE
from tests.byg.laan import ansoegt_laan, forloeb_paa_faste_dage, indbetal, udbetalt_laan
from tests.byg.sager import PERIODE_2025_2027, lav_pladsaftale
from tests.byg.tid import paa

UDBETALT = datetime.date(2026, 7, 20)
IDAG = datetime.date(2026, 10, 1)
PLAN = {"loebetid": 4, "afdragsfri": 0}


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot, antal_pladser=10, **PERIODE_2025_2027)


@pytest.fixture
def portefoelje(pilot, aftale) -> dict[str, Laan]:
    def forloeb(fornavn, efternavn):
        return forloeb_paa_faste_dage(pilot, aftale, fornavn, efternavn)

    sofie = udbetalt_laan(pilot, forloeb("Sofie", "Holm"), Decimal(10000), dato=UDBETALT, **PLAN)
    karim = udbetalt_laan(pilot, forloeb("Karim", "Said"), Decimal(10000), dato=UDBETALT, **PLAN)
    indbetal(pilot, karim, "5000.00", datetime.date(2026, 8, 20))
    mette = udbetalt_laan(pilot, forloeb("Mette", "Lund"), Decimal(4000), dato=UDBETALT, **PLAN)
    indbetal(pilot, mette, "4000.00", datetime.date(2026, 8, 20))
    bo = ansoegt_laan(pilot, forloeb("Bo", "Berg"), Decimal(5000), dato=UDBETALT)
    return {"sofie": sofie, "karim": karim, "mette": mette, "bo": bo}


def hent(klient, bruger, navn="laan:portefoelje", idag=IDAG, **parametre):
    with paa(idag):
        return klient(bruger).get(reverse(navn), parametre)


def navne(svar) -> list[str]:
    return [laan.forloeb.borger.navn for laan in svar.context["side"].object_list]


def test_the_totals_are_the_hand_computed_ones(pilot, klient, portefoelje):
    svar = hent(klient, pilot.forloebsmedarbejder)

    assert svar.status_code == 200
    tal = svar.context["noegletal"]
    assert (tal.udbetalt, tal.tilbagebetalt, tal.restgaeld) == (
        Decimal("24000.00"),
        Decimal("9000.00"),
        Decimal("15000.00"),
    )
    assert tal.par30 == Decimal("0.6667")
    html = svar.content.decode()
    assert '<dd class="col-sm-8" id="par30">66,7 %</dd>' in html
    assert "9.000 kr. (37,5 % af det udbetalte)" in html
    assert "no-store" in svar["Cache-Control"]


def test_the_overdue_list_shows_days_past_due(pilot, klient, portefoelje):
    svar = hent(klient, pilot.sagsbehandler)

    assert [laan.pk for laan in svar.context["restancer"]] == [portefoelje["sofie"].pk]
    assert svar.context["restancer"][0].dage_i_restance == 42
    html = svar.content.decode()
    restancer = html[
        html.index('id="restancer"') : html.index("</table>", html.index('id="restancer"'))
    ]
    assert "Sofie Holm" in restancer and "5.000 kr." in restancer and "20.08.2026" in restancer
    assert "42" in restancer and "over 30" in restancer


def test_the_list_is_filtered_by_status_and_searched_by_name(pilot, klient, portefoelje):
    alle = hent(klient, pilot.sagsbehandler)
    assert sorted(navne(alle)) == ["Bo Berg", "Karim Said", "Mette Lund", "Sofie Holm"]

    assert sorted(navne(hent(klient, pilot.sagsbehandler, status="udbetalt"))) == [
        "Karim Said",
        "Sofie Holm",
    ]
    assert navne(hent(klient, pilot.sagsbehandler, soeg="holm")) == ["Sofie Holm"]
    assert navne(hent(klient, pilot.sagsbehandler, soeg="karim sa", status="indfriet")) == []
    # A status that does not exist falls back to all.
    assert len(navne(hent(klient, pilot.sagsbehandler, status="opdigtet"))) == 4


def test_the_list_is_paginated(pilot, klient, aftale):
    forloeb = forloeb_paa_faste_dage(pilot, aftale, "Anna", "Mange")
    for _ in range(PR_SIDE + 1):
        ansoegt_laan(pilot, forloeb, Decimal(1000), dato=UDBETALT)

    foerste = hent(klient, pilot.sagsbehandler)
    anden = hent(klient, pilot.sagsbehandler, side=2)

    assert len(foerste.context["side"].object_list) == PR_SIDE
    assert len(anden.context["side"].object_list) == 1
    assert "Side 1 af 2" in foerste.content.decode()


def test_reading_the_portfolio_is_access_logged_with_the_search_and_the_citizens(
    pilot, klient, portefoelje
):
    hent(klient, pilot.sagsbehandler, soeg="Holm")

    log = AdgangsLog.objects.get()
    assert log.handling == AdgangsLog.Handling.SOEG
    assert log.kriterier == {
        "side": "laan_portefoelje",
        "status": "",
        "soeg": "Holm",
        "sidenummer": 1,
        "borgere": [portefoelje["sofie"].forloeb.borger_id],
    }


def test_a_caseworker_elsewhere_sees_an_empty_portfolio(pilot, klient, portefoelje):
    svar = hent(klient, pilot.fremmed)

    assert svar.status_code == 200
    assert navne(svar) == [] and svar.context["restancer"] == []
    assert svar.context["noegletal"].antal == 0
    assert not AdgangsLog.objects.exists()


@pytest.mark.parametrize("navn", ["laan:portefoelje", "laan:portefoelje_xlsx"])
@pytest.mark.parametrize("rolle", ["erhvervschef", "administrator"])
def test_the_erhvervschef_and_the_administrator_are_refused(
    pilot, klient, portefoelje, navn, rolle
):
    assert hent(klient, getattr(pilot, rolle), navn).status_code == 403
    assert not AdgangsLog.objects.exists()


def test_only_course_staff_are_offered_the_bank_statement_import(pilot, klient, portefoelje):
    kontoudtog = reverse("laan:kontoudtog")
    assert kontoudtog in hent(klient, pilot.forloebsmedarbejder).content.decode()
    assert kontoudtog not in hent(klient, pilot.sagsbehandler).content.decode()


# --- The spreadsheet -------------------------------------------------------------------------


def regneark(svar):
    return load_workbook(io.BytesIO(svar.content))


def test_the_spreadsheet_has_numbers_as_numbers_and_dates_as_dates(pilot, klient, portefoelje):
    svar = hent(klient, pilot.forloebsmedarbejder, "laan:portefoelje_xlsx")

    assert svar.status_code == 200
    assert svar["Content-Type"].startswith("application/vnd.openxmlformats")
    assert svar["Content-Disposition"] == (
        'attachment; filename="mikrolaan-portefoelje-2026-10-01.xlsx"'
    )
    ark = regneark(svar)["Lån"]
    overskrifter = [c.value for c in ark[1]]
    raekker = {
        r[0]: dict(zip(overskrifter, r, strict=True)) for r in ark.iter_rows(2, values_only=True)
    }
    assert set(raekker) == {"Sofie Holm", "Karim Said", "Mette Lund", "Bo Berg"}
    sofie = raekker["Sofie Holm"]
    assert sofie["Status"] == "Udbetalt"
    assert sofie["Beløb"] == 10000 and isinstance(sofie["Beløb"], int | float)
    assert sofie["Restgæld"] == 10000 and isinstance(sofie["Restgæld"], int | float)
    assert sofie["Forfaldent"] == 5000 and sofie["Dage i restance"] == 42
    # Excel has no date type of its own: a date cell reads back as a datetime at midnight.
    assert sofie["Udbetalt"].date() == datetime.date(2026, 7, 20)
    assert sofie["Næste forfald"].date() == datetime.date(2026, 10, 20)
    assert sofie["Betalingsreference"] == portefoelje["sofie"].reference
    assert raekker["Karim Said"]["Indbetalt"] == 5000
    assert raekker["Bo Berg"]["Restgæld"] is None
    celle = next(c for c in ark["C"][1:] if c.value == 10000)
    assert celle.number_format == '#,##0.00 "kr."'

    tal = {r[0]: r[1] for r in regneark(svar)["Nøgletal"].iter_rows(2, values_only=True)}
    assert tal["Restgæld"] == 15000
    assert tal["PAR30 (restgæld med afdrag over 30 dage i restance)"] == pytest.approx(0.6667)
    assert tal["Tilbagebetalt andel af udbetalt"] == pytest.approx(0.375)


def test_the_spreadsheet_follows_the_filters(pilot, klient, portefoelje):
    svar = hent(klient, pilot.sagsbehandler, "laan:portefoelje_xlsx", status="indfriet")
    navne_i_arket = [r[0] for r in regneark(svar)["Lån"].iter_rows(2, values_only=True)]
    assert navne_i_arket == ["Mette Lund"]


def test_a_name_is_written_as_text_never_as_a_formula(pilot, klient, aftale):
    forloeb = forloeb_paa_faste_dage(pilot, aftale, '=HYPERLINK("http://x")', "Holm")
    ansoegt_laan(pilot, forloeb, Decimal(1000), dato=UDBETALT)

    svar = hent(klient, pilot.sagsbehandler, "laan:portefoelje_xlsx")

    celle = regneark(svar)["Lån"]["A2"]
    assert celle.data_type == "s"
    assert celle.value.startswith("=HYPERLINK")


def test_the_export_is_access_logged(pilot, klient, portefoelje):
    hent(klient, pilot.forloebsmedarbejder, "laan:portefoelje_xlsx", status="udbetalt")

    log = AdgangsLog.objects.get()
    assert (log.bruger, log.handling) == (pilot.forloebsmedarbejder, AdgangsLog.Handling.EKSPORT)
    assert log.kriterier == {
        "side": "laan_portefoelje",
        "status": "udbetalt",
        "soeg": "",
        "format": "xlsx",
        "antal": 2,
        "borgere": sorted(
            [portefoelje["sofie"].forloeb.borger_id, portefoelje["karim"].forloeb.borger_id]
        ),
    }


# --- Query count -----------------------------------------------------------------------------

# The portfolio page, whatever the number of loans:
#  1. the session
#  2. the user
#  3. the user's roles (Bruger.roller, once a request)
#  4. the totals (selectors.portefoelje: one aggregate over the scoped loans), which also count
#     the page's loans when no name is searched (the paginator asks no COUNT)
#  5. the page's loans with balance and arrears as subqueries, and their citizens
#  6. the overdue list (selectors.restanceliste) with the citizens
#  7. INSERT the access log row
#  8. the bell's unread count
PORTEFOELJE_FORESPOERGSLER = 8
# A name search adds the rate limiter's nothing (cache, not database) and the paginator's COUNT.
PORTEFOELJE_SOEG_FORESPOERGSLER = PORTEFOELJE_FORESPOERGSLER + 1


@pytest.mark.parametrize("antal", [1, 5])
def test_the_page_makes_the_same_queries_however_many_loans(
    pilot, klient, aftale, django_assert_num_queries, antal
):
    for i in range(antal):
        forloeb = forloeb_paa_faste_dage(pilot, aftale, "Borger", f"Nummer{i}")
        udbetalt_laan(pilot, forloeb, Decimal(10000), dato=UDBETALT, **PLAN)
    bruger = klient(pilot.sagsbehandler)

    with paa(IDAG), django_assert_num_queries(PORTEFOELJE_FORESPOERGSLER):
        svar = bruger.get(reverse("laan:portefoelje"))

    assert len(svar.context["side"].object_list) == antal
    assert len(svar.context["restancer"]) == antal


@pytest.mark.parametrize("status, antal", [("", 3), ("udbetalt", 2), ("indfriet", 1)])
def test_the_page_count_comes_from_the_totals(
    pilot, klient, aftale, django_assert_num_queries, status, antal
):
    for i in range(3):
        forloeb = forloeb_paa_faste_dage(pilot, aftale, "Borger", f"Nummer{i}")
        laan = udbetalt_laan(pilot, forloeb, Decimal(10000), dato=UDBETALT, **PLAN)
    Laan.objects.filter(pk=laan.pk).update(status=Laan.Status.INDFRIET)
    bruger = klient(pilot.sagsbehandler)

    with paa(IDAG), django_assert_num_queries(PORTEFOELJE_FORESPOERGSLER):
        svar = bruger.get(reverse("laan:portefoelje"), {"status": status})

    assert svar.context["side"].paginator.count == antal
    assert len(svar.context["side"].object_list) == antal


def test_a_name_search_counts_its_own_loans(pilot, klient, aftale, django_assert_num_queries):
    for navn in ("Holm", "Said"):
        forloeb = forloeb_paa_faste_dage(pilot, aftale, "Borger", navn)
        udbetalt_laan(pilot, forloeb, Decimal(10000), dato=UDBETALT, **PLAN)
    bruger = klient(pilot.sagsbehandler)

    with paa(IDAG), django_assert_num_queries(PORTEFOELJE_SOEG_FORESPOERGSLER):
        svar = bruger.get(reverse("laan:portefoelje"), {"soeg": "holm"})

    assert svar.context["side"].paginator.count == 1
    assert [et.forloeb.borger.efternavn for et in svar.context["side"]] == ["Holm"]


def test_the_main_menu_has_loans_for_the_case_roles_only(pilot, klient):
    link = f'href="{reverse("laan:portefoelje")}"'
    for rolle in ("sagsbehandler", "forloebsmedarbejder"):
        assert link in klient(getattr(pilot, rolle)).get(reverse("forside")).content.decode()
    for rolle in ("erhvervschef", "administrator"):
        assert link not in klient(getattr(pilot, rolle)).get(reverse("forside")).content.decode()
