"""The Erhvervschef's intake and discharge overview: the period, counts per month, occupancy, no
CPR numbers or notes, and who may open it."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from borgere.models import Journalnotat
from forloeb.models import Forloeb, Udskrivning
from mikrolaan.konti.models import Organisation, Rolle
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import BorgerFactory, BrugerFactory, OrganisationFactory
from tests.byg.sager import lav_forloeb, lav_pladsaftale, optag, til_hovedforloeb, udskriv

pytestmark = pytest.mark.django_db

URL = reverse("oversigt:ind_og_udskrivning")
D = datetime.date


def indskriv_den(pilot, aftale, navn: str, dato: datetime.date) -> Forloeb:
    """A citizen admitted on `dato`."""
    fornavn, efternavn = navn.split()
    return lav_forloeb(pilot, aftale, fornavn, efternavn, startdato=dato)


@pytest.fixture
def perioden(pilot, fast_aftale):
    """Intakes and discharges around the period 01.03.2026–31.05.2026."""
    aftale = fast_aftale
    indskriv_den(pilot, aftale, "Ida Foer", D(2026, 2, 28))
    indskriv_den(pilot, aftale, "Bo Forsteind", D(2026, 3, 1))
    indskriv_den(pilot, aftale, "Carl Sidsteind", D(2026, 5, 31))
    indskriv_den(pilot, aftale, "Dan Efter", D(2026, 6, 1))
    udskriv(pilot, indskriv_den(pilot, aftale, "Eva Udfoer", D(2026, 1, 10)), D(2026, 2, 28))
    udskriv(pilot, indskriv_den(pilot, aftale, "Finn Forsteud", D(2026, 1, 11)), D(2026, 3, 1))
    # A business is a completed programme, which takes the main phase: Gry moved on early.
    gry = indskriv_den(pilot, aftale, "Gry Sidsteud", D(2026, 1, 12))
    til_hovedforloeb(pilot, gry, D(2026, 5, 4))
    udskriv(pilot, gry, D(2026, 5, 31), aarsag=Udskrivning.Aarsag.EGEN_VIRKSOMHED)
    udskriv(pilot, indskriv_den(pilot, aftale, "Hans Udefter", D(2026, 1, 13)), D(2026, 6, 1))


def _navne(raekker) -> list[str]:
    return [r.navn for r in raekker]


def test_the_overview_shows_exactly_the_intakes_and_discharges_inside_the_period(
    pilot, perioden, klient
):
    # Danish dates as a caseworker types them; both boundary days are part of the period.
    svar = klient(pilot.erhvervschef).get(URL, {"fra": "01.03.2026", "til": "31.05.2026"})

    assert svar.status_code == 200
    oversigt = svar.context["oversigt"]
    assert _navne(oversigt.indskrivninger) == ["Bo Forsteind", "Carl Sidsteind"]
    assert [r.dato for r in oversigt.indskrivninger] == [D(2026, 3, 1), D(2026, 5, 31)]
    assert _navne(oversigt.udskrivninger) == ["Finn Forsteud", "Gry Sidsteud"]
    assert [r.aarsag for r in oversigt.udskrivninger] == ["Job", "Gennemført med egen virksomhed"]
    html = svar.content.decode()
    for navn in ("Bo Forsteind", "Carl Sidsteind", "Finn Forsteud", "Gry Sidsteud"):
        assert navn in html
    for navn in ("Ida Foer", "Dan Efter", "Eva Udfoer", "Hans Udefter"):
        assert navn not in html
    assert "01.03.2026" in html and "31.05.2026" in html
    assert "Gennemført med egen virksomhed" in html


def test_the_counts_per_month_cover_every_month_of_the_period(pilot, perioden, fast_aftale, klient):
    indskriv_den(pilot, fast_aftale, "Ulla Ekstra", D(2026, 3, 15))

    svar = klient(pilot.erhvervschef).get(URL, {"fra": "2026-03-01", "til": "2026-05-31"})

    oversigt = svar.context["oversigt"]
    assert [(m.maaned, m.indskrevet, m.udskrevet) for m in oversigt.pr_maaned] == [
        (D(2026, 3, 1), 2, 1),
        (D(2026, 4, 1), 0, 0),
        (D(2026, 5, 1), 1, 1),
    ]
    assert (oversigt.indskrevet_i_alt, oversigt.udskrevet_i_alt) == (3, 2)
    html = svar.content.decode()
    assert "Marts 2026" in html and "April 2026" in html and "Maj 2026" in html


def test_the_occupancy_counts_active_programmes_and_the_waiting_list(pilot, klient):
    aftale = lav_pladsaftale(pilot, antal_pladser=3, navn="Ishøjs pladser")
    lav_forloeb(pilot, aftale, "Aktiv", "En")
    lav_forloeb(pilot, aftale, "Aktiv", "To")
    udskrevet = lav_forloeb(pilot, aftale, "Udskrevet", "Tre")
    # A fourth citizen goes on the waiting list of the full agreement; then a place is freed (and
    # stays free until course staff admit the first in line).
    assert optag(pilot, aftale) is None
    udskriv(pilot, udskrevet, timezone.localdate())
    fuld = lav_pladsaftale(pilot, antal_pladser=1, navn="Fuld aftale")
    lav_forloeb(pilot, fuld, "Aktiv", "Fire")

    svar = klient(pilot.erhvervschef).get(URL)

    belaegning = {a["navn"]: a for a in svar.context["oversigt"].belaegning}
    assert {
        navn: (a["antal_pladser"], a["optagne"], a["ledige"], a["ventende"])
        for navn, a in belaegning.items()
    } == {"Ishøjs pladser": (3, 2, 1, 1), "Fuld aftale": (1, 1, 0, 0)}


def test_no_cpr_number_and_no_note_reaches_the_page(pilot, fast_aftale, klient):
    borger = BorgerFactory(
        cpr="150388-1234",
        fornavn="Sofie",
        efternavn="Holm",
        jobcenter=pilot.jobcenter,
        oprettet_af=pilot.sagsbehandler,
    )
    Journalnotat.objects.create(
        borger=borger, tekst="Fortroligt journalnotat om helbred", forfatter=pilot.sagsbehandler
    )
    forloeb = lav_forloeb(pilot, fast_aftale, borger=borger, startdato=D(2026, 3, 2))
    udskriv(pilot, forloeb, D(2026, 11, 20), note="Fortrolig bemærkning om udskrivningen")

    for url in (URL, reverse("forside")):
        svar = klient(pilot.erhvervschef).get(url, {"fra": "01.01.2026", "til": "31.12.2026"})
        html = svar.content.decode()
        assert "Sofie Holm" in html  # she is on the page, as intake and discharge
        for cifre in ("1503881234", "150388-1234", "150388"):
            assert cifre not in html, (url, cifre)
        assert "Fortroligt journalnotat" not in html
        assert "Fortrolig bemærkning" not in html


def test_only_the_erhvervschef_and_the_administrator_reach_the_overview(pilot, klient):
    for bruger in (pilot.sagsbehandler, pilot.forloebsmedarbejder, pilot.fremmed):
        assert klient(bruger).get(URL).status_code == 403
    for bruger in (pilot.erhvervschef, pilot.administrator):
        assert klient(bruger).get(URL).status_code == 200


def test_another_municipalitys_erhvervschef_sees_none_of_ishoejs_agreements(
    pilot, fast_aftale, perioden, klient
):
    andet_sted = OrganisationFactory(navn="Andet Kommune", type=Organisation.Type.KOMMUNE)
    anden_chef = BrugerFactory(organisation=andet_sted, rolle=Rolle.ERHVERVSCHEF)
    egen = lav_pladsaftale(pilot, navn="Andet Kommunes pladser", koeber=andet_sted, pris_pr_plads=0)

    svar = klient(anden_chef).get(URL, {"fra": "01.01.2026", "til": "31.12.2026"})

    oversigt = svar.context["oversigt"]
    assert [a["pk"] for a in oversigt.belaegning] == [egen.pk]
    assert oversigt.indskrivninger == [] and oversigt.udskrivninger == []
    html = svar.content.decode()
    assert fast_aftale.navn not in html
    assert "Bo Forsteind" not in html


def test_the_administrator_sees_every_agreement(pilot, aftale, klient):
    anden = OrganisationFactory(navn="Andet Kommune", type=Organisation.Type.KOMMUNE)
    lav_pladsaftale(pilot, navn="Købt af en anden", koeber=anden, pris_pr_plads=0)

    svar = klient(pilot.administrator).get(URL)

    assert {a["navn"] for a in svar.context["oversigt"].belaegning} == {
        aftale.navn,
        "Købt af en anden",
    }
    # The agreement page is not the Administrator's (404 for her): no link to it.
    assert reverse("visitation:pladsaftale", args=[aftale.pk]) not in svar.content.decode()


def test_the_erhvervschef_can_open_the_agreements_she_buys(pilot, aftale, klient):
    svar = klient(pilot.erhvervschef).get(URL)

    aftale_url = reverse("visitation:pladsaftale", args=[aftale.pk])
    assert f'href="{aftale_url}"' in svar.content.decode()
    assert klient(pilot.erhvervschef).get(aftale_url).status_code == 200


@time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_without_a_place_agreement_the_default_period_is_this_calendar_year(pilot, klient):
    svar = klient(pilot.erhvervschef).get(URL)

    oversigt = svar.context["oversigt"]
    assert (oversigt.fra, oversigt.til) == (D(2026, 1, 1), D(2026, 12, 31))
    assert len(oversigt.pr_maaned) == 12
    assert 'value="01.01.2026"' in svar.content.decode()


@time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_the_default_period_is_that_of_the_place_agreements_she_follows(pilot, klient):
    lav_pladsaftale(pilot, gyldig_fra=D(2025, 9, 1), gyldig_til=D(2026, 8, 31))
    lav_pladsaftale(
        pilot, navn="Mikrolån Næstved, runde 2", gyldig_fra=D(2026, 3, 1), gyldig_til=D(2027, 2, 28)
    )
    # Over, and another buyer's, which she does not follow: neither widens her period.
    lav_pladsaftale(
        pilot, navn="Mikrolån 2024", gyldig_fra=D(2024, 1, 1), gyldig_til=D(2024, 12, 31)
    )
    andre = OrganisationFactory(navn="Køge Kommune", type=Organisation.Type.KOMMUNE)
    lav_pladsaftale(
        pilot, navn="Køges", koeber=andre, gyldig_fra=D(2023, 1, 1), gyldig_til=D(2027, 12, 31)
    )

    svar = klient(pilot.erhvervschef).get(URL)

    oversigt = svar.context["oversigt"]
    assert (oversigt.fra, oversigt.til) == (D(2025, 9, 1), D(2027, 2, 28))
    assert 'value="01.09.2025"' in svar.content.decode()
    rapport = klient(pilot.erhvervschef).get(reverse("oversigt:evaluering")).context["rapport"]
    assert (rapport.fra, rapport.til) == (D(2025, 9, 1), D(2027, 2, 28))


@time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_when_no_agreement_runs_today_the_default_is_the_latest_ones_period(pilot, klient):
    lav_pladsaftale(pilot, navn="Første", gyldig_fra=D(2024, 1, 1), gyldig_til=D(2024, 12, 31))
    lav_pladsaftale(pilot, navn="Anden", gyldig_fra=D(2025, 1, 1), gyldig_til=D(2025, 12, 31))

    oversigt = klient(pilot.erhvervschef).get(URL).context["oversigt"]

    assert (oversigt.fra, oversigt.til) == (D(2025, 1, 1), D(2025, 12, 31))


def test_an_end_before_the_start_is_refused_in_danish(pilot, fast_aftale, perioden, klient):
    svar = klient(pilot.erhvervschef).get(URL, {"fra": "31.05.2026", "til": "01.03.2026"})

    assert svar.status_code == 200
    assert "Slutdatoen skal ligge efter startdatoen." in svar.content.decode()
    # The page falls back to the default period and says so (issue 12 point 7).
    oversigt, standard = svar.context["oversigt"], svar.context["form"].standard
    assert (oversigt.fra, oversigt.til) == (standard["fra"], standard["til"])
    assert "Perioden kunne ikke bruges" in str(list(svar.context["messages"])[0])
    assert [a["navn"] for a in oversigt.belaegning] == [fast_aftale.navn]


def test_the_erhvervschef_lands_on_the_overview(pilot, aftale, klient):
    svar = klient(pilot.erhvervschef).get(reverse("forside"))

    assert svar.status_code == 200
    assert "oversigt/forside_erhvervschef.html" in [t.name for t in svar.templates]
    assert "oversigt" in svar.context
    html = svar.content.decode()
    assert "Velkommen" in html and "Belægning lige nu" in html
    assert f'action="{URL}"' in html


def test_the_names_shown_are_access_logged_with_the_period(pilot, perioden, klient):
    svar = klient(pilot.erhvervschef).get(URL, {"fra": "01.03.2026", "til": "31.05.2026"})

    log = AdgangsLog.objects.get(bruger=pilot.erhvervschef)
    viste = {
        r.navn: r
        for r in [*svar.context["oversigt"].indskrivninger, *svar.context["oversigt"].udskrivninger]
    }
    assert log.handling == AdgangsLog.Handling.VIS
    assert log.kriterier["fra"] == "2026-03-01" and log.kriterier["til"] == "2026-05-31"
    assert len(log.kriterier["borgere"]) == len(viste) == 4


@pytest.mark.parametrize("antal", [1, 6])
def test_the_overview_takes_the_same_number_of_queries_however_many_rows(
    pilot, fast_aftale, klient, django_assert_num_queries, antal
):
    for nr in range(antal):
        forloeb = indskriv_den(pilot, fast_aftale, f"Borger Nr{nr}", D(2026, 3, 1 + nr))
        udskriv(pilot, forloeb, D(2026, 4, 1 + nr))
    chef = klient(pilot.erhvervschef)
    chef.get(URL, {"fra": "01.01.2026", "til": "31.12.2026"})  # warm caches (content types)
    # 1 session, 2 user, 3 the user's roles, 4 intakes and discharges counted per month and
    # reason (one grouped query, which also gives the pages' count), 5 the page of intakes, 6 the
    # page of discharges, 7 agreements with occupancy, 8 access log insert, 9 the loan
    # portfolio's totals, 10 the open waiting-list entries, 11 the agreements running in the
    # period and 12 their programmes (place-months), 13 the funnel (one aggregate), 14 unread
    # notifications (navigation).
    with django_assert_num_queries(14):
        svar = chef.get(URL, {"fra": "01.01.2026", "til": "31.12.2026"})
    assert len(svar.context["oversigt"].indskrivninger) == antal
    assert len(svar.context["oversigt"].udskrivninger) == antal


def test_a_long_period_is_shown_one_page_at_a_time_and_only_the_page_is_logged(
    pilot, perioden, fast_aftale, klient, monkeypatch
):
    # Two rows a page instead of 25, so three intakes make two pages.
    monkeypatch.setattr("oversigt.ind_og_udskrivning.PR_SIDE", 2)
    ulla = indskriv_den(pilot, fast_aftale, "Ulla Ekstra", D(2026, 5, 31))
    chef = klient(pilot.erhvervschef)
    periode = {"fra": "01.03.2026", "til": "31.05.2026"}

    foerste = chef.get(URL, periode)
    anden = chef.get(URL, periode | {"side": "2"})

    assert _navne(foerste.context["oversigt"].indskrivninger) == ["Bo Forsteind", "Carl Sidsteind"]
    assert _navne(foerste.context["oversigt"].udskrivninger) == ["Finn Forsteud", "Gry Sidsteud"]
    assert _navne(anden.context["oversigt"].indskrivninger) == ["Ulla Ekstra"]
    assert anden.context["oversigt"].udskrivninger == []
    # The totals are the period's, not the page's.
    assert (anden.context["oversigt"].indskrevet_i_alt, anden.context["side"].paginator.count) == (
        3,
        3,
    )
    html = anden.content.decode()
    assert "Side 2 af 2" in html
    assert "fra=01.03.2026" in html and "side=1" in html
    logget = AdgangsLog.objects.filter(bruger=pilot.erhvervschef).order_by("id")
    assert [len(log.kriterier["borgere"]) for log in logget] == [4, 1]
    assert logget.last().kriterier["borgere"] == [ulla.borger_id]
    assert logget.last().kriterier["sidenummer"] == 2
