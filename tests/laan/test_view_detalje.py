"""The loan page (laan:detalje): terms, plan with what is paid, balance and arrears, payments,
the history of its moves, and the actions the user's role allows — scoped to the case's
organisations and access-logged.

The standard loan: 10,000 kr. over 4 months without grace, paid out on Monday 20 July 2026, so
its plan is 2,500 kr. due on 20.08, 21.09 (the 20th is a Sunday), 20.10 and 20.11.2026.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from laan.models import Laan
from laan.services import livsforloeb
from mikrolaan.revision.models import AdgangsLog
from tests.byg.laan import (
    ansoegt_laan,
    bevilget_laan,
    forloeb_paa_faste_dage,
    indbetal,
    tilbagefoer,
    udbetalt_laan,
)
from tests.byg.tid import paa

UDBETALT = datetime.date(2026, 7, 20)
PLAN = {"loebetid": 4, "afdragsfri": 0}
# A day when the first two instalments (20.08 and 21.09) are overdue: 42 days after 20.08.
IDAG = datetime.date(2026, 10, 1)


@pytest.fixture
def forloeb(pilot):
    return forloeb_paa_faste_dage(pilot)


@pytest.fixture
def laan(pilot, forloeb) -> Laan:
    return udbetalt_laan(pilot, forloeb, Decimal("10000.00"), dato=UDBETALT, **PLAN)


def url(laan: Laan) -> str:
    return reverse("laan:detalje", args=[laan.pk])


def hent(klient, bruger, laan, idag=IDAG):
    with paa(idag):
        return klient(bruger).get(url(laan))


def tekst(svar) -> str:
    """The page's visible text, whitespace collapsed, for asserting sentences."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", svar.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def afsnit(svar, id_: str) -> str:
    """The text of the element with `id_` up to the next section."""
    html = svar.content.decode()
    start = html.index(f'id="{id_}"')
    slut = html.find("<section", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : slut if slut > 0 else None]))


def test_the_page_shows_terms_plan_balance_and_arrears(pilot, klient, laan):
    indbetal(pilot, laan, "500.00", datetime.date(2026, 9, 1))

    svar = hent(klient, pilot.forloebsmedarbejder, laan)

    assert svar.status_code == 200
    side = tekst(svar)
    assert "Mikrolån til Anna Jensen" in side
    assert "Udbetalt" in afsnit(svar, "laan-status")
    # Terms (the partial shared with the loan agreement).
    assert "10.000 kr." in side and "0 % – lånet er rentefrit" in side
    assert laan.reference in side
    # The plan with what is paid and what remains of each instalment, oldest first.
    plan = afsnit(svar, "plan")
    assert re.search(r"1 20\.08\.2026 2\.500 kr\. 500 kr\. 2\.000 kr\.", plan)
    assert re.search(r"2 21\.09\.2026 2\.500 kr\. 0 kr\. 2\.500 kr\.", plan)
    # Balance, next due date and arrears on 1 October 2026.
    saldo = afsnit(svar, "saldo")
    assert "Indbetalt 500 kr." in saldo
    assert "Restgæld 9.500 kr." in saldo
    assert "Næste forfald 20.10.2026" in saldo
    assert "4.500 kr. – ældste afdrag forfaldt 20.08.2026 (42 dage siden)" in saldo
    assert "42 dage i restance" in side


def test_a_reversed_payment_stays_on_the_page_marked_with_who_and_why(pilot, klient, laan):
    forkert = indbetal(pilot, laan, "700.00", datetime.date(2026, 9, 1))
    indbetal(pilot, laan, "300.00", datetime.date(2026, 9, 2))
    tilbagefoer(pilot, forkert, dato=datetime.date(2026, 9, 3), begrundelse="Forkert lån")

    svar = hent(klient, pilot.forloebsmedarbejder, laan)

    raekke = afsnit(svar, f"indbetaling-{forkert.pk}")
    assert "Tilbageført" in raekke and "Forkert lån" in raekke
    assert "<del>700 kr.</del>" in svar.content.decode()
    assert "Restgæld 9.700 kr." in afsnit(svar, "saldo")
    # Only the valid payment can be reversed.
    html = svar.content.decode()
    assert reverse("laan:tilbagefoer", args=[laan.pk, forkert.pk]) not in html
    assert html.count('action="/laan/' + str(laan.pk) + "/indbetalinger/") == 1


def test_the_history_shows_who_moved_the_loan_when_from_what_to_what_and_why(
    pilot, klient, forloeb
):
    laan = bevilget_laan(pilot, forloeb, Decimal("5000"), dato=UDBETALT)
    with paa(UDBETALT):
        livsforloeb.fortryd_bevilling(
            bruger=pilot.sagsbehandler, laan=laan, begrundelse="Bevilget på forkert beløb"
        )

    svar = hent(klient, pilot.sagsbehandler, laan)

    historik = afsnit(svar, "sagsgang")
    assert re.search(
        rf"20\.07\.2026 \d\d:\d\d {pilot.sagsbehandler} Bevilget Ansøgt Bevilget på forkert beløb",
        historik,
    )
    assert f"{pilot.forloebsmedarbejder} – Ansøgt" in historik


def test_the_caseworker_is_offered_the_decision_and_course_staff_the_withdrawal(
    pilot, klient, forloeb
):
    laan = ansoegt_laan(pilot, forloeb, dato=UDBETALT)

    sagsbehandler = hent(klient, pilot.sagsbehandler, laan)
    forloebsmedarbejder = hent(klient, pilot.forloebsmedarbejder, laan)

    assert [h.navn for h, _f in sagsbehandler.context["handlinger"]] == ["bevilg", "afslaa"]
    assert "Ansøgningen afventer din afgørelse" in tekst(sagsbehandler)
    assert [h.navn for h, _f in forloebsmedarbejder.context["handlinger"]] == ["traek_tilbage"]
    assert "en anden skal godkende den" in tekst(forloebsmedarbejder)
    for svar in (sagsbehandler, forloebsmedarbejder):
        assert reverse("laan:gaeldsbrev", args=[laan.pk]) not in svar.content.decode()


def test_an_approved_loan_links_to_its_agreement_and_offers_disbursement(pilot, klient, forloeb):
    laan = bevilget_laan(pilot, forloeb, dato=UDBETALT)

    svar = hent(klient, pilot.forloebsmedarbejder, laan)

    assert reverse("laan:gaeldsbrev", args=[laan.pk]) in svar.content.decode()
    assert [h.navn for h, _f in svar.context["handlinger"]] == ["udbetal"]
    assert "Registrer udbetalingen" in tekst(svar)
    sagsbehandler = hent(klient, pilot.sagsbehandler, laan)
    assert [h.navn for h, _f in sagsbehandler.context["handlinger"]] == ["fortryd"]


def test_a_disbursed_loan_offers_payments_and_a_write_off(pilot, klient, laan):
    forloebsmedarbejder = hent(klient, pilot.forloebsmedarbejder, laan)
    sagsbehandler = hent(klient, pilot.sagsbehandler, laan)

    assert [h.navn for h, _f in forloebsmedarbejder.context["handlinger"]] == [
        "indbetaling",
        "indstil_afskrivning",
    ]
    assert [h.navn for h, _f in sagsbehandler.context["handlinger"]] == ["indstil_afskrivning"]


def test_opening_the_page_is_access_logged_and_never_cached(pilot, klient, laan):
    svar = hent(klient, pilot.sagsbehandler, laan)

    assert "no-store" in svar["Cache-Control"]
    log = AdgangsLog.objects.get()
    assert (log.bruger, log.handling, log.objekt_id) == (
        pilot.sagsbehandler,
        AdgangsLog.Handling.VIS,
        str(laan.pk),
    )


@pytest.mark.parametrize("rolle", ["fremmed", "erhvervschef", "administrator"])
def test_users_outside_the_case_get_404_and_nothing_is_logged(pilot, klient, laan, rolle):
    assert hent(klient, getattr(pilot, rolle), laan).status_code == 404
    assert not AdgangsLog.objects.exists()


# --- Query count -----------------------------------------------------------------------------

# The page of a disbursed loan for course staff, with its payments and every form:
#  1. the session
#  2. the user
#  3. the user's roles (Bruger.roller, once a request)
#  4. the loan (scoped) with its balance and arrears as subqueries, its programme, citizen,
#     referral, agreement and the people of its decisions (one JOIN)
#  5. INSERT the access log row
#  6. the payments with who registered and who reversed them
#  7. the instalments
#  8. the history (Sagsgang) with who moved the loan
#  9. the bell's unread count
DETALJE_FORESPOERGSLER = 9


@pytest.mark.parametrize("antal", [1, 5])
def test_the_page_makes_the_same_queries_however_many_payments_and_moves(
    pilot, klient, laan, django_assert_num_queries, antal
):
    for i in range(antal):
        indbetaling = indbetal(pilot, laan, "100.00", datetime.date(2026, 8, 1 + i))
    tilbagefoer(pilot, indbetaling, dato=datetime.date(2026, 8, 10))
    bruger = klient(pilot.forloebsmedarbejder)
    with paa(IDAG):
        bruger.get(url(laan))  # warms the content-type cache

    with paa(IDAG), django_assert_num_queries(DETALJE_FORESPOERGSLER):
        svar = bruger.get(url(laan))

    assert svar.status_code == 200
    assert len(svar.context["indbetalinger"]) == antal


def test_a_written_off_loan_shows_the_proposal_its_approval_and_no_actions(pilot, klient, laan):
    with paa(IDAG):
        livsforloeb.indstil_afskrivning(
            bruger=pilot.forloebsmedarbejder, laan=laan, begrundelse="Virksomheden er lukket."
        )
        forslag = hent(klient, pilot.sagsbehandler, laan)
        livsforloeb.afskriv(bruger=pilot.sagsbehandler, laan=laan)

    assert [h.navn for h, _f in forslag.context["handlinger"]] == ["afskriv"]
    assert "Afskrivningen afventer din godkendelse." in tekst(forslag)

    svar = hent(klient, pilot.forloebsmedarbejder, laan)
    side = tekst(svar)
    assert "Restgælden er afskrevet. Sagen er afsluttet." in side
    assert f"Afskrevet – godkendt af {pilot.sagsbehandler}" in side
    assert "Virksomheden er lukket." in side
    assert svar.context["handlinger"] == []
    assert 'id="handlinger"' not in svar.content.decode()
