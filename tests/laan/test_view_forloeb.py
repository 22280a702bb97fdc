"""The loans of one programme (laan:forloeb): the section the programme page loads with htmx, or
a page of its own without JavaScript; and the application course staff post from it
(laan:ansoeg), only while the programme is in its main phase."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from borgere.models import Dokument
from laan.models import Laan
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import DokumentFactory
from tests.byg.laan import (
    ansoegt_laan,
    bevilget_laan,
    forloeb_paa_faste_dage,
    indbetal,
    udbetalt_laan,
)
from tests.byg.sager import PERIODE_2025_2027, START, lav_forloeb, lav_pladsaftale
from tests.byg.tid import paa

UDBETALT = datetime.date(2026, 7, 20)
IDAG = datetime.date(2026, 10, 1)
ANSOEGNING = {
    "ansoeg-beloeb": "12.500,00",
    "ansoeg-formaal": "Kaffevogn",
    "ansoeg-budget": "Kaffemaskine 9.000 kr., vogn 3.500 kr.",
    "ansoeg-loebetid": "24",
    "ansoeg-afdragsfri": "2",
}


@pytest.fixture
def forloeb(pilot):
    return forloeb_paa_faste_dage(pilot)


def url(forloeb) -> str:
    return reverse("laan:forloeb", args=[forloeb.pk])


def hent(klient, bruger, forloeb, *, htmx=True, idag=IDAG):
    ekstra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with paa(idag):
        return klient(bruger).get(url(forloeb), **ekstra)


def ansoeg(klient, bruger, forloeb, data, idag=IDAG):
    with paa(idag):
        return klient(bruger).post(reverse("laan:ansoeg", args=[forloeb.pk]), data)


def tekst(svar) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", svar.content.decode()))


# --- The programme page's placeholder ------------------------------------------------------------


def test_the_programme_page_loads_the_section_with_htmx_and_links_it_without(
    pilot, klient, forloeb
):
    with paa(IDAG):
        html = klient(pilot.sagsbehandler).get(reverse("forloeb:detalje", args=[forloeb.pk]))
    html = html.content.decode()

    assert f'hx-get="{url(forloeb)}"' in html and 'hx-trigger="load"' in html
    assert f'<a href="{url(forloeb)}">Se forløbets mikrolån</a>' in html


def test_htmx_gets_the_section_and_a_browser_without_javascript_a_page(pilot, klient, forloeb):
    afsnit = hent(klient, pilot.sagsbehandler, forloeb)
    side = hent(klient, pilot.sagsbehandler, forloeb, htmx=False)

    assert afsnit.content.decode().lstrip().startswith('<section id="laan"')
    assert "<html" not in afsnit.content.decode()
    assert "<h1" in side.content.decode() and 'id="laan"' in side.content.decode()
    assert "no-store" in afsnit["Cache-Control"]


# --- The list ------------------------------------------------------------------------------------


def test_the_section_lists_status_amount_balance_next_due_date_and_whats_next(
    pilot, klient, forloeb
):
    aaben = udbetalt_laan(
        pilot, forloeb, Decimal("10000.00"), dato=UDBETALT, loebetid=4, afdragsfri=0
    )
    indbetal(pilot, aaben, "2500.00", datetime.date(2026, 8, 20))
    ansoegt_laan(pilot, forloeb, Decimal("5000.00"), dato=UDBETALT)

    sagsbehandler = tekst(hent(klient, pilot.sagsbehandler, forloeb))
    forloebsmedarbejder = tekst(hent(klient, pilot.forloebsmedarbejder, forloeb))

    # Disbursed: 7,500 kr. left, 21.09 overdue since 10 days, next due 20.10.
    assert "Udbetalt" in sagsbehandler and "10.000 kr." in sagsbehandler
    assert "7.500 kr." in sagsbehandler and "20.10.2026" in sagsbehandler
    assert "10 dage i restance" in sagsbehandler
    assert "2.500 kr. er forfaldent og ubetalt; ældste afdrag forfaldt 21.09.2026." in (
        sagsbehandler
    )
    assert "Forløbsmedarbejderen følger op med borgeren." in sagsbehandler
    assert "Kontakt borgeren, eller registrer indbetalingen" in forloebsmedarbejder
    # Applied for: the caseworker decides, course staff wait for someone else.
    assert "Ansøgningen afventer din afgørelse: bevilg eller afslå den." in sagsbehandler
    assert "en anden skal godkende den" in forloebsmedarbejder
    assert "Bevilget i alt: 10.000 kr. af højst 50.000 kr. pr. forløb." in sagsbehandler


def test_the_section_is_access_logged_as_a_read_of_the_programme(pilot, klient, forloeb):
    hent(klient, pilot.forloebsmedarbejder, forloeb)

    log = AdgangsLog.objects.get()
    assert (log.bruger, log.objekt_id, log.kriterier) == (
        pilot.forloebsmedarbejder,
        str(forloeb.pk),
        {"afsnit": "laan"},
    )


@pytest.mark.parametrize("rolle", ["fremmed", "erhvervschef", "administrator"])
def test_outside_the_case_the_section_does_not_exist(pilot, klient, forloeb, rolle):
    assert hent(klient, getattr(pilot, rolle), forloeb).status_code == 404
    assert not AdgangsLog.objects.exists()


# --- The application form --------------------------------------------------------------------


def test_only_course_staff_get_the_form_and_only_in_the_main_phase(pilot, klient, forloeb):
    assert hent(klient, pilot.forloebsmedarbejder, forloeb).context["form"] is not None
    assert hent(klient, pilot.sagsbehandler, forloeb).context["form"] is None

    opkvalificering = lav_forloeb(
        pilot, lav_pladsaftale(pilot, **PERIODE_2025_2027), "Bo", "Berg", startdato=START
    )
    svar = hent(klient, pilot.forloebsmedarbejder, opkvalificering)
    assert svar.context["form"] is None
    assert "Der kan søges om mikrolån, når forløbet er i hovedforløbet." in tekst(svar)


def test_the_form_offers_the_citizens_business_plans_and_budgets(pilot, klient, forloeb):
    plan = DokumentFactory(
        borger=forloeb.borger, type=Dokument.Type.FORRETNINGSPLAN, filnavn="plan.pdf"
    )
    budget = DokumentFactory(borger=forloeb.borger, type=Dokument.Type.BUDGET, filnavn="b.pdf")
    DokumentFactory(borger=forloeb.borger, type=Dokument.Type.ANDET, filnavn="andet.pdf")
    DokumentFactory(type=Dokument.Type.FORRETNINGSPLAN, filnavn="en-andens.pdf")

    form = hent(klient, pilot.forloebsmedarbejder, forloeb).context["form"]

    assert [v for v, _ in form.fields["forretningsplan"].choices] == ["", plan.pk]
    assert [v for v, _ in form.fields["budgetdokument"].choices] == ["", budget.pk]


def test_course_staff_apply_and_land_on_the_new_loan(pilot, klient, forloeb):
    plan = DokumentFactory(borger=forloeb.borger, type=Dokument.Type.FORRETNINGSPLAN)
    data = ANSOEGNING | {"ansoeg-forretningsplan": plan.pk}

    svar = ansoeg(klient, pilot.forloebsmedarbejder, forloeb, data)

    laan = Laan.objects.get()
    assert svar.status_code == 302 and svar["Location"] == reverse("laan:detalje", args=[laan.pk])
    assert [str(m) for m in get_messages(svar.wsgi_request)] == [
        "Ansøgningen om 12.500 kr. er registreret. En sagsbehandler har fået besked og skal "
        "godkende den."
    ]
    assert (laan.beloeb, laan.loebetid, laan.afdragsfri) == (Decimal("12500.00"), 24, 2)
    assert (laan.forretningsplan, laan.oprettet_af) == (plan, pilot.forloebsmedarbejder)


@pytest.mark.parametrize(
    ("felt", "vaerdi", "fejl"),
    [
        ("beloeb", "999,99", "Et mikrolån skal være mellem 1.000 kr. og 50.000 kr."),
        ("beloeb", "50.000,01", "Et mikrolån skal være mellem 1.000 kr. og 50.000 kr."),
        ("beloeb", "tolv tusind", "Skriv beløbet i kroner, fx 12.500 eller 12.500,50."),
        ("loebetid", "61", "Løbetiden skal være 1-60 måneder."),
        ("afdragsfri", "13", "Der kan højst være 12 afdragsfrie måneder."),
        ("budget", "", "Skriv et kort budget: hvad pengene skal købe."),
    ],
)
def test_a_wrong_application_comes_back_with_a_danish_error_and_nothing_saved(
    pilot, klient, forloeb, felt, vaerdi, fejl
):
    svar = ansoeg(
        klient, pilot.forloebsmedarbejder, forloeb, ANSOEGNING | {f"ansoeg-{felt}": vaerdi}
    )

    assert svar.status_code == 200
    assert svar.context["form"].errors[felt] == [fejl]
    assert "Ansøgningen blev ikke gemt" in svar.content.decode()
    assert 'id="ansoegning" open' in svar.content.decode()
    assert not Laan.objects.exists()


def test_the_programmes_ceiling_comes_back_on_the_amount(pilot, klient, forloeb):
    bevilget_laan(pilot, forloeb, Decimal("45000.00"), dato=UDBETALT)

    svar = ansoeg(klient, pilot.forloebsmedarbejder, forloeb, ANSOEGNING)

    assert svar.status_code == 200
    assert "kan højst søges om 5.000 kr." in svar.context["form"].errors["beloeb"][0]
    assert Laan.objects.count() == 1


def test_an_application_outside_the_main_phase_is_refused_on_the_form(pilot, klient):
    forloeb = lav_forloeb(
        pilot, lav_pladsaftale(pilot, **PERIODE_2025_2027), "Bo", "Berg", startdato=START
    )

    svar = ansoeg(klient, pilot.forloebsmedarbejder, forloeb, ANSOEGNING)

    assert svar.status_code == 200
    assert b"Der kan kun s\xc3\xb8ges om l\xc3\xa5n, mens forl\xc3\xb8bet er i hovedforl" in (
        svar.content
    )
    assert not Laan.objects.exists()


def test_a_caseworker_cannot_apply_and_a_stranger_finds_nothing(pilot, klient, forloeb):
    assert ansoeg(klient, pilot.sagsbehandler, forloeb, ANSOEGNING).status_code == 403
    assert ansoeg(klient, pilot.fremmed, forloeb, ANSOEGNING).status_code == 404
    assert ansoeg(klient, pilot.erhvervschef, forloeb, ANSOEGNING).status_code == 404
    assert not Laan.objects.exists()


# --- Query count -----------------------------------------------------------------------------

# The section for course staff, with the application form:
#  1. the session
#  2. the user
#  3. the user's roles (Bruger.roller, once a request)
#  4. the programme (scoped) with citizen, referral and agreement (one JOIN)
#  5. INSERT the access log row
#  6. the programme's loans (scoped) with balance and arrears as subqueries
#  7. the citizen's business plans and budgets, for both document choices
# (no bell: the section is a fragment without the page's navigation)
AFSNIT_FORESPOERGSLER = 7


@pytest.mark.parametrize("antal", [1, 5])
def test_the_section_makes_the_same_queries_however_many_loans(
    pilot, klient, forloeb, django_assert_num_queries, antal
):
    for i in range(antal):
        laan = udbetalt_laan(pilot, forloeb, Decimal("1000.00"), dato=UDBETALT, loebetid=4)
        indbetal(pilot, laan, "100.00", UDBETALT + datetime.timedelta(days=i))
    DokumentFactory(borger=forloeb.borger, type=Dokument.Type.BUDGET)
    bruger = klient(pilot.forloebsmedarbejder)
    with paa(IDAG):
        bruger.get(url(forloeb), HTTP_HX_REQUEST="true")  # warms the content-type cache

    with paa(IDAG), django_assert_num_queries(AFSNIT_FORESPOERGSLER):
        svar = bruger.get(url(forloeb), HTTP_HX_REQUEST="true")

    assert len(svar.context["laan_liste"]) == antal
    assert svar.context["form"] is not None
