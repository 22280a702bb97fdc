"""Every stage of a case, from registration to the follow-ups (oversigt.stadier): "Mine borgere"
and the citizen list show it, filter and sort by it, and link to the programme in one click."""

import datetime
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forloeb.models import Forloeb
from mikrolaan.konti.models import Organisation, Rolle
from mikrolaan.revision.models import AdgangsLog
from oversigt.stadier import Stadie
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.sager import (
    henvis,
    lav_borger,
    lav_forloeb,
    lav_pladsaftale,
    optag,
    til_status,
    udskriv,
    visiter,
)

pytestmark = pytest.mark.django_db

MINE_BORGERE = reverse("oversigt:mine_borgere")
BORGERLISTE = reverse("borgere:liste")
HTMX = {"HTTP_HX_REQUEST": "true"}


def idag() -> datetime.date:
    return timezone.localdate()


def raekker(svar) -> dict[str, object]:
    """The page's rows by "Efternavn, Fornavn", in the page's order."""
    return {f"{b.efternavn}, {b.fornavn}": b for b in svar.context["side"].object_list}


def navne(svar) -> list[str]:
    return list(raekker(svar))


# --- One citizen in each stage, through the real services ---------------------------------


def registreret(pilot, aftale, fuld):
    return lav_borger(pilot, "Rikke", "Registreret")


def henvist(pilot, aftale, fuld):
    return henvis(pilot, aftale, lav_borger(pilot, "Henrik", "Henvist")).borger


def afventer(pilot, aftale, fuld):
    # The course staff record the visitation and so sign for Næstved; the jobcenter has not.
    henvisning = henvis(pilot, aftale, lav_borger(pilot, "Alma", "Afventer"))
    visiter(pilot, henvisning)
    return henvisning.borger


def i_opkvalificering(pilot, aftale, fuld):
    # Takes the full agreement's only place, so the next ones wait.
    return lav_forloeb(pilot, fuld, "Olga", "Opkval").borger


def paa_venteliste(pilot, fuld, fornavn, efternavn):
    borger = lav_borger(pilot, fornavn, efternavn)
    assert optag(pilot, fuld, borger) is None  # the agreement is full: the waiting list
    return borger


def i_hovedforloeb(pilot, aftale, fuld):
    forloeb = lav_forloeb(
        pilot, aftale, "Hans", "Hoved", startdato=idag() - relativedelta(months=7)
    )
    return til_status(pilot, forloeb, Forloeb.Status.HOVEDFORLOEB).borger


def udskrevet(pilot, aftale, fuld):
    # Discharged ten days after admission two months ago: no follow-up is due yet.
    forloeb = lav_forloeb(
        pilot, aftale, "Ulla", "Udskrevet", startdato=idag() - relativedelta(months=2)
    )
    return til_status(pilot, forloeb, Forloeb.Status.AFBRUDT).borger


def opfoelgning_forfalden(pilot, aftale, fuld):
    # Discharged 100 days ago: the follow-up after three months fell due about ten days ago.
    forloeb = lav_forloeb(
        pilot, aftale, "Otto", "Opfoelgning", startdato=idag() - datetime.timedelta(days=150)
    )
    udskriv(pilot, forloeb, idag() - datetime.timedelta(days=100))
    return forloeb.borger


@pytest.fixture
def fuld(pilot):
    return lav_pladsaftale(pilot, antal_pladser=1, navn="Én plads")


@pytest.fixture
def hvert_stadie(pilot, aftale, fuld):
    """One citizen in each stage (two on the waiting list), all the pilot caseworker's."""
    borgere = {
        "registreret": registreret(pilot, aftale, fuld),
        "henvist": henvist(pilot, aftale, fuld),
        "afventer": afventer(pilot, aftale, fuld),
        "opkvalificering": i_opkvalificering(pilot, aftale, fuld),
        "hovedforloeb": i_hovedforloeb(pilot, aftale, fuld),
        "udskrevet": udskrevet(pilot, aftale, fuld),
        "opfoelgning": opfoelgning_forfalden(pilot, aftale, fuld),
    }
    borgere["foerst_i_koe"] = paa_venteliste(pilot, fuld, "Vera", "Ventesen")
    borgere["nummer_to"] = paa_venteliste(pilot, fuld, "Viggo", "Vent")
    return borgere


I_RAEKKEFOELGE = [
    ("Registreret, Rikke", Stadie.REGISTRERET),
    ("Henvist, Henrik", Stadie.HENVIST),
    ("Afventer, Alma", Stadie.AFVENTER_UNDERSKRIFT),
    ("Vent, Viggo", Stadie.VENTELISTE),
    ("Ventesen, Vera", Stadie.VENTELISTE),
    ("Opkval, Olga", Stadie.OPKVALIFICERING),
    ("Hoved, Hans", Stadie.HOVEDFORLOEB),
    ("Udskrevet, Ulla", Stadie.UDSKREVET),
    ("Opfoelgning, Otto", Stadie.OPFOELGNING),
]


# --- Stages ---------------------------------------------------------------------------------


def test_mine_borgere_shows_every_stage_from_registration_on_in_the_order_of_a_case(
    pilot, hvert_stadie, klient
):
    svar = klient(pilot.sagsbehandler).get(MINE_BORGERE)

    assert svar.status_code == 200
    assert [(navn, b.stadie) for navn, b in raekker(svar).items()] == I_RAEKKEFOELGE


def test_each_stage_says_what_it_waits_for_and_since_when(pilot, hvert_stadie, klient):
    svar = klient(pilot.sagsbehandler).get(MINE_BORGERE)
    rk = raekker(svar)
    html = svar.content.decode()

    # Whose signature is missing: Næstved signed when it recorded the visitation.
    assert rk["Afventer, Alma"].afventer_underskrift_fra == "Jobcenter Vallensbæk"
    assert "mangler underskrift fra Jobcenter Vallensbæk" in html
    # The waiting list in order.
    assert (rk["Ventesen, Vera"].venteplads, rk["Vent, Viggo"].venteplads) == (1, 2)
    assert "nr. 2 på ventelisten" in html
    # The day each stage was reached.
    otto = hvert_stadie["opfoelgning"].forloeb.get()
    ulla = hvert_stadie["udskrevet"].forloeb.get()
    hans = hvert_stadie["hovedforloeb"].forloeb.get()
    assert rk["Registreret, Rikke"].stadie_dato == idag()
    assert rk["Hoved, Hans"].stadie_dato == hans.faser.get(type="hovedforloeb").faktisk_start
    assert rk["Udskrevet, Ulla"].stadie_dato == ulla.udskrivning.dato
    assert rk["Opfoelgning, Otto"].stadie_dato == otto.opfoelgninger.get(maaneder=3).forfalder
    # A phase's planned end, written the Danish way.
    olga = hvert_stadie["opkvalificering"].forloeb.get()
    slut = olga.faser.get(type="opkvalificering").planlagt_slut
    assert f"fasen slutter {slut:%d.%m.%Y}" in html
    assert "Udskrevet – opfølgning forfalden" in html


def test_a_discharged_citizen_referred_again_is_at_the_new_referrals_stage(
    pilot, aftale, fuld, klient
):
    borger = udskrevet(pilot, aftale, fuld)
    henvis(pilot, aftale, borger)

    rk = raekker(klient(pilot.sagsbehandler).get(MINE_BORGERE))

    assert rk["Udskrevet, Ulla"].stadie == Stadie.HENVIST
    # The ended programme is still one click away.
    assert rk["Udskrevet, Ulla"].forloeb_pk == borger.forloeb.get().pk


def test_a_provider_sees_only_the_stage_of_its_own_part_of_the_case(pilot, aftale, fuld, klient):
    borger = udskrevet(pilot, aftale, fuld)
    koege = OrganisationFactory(navn="Køge Kommune", type=Organisation.Type.KOMMUNE)
    hos_koege = lav_pladsaftale(pilot, navn="Hos Køge", leverandoer=koege)
    koege_medarbejder = BrugerFactory(organisation=koege, rolle=Rolle.FORLOEBSMEDARBEJDER)
    henvis(pilot, hos_koege, borger)

    naestved = raekker(klient(pilot.forloebsmedarbejder).get(BORGERLISTE))["Udskrevet, Ulla"]
    koeges = raekker(klient(koege_medarbejder).get(BORGERLISTE))["Udskrevet, Ulla"]

    # Næstved does not learn of the new referral elsewhere; Køge sees no programme of Næstved's.
    assert (naestved.stadie, naestved.forloeb_pk) == (Stadie.UDSKREVET, borger.forloeb.get().pk)
    assert (koeges.stadie, koeges.forloeb_pk) == (Stadie.HENVIST, None)


# --- Filters, sorting, pages ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("stadie", "forventet"),
    [
        (Stadie.REGISTRERET, ["Registreret, Rikke"]),
        (Stadie.AFVENTER_UNDERSKRIFT, ["Afventer, Alma"]),
        (Stadie.VENTELISTE, ["Vent, Viggo", "Ventesen, Vera"]),
        (Stadie.HOVEDFORLOEB, ["Hoved, Hans"]),
        (Stadie.OPFOELGNING, ["Opfoelgning, Otto"]),
    ],
)
def test_both_lists_filter_by_stage(pilot, hvert_stadie, klient, stadie, forventet):
    sagsbehandler = klient(pilot.sagsbehandler)

    mine = sagsbehandler.get(MINE_BORGERE, {"stadie": stadie})
    liste = sagsbehandler.post(BORGERLISTE, {"q": "", "stadie": stadie}, **HTMX)

    assert navne(mine) == forventet
    assert navne(liste) == forventet


def test_both_lists_filter_by_caseworker_of_the_users_jobcenter(pilot, aftale, klient):
    kollega = BrugerFactory(
        organisation=pilot.jobcenter,
        rolle=Rolle.SAGSBEHANDLER,
        first_name="Karen",
        last_name="Kollega",
    )
    lav_borger(pilot, "Min", "Borger")
    lav_borger(pilot, "Registreret", "AfKollega", bruger=kollega)
    # Registered by me, referred by the colleague: the referral's caseworker is responsible.
    henvis(pilot, aftale, lav_borger(pilot, "Henvist", "AfKollega"), bruger=kollega)
    sagsbehandler = klient(pilot.sagsbehandler)

    mine = sagsbehandler.get(MINE_BORGERE)
    kollegas = sagsbehandler.get(MINE_BORGERE, {"sagsbehandler": kollega.pk, "sorter": "navn"})
    alle = sagsbehandler.get(MINE_BORGERE, {"sagsbehandler": "", "sorter": "navn"})
    liste = sagsbehandler.post(BORGERLISTE, {"q": "", "sagsbehandler": kollega.pk}, **HTMX)

    assert navne(mine) == ["Borger, Min"]
    assert navne(kollegas) == ["AfKollega, Henvist", "AfKollega, Registreret"]
    assert navne(alle) == ["AfKollega, Henvist", "AfKollega, Registreret", "Borger, Min"]
    assert navne(liste) == ["AfKollega, Henvist", "AfKollega, Registreret"]
    assert "Karen Kollega" in kollegas.content.decode()
    # The filter offers the jobcenter's caseworkers only.
    valg = dict(mine.context["form"].fields["sagsbehandler"].choices)
    assert set(valg) == {"", pilot.sagsbehandler.pk, kollega.pk}
    assert navne(klient(pilot.fremmed).get(MINE_BORGERE, {"sagsbehandler": ""})) == []


@pytest.mark.parametrize(
    ("sorter", "forventet"),
    [
        ("navn", ["Afventer, Alma", "Henvist, Henrik", "Hoved, Hans"]),
        ("-navn", ["Ventesen, Vera", "Vent, Viggo", "Udskrevet, Ulla"]),
        ("stadie", [navn for navn, _ in I_RAEKKEFOELGE[:3]]),
        ("-stadie", ["Opfoelgning, Otto", "Udskrevet, Ulla", "Hoved, Hans"]),
        # The day each stage was reached: the discharge ~50 days ago, the main phase a month ago,
        # the follow-up due ~10 days ago.
        ("dato", ["Udskrevet, Ulla", "Hoved, Hans", "Opfoelgning, Otto"]),
        ("ugyldig", [navn for navn, _ in I_RAEKKEFOELGE[:3]]),  # the default: by stage
    ],
)
def test_mine_borgere_sorts_by_name_stage_and_date(pilot, hvert_stadie, klient, sorter, forventet):
    svar = klient(pilot.sagsbehandler).get(MINE_BORGERE, {"sorter": sorter})
    assert navne(svar)[:3] == forventet


def test_the_sorted_column_says_so(pilot, hvert_stadie, klient):
    html = klient(pilot.sagsbehandler).get(MINE_BORGERE, {"stadie": "", "sorter": "dato"})
    html = html.content.decode()
    assert 'aria-sort="ascending"' in html
    assert "?stadie=&amp;sorter=-dato" in html


def test_mine_borgere_is_paginated_by_25_keeping_the_filters(pilot, klient):
    for nr in range(26):
        lav_borger(pilot, "Borger", f"Nr{nr:02d}")
    sagsbehandler = klient(pilot.sagsbehandler)

    forste = sagsbehandler.get(MINE_BORGERE, {"stadie": Stadie.REGISTRERET, "sorter": "navn"})
    anden = sagsbehandler.get(MINE_BORGERE, {"stadie": 1, "sorter": "navn", "side": 2})

    assert len(forste.context["side"].object_list) == 25
    assert navne(anden) == ["Nr25, Borger"]
    assert "?stadie=1&amp;sorter=navn&amp;side=2" in forste.content.decode()


def test_the_citizen_lists_pages_repost_the_filters(pilot, klient):
    for nr in range(26):
        lav_borger(pilot, "Borger", f"Nr{nr:02d}")

    svar = klient(pilot.sagsbehandler).post(BORGERLISTE, {"q": "", "stadie": 1}, **HTMX)

    html = svar.content.decode()
    assert '<input type="hidden" name="stadie" value="1">' in html
    assert 'name="side" value="2"' in html


def test_a_search_with_filters_logs_them_as_criteria(pilot, hvert_stadie, klient):
    svar = klient(pilot.sagsbehandler).post(
        BORGERLISTE, {"q": "ve", "stadie": Stadie.VENTELISTE}, **HTMX
    )

    assert navne(svar) == ["Vent, Viggo", "Ventesen, Vera"]
    assert AdgangsLog.objects.get().kriterier == {"navn": "ve", "stadie": 4, "side": 1}


def test_course_staff_filter_the_citizen_list_by_stage_but_not_by_caseworker(
    pilot, hvert_stadie, klient
):
    svar = klient(pilot.forloebsmedarbejder).post(
        BORGERLISTE, {"q": "", "stadie": Stadie.VENTELISTE}, **HTMX
    )

    assert navne(svar) == ["Vent, Viggo", "Ventesen, Vera"]
    assert "sagsbehandler" not in svar.context["form"].fields


# --- One click to the programme ---------------------------------------------------------------


def test_mine_borgere_and_the_citizen_list_link_to_the_programme(pilot, hvert_stadie, klient):
    sagsbehandler = klient(pilot.sagsbehandler)
    for svar in (
        sagsbehandler.get(MINE_BORGERE),
        sagsbehandler.post(BORGERLISTE, {"q": ""}, **HTMX),
        klient(pilot.forloebsmedarbejder).post(BORGERLISTE, {"q": ""}, **HTMX),
    ):
        html = svar.content.decode()
        for noegle in ("opkvalificering", "hovedforloeb", "udskrevet", "opfoelgning"):
            forloeb = hvert_stadie[noegle].forloeb.get()
            assert f'href="{reverse("forloeb:detalje", args=[forloeb.pk])}"' in html
        assert raekker(svar)["Henvist, Henrik"].forloeb_pk is None
        assert "Åbn forløb" in html


def test_mine_forloeb_links_each_programme(pilot, aftale, klient):
    forloeb = lav_forloeb(pilot, aftale, "Anna", "Berg")

    html = klient(pilot.forloebsmedarbejder).get(reverse("oversigt:mine_forloeb"))
    html = html.content.decode()

    assert f'href="{reverse("forloeb:detalje", args=[forloeb.pk])}"' in html
    assert "åbn forløbet for Anna Berg" in html


def test_the_referral_list_links_admitted_and_ended_referrals_to_their_programme(
    pilot, aftale, klient
):
    optaget = lav_forloeb(pilot, aftale, "Optaget", "Borger")
    afsluttet = til_status(pilot, lav_forloeb(pilot, aftale, "Afsluttet", "Borger"), "afbrudt")
    aaben = henvis(pilot, aftale, lav_borger(pilot, "Henvist", "Borger"))

    for bruger in (pilot.sagsbehandler, pilot.forloebsmedarbejder):
        html = klient(bruger).get(reverse("visitation:henvisninger")).content.decode()
        for forloeb in (optaget, afsluttet):
            url = reverse("oversigt:henvisningens_forloeb", args=[forloeb.henvisning_id])
            assert f'href="{url}"' in html
        assert reverse("oversigt:henvisningens_forloeb", args=[aaben.pk]) not in html

    svar = klient(pilot.forloebsmedarbejder).get(
        reverse("oversigt:henvisningens_forloeb", args=[optaget.henvisning_id])
    )
    assert svar.status_code == 302
    assert svar["Location"] == reverse("forloeb:detalje", args=[optaget.pk])
    ingen = reverse("oversigt:henvisningens_forloeb", args=[aaben.pk])
    assert klient(pilot.sagsbehandler).get(ingen).status_code == 404
    optaget_url = reverse("oversigt:henvisningens_forloeb", args=[optaget.henvisning_id])
    assert klient(pilot.fremmed).get(optaget_url).status_code == 404


def test_the_agreement_page_links_the_admitted_to_their_programme_for_the_parties_only(
    pilot, aftale, klient
):
    forloeb = lav_forloeb(pilot, aftale, "Optaget", "Borger")
    url = reverse("visitation:pladsaftale", args=[aftale.pk])
    link = f'href="{reverse("oversigt:henvisningens_forloeb", args=[forloeb.henvisning_id])}"'

    medarbejder = klient(pilot.forloebsmedarbejder).get(url).content.decode()
    erhvervschef = klient(pilot.erhvervschef).get(url).content.decode()

    assert link in medarbejder
    # The buyer is told who came in, by name, but takes no part in the programme.
    assert "Optaget Borger" in erhvervschef and link not in erhvervschef


# --- Queries ----------------------------------------------------------------------------------

BYGGERE = [registreret, henvist, afventer, i_opkvalificering, udskrevet, opfoelgning_forfalden]
# Stages the provider takes part in (a citizen who is only registered is the jobcenter's).
HOS_LEVERANDOEREN = [
    henvist,
    afventer,
    i_opkvalificering,
    i_hovedforloeb,
    udskrevet,
    opfoelgning_forfalden,
]


@pytest.mark.parametrize("antal", [1, 6])
def test_mine_borgere_takes_the_same_number_of_queries_however_many_citizens(
    pilot, aftale, fuld, klient, django_assert_num_queries, antal
):
    for byg in BYGGERE[:antal]:
        byg(pilot, aftale, fuld)
    sagsbehandler = klient(pilot.sagsbehandler)
    sagsbehandler.get(MINE_BORGERE)  # warm caches (content types)
    # 1 session, 2 user, 3 the user's roles, 4 the jobcenter's caseworkers (the filter),
    # 5 count of the filtered citizens, 6 the page of citizens with their stage, its day, the
    # waiting-list position, whose signature, the phase's end, the programme and the caseworker
    # (one subquery each), 7 unread notifications (navigation).
    with django_assert_num_queries(7):
        svar = sagsbehandler.get(MINE_BORGERE, {"sorter": "-dato", "stadie": ""})
    assert len(svar.context["side"].object_list) == antal


@pytest.mark.parametrize("antal", [1, 6])
def test_the_citizen_list_with_stages_takes_the_same_number_of_queries_however_many_citizens(
    pilot, aftale, fuld, klient, django_assert_num_queries, antal
):
    for byg in HOS_LEVERANDOEREN[:antal]:
        byg(pilot, aftale, fuld)
    medarbejder = klient(pilot.forloebsmedarbejder)
    medarbejder.post(BORGERLISTE, {"q": ""}, **HTMX)
    # 1 session, 2 user, 3 the user's roles, 4 count of the visible citizens in the stage,
    # 5 the page of citizens with means of support and stage (one subquery per piece).
    # (Course staff get no caseworker filter; the htmx answer has no navigation.)
    with django_assert_num_queries(5):
        svar = medarbejder.post(BORGERLISTE, {"q": "", "stadie": ""}, **HTMX)
    assert len(svar.context["side"].object_list) == antal


def _sql(fanget, begynder: str) -> list[str]:
    return [q["sql"] for q in fanget.captured_queries if q["sql"].startswith(begynder)]


@pytest.mark.parametrize("url", [MINE_BORGERE, BORGERLISTE])
def test_the_lists_count_and_cut_without_the_stage_columns_and_annotate_only_the_page(
    pilot, aftale, fuld, klient, url
):
    """The count reads neither the stage (no programme, no follow-up) nor the registering user,
    and the page computes the columns for the ids of its cut only (here LIMIT 6, the one page).
    Issue 13: at national scale every visible citizen got every column before the cut."""
    for byg in BYGGERE:
        byg(pilot, aftale, fuld)
    sagsbehandler = klient(pilot.sagsbehandler)
    with CaptureQueriesContext(connection) as fanget:
        svar = sagsbehandler.get(url)
    assert len(svar.context["side"].object_list) == len(BYGGERE)
    (taelling,) = _sql(fanget, 'SELECT COUNT(*) AS "__count" FROM "borgere_borger"')
    assert "forloeb_forloeb" not in taelling
    assert "konti_bruger" not in taelling
    (side,) = [s for s in _sql(fanget, 'SELECT "borgere_borger"."id"') if "forloeb_forloeb" in s]
    assert re.search(r'"borgere_borger"\."id" IN \(SELECT .* LIMIT \d+\)', side)
