"""The to-do inbox (oversigt.indbakke, issue 9 point 1) and "Det venter på dig" on the home pages.

The scene is built through the real services on fixed days around IDAG (Friday 27 November 2026),
with one task of each kind for the pilot's caseworker and course staff member. Each task then
disappears when its work is done through the service that does it, and the notification asking
for that work is marked handled, so the bell counts one less.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from forloeb.aktiviteter.services.fremmoede import alle_deltog
from forloeb.aktiviteter.services.rettelser import aktivitet_aflys
from forloeb.models import Aktivitet, Fase, Forloeb, Opfoelgning
from forloeb.paamindelser import send_paamindelser
from forloeb.services.faser import forlaeng_fase
from forloeb.services.indskrivning import indskriv, visitation_underskriv
from forloeb.services.udskrivning import registrer_opfoelgning
from laan.models import Laan
from laan.restancer import meld_restancer
from laan.services import livsforloeb
from mikrolaan.konti.models import Rolle
from mikrolaan.notifikationer.context_processors import Klokke
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from oversigt.indbakke import Art, opgaver
from tests.byg.aktiviteter import opret_aktivitet
from tests.byg.fabrikker import BrugerFactory
from tests.byg.laan import ansoegt_laan, indbetal, udbetalt_laan
from tests.byg.sager import (
    grundlag,
    henvis,
    lav_borger,
    lav_forloeb,
    lav_pladsaftale,
    optag,
    til_hovedforloeb,
    udskriv,
    visiter,
)
from tests.byg.tid import paa
from visitation.models import Henvisning, VentelistePlads, Visitation

IDAG = datetime.date(2026, 11, 27)


@dataclass
class Scene:
    """One task of each kind (of one `nr`), and the objects behind them."""

    v1: Visitation  # recorded by Næstved: awaits the jobcenter's signature
    v2: Visitation  # recorded by the jobcenter: awaits Næstved's signature
    henvisning: Henvisning  # received, not yet visited
    p1: Forloeb  # the qualifying phase ends 06.12.2026
    p2: Forloeb  # the main phase ends 01.12.2026; its loans
    p4: Forloeb  # discharged 25.08.2026: the 3-month follow-up fell due 25.11.2026
    plads: VentelistePlads  # first in line on an agreement with a free place
    aktivitet: Aktivitet  # held 20.11.2026, attendance not registered
    restance: Laan  # paid out 10.06.2026, instalments overdue
    ansoegt: Laan  # applied for 25.11.2026
    afskrivning: Laan  # paid out 20.11.2026, write-off proposed on IDAG


def byg_scene(pilot, nr: int = 1) -> Scene:
    """Build one task of each kind, called on IDAG (the builders travel to their own days)."""
    aftale = lav_pladsaftale(pilot, antal_pladser=10, navn=f"Mikrolån Næstved {nr}")

    with paa(datetime.date(2026, 11, 22)):
        v2_henvisning = henvis(pilot, aftale, lav_borger(pilot, f"Vera{nr}", "Vibe"))
        v2 = visiter(pilot, v2_henvisning, bruger=pilot.sagsbehandler)
    with paa(datetime.date(2026, 11, 23)):
        v1 = visiter(pilot, henvis(pilot, aftale, lav_borger(pilot, f"Viggo{nr}", "Vang")))
    with paa(datetime.date(2026, 11, 26)):
        henvisning = henvis(pilot, aftale, lav_borger(pilot, f"Hanne{nr}", "Hald"))

    p1 = lav_forloeb(pilot, aftale, f"Per{nr}", "Poulsen", startdato=datetime.date(2026, 6, 6))
    p2 = lav_forloeb(pilot, aftale, f"Pia{nr}", "Post", startdato=datetime.date(2025, 12, 1))
    til_hovedforloeb(pilot, p2, datetime.date(2026, 6, 1))

    restance = udbetalt_laan(pilot, p2, Decimal("20000.00"), dato=datetime.date(2026, 6, 10))
    afskrivning = udbetalt_laan(pilot, p2, Decimal("10000.00"), dato=datetime.date(2026, 11, 20))
    livsforloeb.indstil_afskrivning(
        bruger=pilot.forloebsmedarbejder, laan=afskrivning, begrundelse="Virksomheden er lukket."
    )
    ansoegt = ansoegt_laan(pilot, p2, Decimal("5000.00"), dato=datetime.date(2026, 11, 25))

    # One place, taken by P4; W goes on its waiting list; P4's discharge frees the place.
    lille = lav_pladsaftale(pilot, antal_pladser=1, navn=f"Mikrolån Næstved (1 plads) {nr}")
    p4 = lav_forloeb(pilot, lille, f"Poul{nr}", "Pind", startdato=datetime.date(2026, 7, 1))
    venter = optag(
        pilot,
        lille,
        lav_borger(pilot, f"Wilma{nr}", "Winther"),
        startdato=datetime.date(2026, 8, 1),
    )
    assert venter is None, "the agreement was not full"
    udskriv(pilot, p4, datetime.date(2026, 8, 25))

    with paa(datetime.date(2026, 11, 19)):
        aktivitet = opret_aktivitet(pilot, [p1], dato=datetime.date(2026, 11, 20))

    return Scene(
        v1=v1,
        v2=v2,
        henvisning=henvisning,
        p1=p1,
        p2=p2,
        p4=p4,
        plads=VentelistePlads.objects.get(henvisning__borger__fornavn=f"Wilma{nr}"),
        aktivitet=aktivitet,
        restance=restance,
        ansoegt=ansoegt,
        afskrivning=afskrivning,
    )


@pytest.fixture
def paa_idag():
    with paa(IDAG):
        yield


@pytest.fixture
def scene(pilot, paa_idag) -> Scene:
    return byg_scene(pilot)


def _liste(bruger):
    return [(o.art, o.titel, o.forfald, o.overskredet) for o in opgaver(bruger)]


def _d(dag: int, maaned: int = 11) -> datetime.date:
    return datetime.date(2026, maaned, dag)


# --- Exactly these tasks, in this order ----------------------------------------------------


def test_the_caseworker_has_exactly_their_tasks_overdue_first_then_by_due_date(pilot, scene):
    aeldste_afdrag = scene.restance.afdrag.order_by("forfald").first().forfald
    assert _liste(pilot.sagsbehandler) == [
        (Art.RESTANCE, "Mikrolånet til Pia1 Post er i restance", aeldste_afdrag, True),
        (
            Art.OPFOELGNING,
            "Opfølgning 3 måneder efter udskrivningen af Poul1 Pind",
            _d(25),
            True,
        ),
        (Art.UNDERSKRIFT, "Underskriv visitationen af Viggo1 Vang", _d(30), False),
        (Art.FASE, "Hovedforløb for Pia1 Post slutter 01.12.2026", _d(1, 12), False),
        (Art.LAAN, "Godkend eller afslå mikrolånet til Pia1 Post", _d(2, 12), False),
        (Art.HENVISNING, "Visitér Hanne1 Hald", _d(3, 12), False),
        (Art.AFSKRIVNING, "Godkend afskrivningen af mikrolånet til Pia1 Post", _d(4, 12), False),
        (
            Art.FASE,
            "Opkvalificerende forløb for Per1 Poulsen slutter 06.12.2026",
            _d(6, 12),
            False,
        ),
    ]


def test_course_staff_have_exactly_their_tasks_overdue_first_then_by_due_date(pilot, scene):
    aeldste_afdrag = scene.restance.afdrag.order_by("forfald").first().forfald
    assert _liste(pilot.forloebsmedarbejder) == [
        (Art.RESTANCE, "Mikrolånet til Pia1 Post er i restance", aeldste_afdrag, True),
        (Art.FREMMOEDE, "Registrér fremmøde: Undervisning i regnskab 20.11.2026", _d(20), True),
        (
            Art.VENTELISTE,
            "Ledig plads på Mikrolån Næstved (1 plads) 1: indskriv Wilma1 Winther",
            IDAG,
            False,
        ),
        (Art.UNDERSKRIFT, "Underskriv visitationen af Vera1 Vibe", _d(29), False),
        (Art.FASE, "Hovedforløb for Pia1 Post slutter 01.12.2026", _d(1, 12), False),
        (Art.HENVISNING, "Visitér Hanne1 Hald", _d(3, 12), False),
        (Art.OVERGANG, "Vurdér overgangen til hovedforløbet for Per1 Poulsen", _d(6, 12), False),
    ]


def test_the_erhvervschef_administrator_and_an_unrelated_caseworker_have_no_tasks(pilot, scene):
    assert opgaver(pilot.erhvervschef) == []
    assert opgaver(pilot.administrator) == []
    assert opgaver(pilot.fremmed) == []


def _links(bruger) -> dict[str, set[str]]:
    links: dict[str, set[str]] = {}
    for opgave in opgaver(bruger):
        links.setdefault(opgave.art, set()).add(opgave.link.split("#")[0])
    return links


def test_each_task_links_to_the_page_where_the_work_is_done(pilot, scene, klient):
    laan = {Art.LAAN: scene.ansoegt, Art.AFSKRIVNING: scene.afskrivning}
    assert _links(pilot.sagsbehandler) == {
        Art.UNDERSKRIFT: {reverse("visitation:detalje", args=[scene.v1.henvisning_id])},
        Art.HENVISNING: {reverse("visitation:detalje", args=[scene.henvisning.pk])},
        Art.FASE: {reverse("forloeb:detalje", args=[f.pk]) for f in (scene.p1, scene.p2)},
        Art.OPFOELGNING: {reverse("forloeb:detalje", args=[scene.p4.pk])},
        Art.RESTANCE: {reverse("laan:detalje", args=[scene.restance.pk])},
        **{art: {reverse("laan:detalje", args=[laan_.pk])} for art, laan_ in laan.items()},
    }
    assert _links(pilot.forloebsmedarbejder) == {
        Art.UNDERSKRIFT: {reverse("visitation:detalje", args=[scene.v2.henvisning_id])},
        Art.HENVISNING: {reverse("visitation:detalje", args=[scene.henvisning.pk])},
        Art.OVERGANG: {reverse("forloeb:detalje", args=[scene.p1.pk])},
        Art.FASE: {reverse("forloeb:detalje", args=[scene.p2.pk])},
        Art.FREMMOEDE: {reverse("forloeb:aktivitet", args=[scene.aktivitet.pk])},
        Art.VENTELISTE: {reverse("visitation:pladsaftale", args=[scene.plads.pladsaftale_id])},
        Art.RESTANCE: {reverse("laan:detalje", args=[scene.restance.pk])},
    }
    # One click: each page opens for the user whose task it is.
    for bruger in (pilot.sagsbehandler, pilot.forloebsmedarbejder):
        for opgave in opgaver(bruger):
            assert klient(bruger).get(opgave.link).status_code == 200, opgave


def test_a_programme_run_by_a_colleague_is_theirs_until_the_colleague_stops(pilot, scene):
    kollega = BrugerFactory(
        username="kollega", organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER
    )
    Forloeb.objects.filter(pk=scene.p1.pk).update(forloebsmedarbejder=kollega)
    assert Art.OVERGANG not in _arter(pilot.forloebsmedarbejder)
    assert Art.OVERGANG in _arter(kollega)

    kollega.is_active = False
    kollega.save(update_fields=["is_active"])

    assert Art.OVERGANG in _arter(pilot.forloebsmedarbejder)


# --- Each task disappears when its work is done, and its notification is handled -----------


def _aabne(bruger, link: str, haendelse: Haendelse) -> int:
    """The user's open notifications of one kind pointing at the page."""
    return Notifikation.objects.til(bruger).aabne().filter(link=link, haendelse=haendelse).count()


def _arter(bruger) -> list[str]:
    return [o.art for o in opgaver(bruger)]


def test_signing_the_visitation_clears_the_task_and_its_notification(pilot, scene):
    link = reverse("visitation:detalje", args=[scene.v1.henvisning_id])
    assert _aabne(pilot.sagsbehandler, link, Haendelse.UNDERSKRIFT_AFVENTER) == 1
    bell = Klokke(pilot.sagsbehandler).ulaeste
    indskrevet = Notifikation.objects.filter(
        modtager=pilot.sagsbehandler, haendelse=Haendelse.INDSKREVET
    )
    nyheder = indskrevet.count()

    visitation_underskriv(bruger=pilot.sagsbehandler, visitation=scene.v1)

    assert Art.UNDERSKRIFT not in _arter(pilot.sagsbehandler)
    assert _aabne(pilot.sagsbehandler, link, Haendelse.UNDERSKRIFT_AFVENTER) == 0
    haandteret = Notifikation.objects.get(
        modtager=pilot.sagsbehandler, link=link, haendelse=Haendelse.UNDERSKRIFT_AFVENTER
    )
    assert haandteret.haandteret is not None
    # The signature's request is gone from the bell; the admission's own news is new in it.
    assert indskrevet.count() == nyheder + 1
    assert Klokke(pilot.sagsbehandler).ulaeste == bell - 1 + 1


def test_recording_the_visitation_clears_the_referral_for_both_parties(pilot, scene):
    link = reverse("visitation:detalje", args=[scene.henvisning.pk])
    assert (
        _aabne(pilot.forloebsmedarbejder, link, Haendelse.HENVISNING_MODTAGET) == 1
    )  # "Ny henvisning"

    visiter(pilot, scene.henvisning)

    assert Art.HENVISNING not in _arter(pilot.forloebsmedarbejder)
    assert Art.HENVISNING not in _arter(pilot.sagsbehandler)
    assert _aabne(pilot.forloebsmedarbejder, link, Haendelse.HENVISNING_MODTAGET) == 0
    # ... and it now awaits the jobcenter's signature instead.
    assert "Underskriv visitationen af Hanne1 Hald" in [
        o.titel for o in opgaver(pilot.sagsbehandler)
    ]


def test_the_move_to_the_main_phase_clears_the_transition_task_and_its_reminder(pilot, scene):
    send_paamindelser(idag=IDAG)
    borgerside = reverse("borgere:detalje", args=[scene.p1.borger_id])
    assert _aabne(pilot.forloebsmedarbejder, borgerside, Haendelse.PAAMINDELSE) == 1
    bell = Klokke(pilot.forloebsmedarbejder).ulaeste

    til_hovedforloeb(pilot, scene.p1)

    assert Art.OVERGANG not in _arter(pilot.forloebsmedarbejder)
    assert "Per1 Poulsen" not in " ".join(o.titel for o in opgaver(pilot.sagsbehandler))
    assert _aabne(pilot.forloebsmedarbejder, borgerside, Haendelse.PAAMINDELSE) == 0
    assert _aabne(pilot.sagsbehandler, borgerside, Haendelse.PAAMINDELSE) == 0
    assert Klokke(pilot.forloebsmedarbejder).ulaeste == bell - 1


def test_extending_the_main_phase_clears_the_phase_task_and_its_reminder(pilot, scene):
    send_paamindelser(idag=IDAG)
    borgerside = reverse("borgere:detalje", args=[scene.p2.borger_id])
    assert _aabne(pilot.sagsbehandler, borgerside, Haendelse.PAAMINDELSE) == 1
    hovedforloeb = scene.p2.faser.get(type=Fase.Type.HOVEDFORLOEB)

    forlaeng_fase(
        bruger=pilot.forloebsmedarbejder,
        fase=hovedforloeb,
        ny_slut=_d(1, 3).replace(year=2027),
        begrundelse="Virksomheden åbner først i februar.",
    )

    assert "Hovedforløb for Pia1 Post slutter 01.12.2026" not in [
        o.titel for o in opgaver(pilot.sagsbehandler)
    ]
    assert Art.FASE not in _arter(pilot.forloebsmedarbejder)
    assert _aabne(pilot.sagsbehandler, borgerside, Haendelse.PAAMINDELSE) == 0


def test_registering_the_follow_up_clears_the_task_and_its_reminder(pilot, scene):
    send_paamindelser(idag=IDAG)
    borgerside = reverse("borgere:detalje", args=[scene.p4.borger_id])
    assert _aabne(pilot.sagsbehandler, borgerside, Haendelse.PAAMINDELSE) == 1
    opfoelgning = Opfoelgning.objects.get(forloeb=scene.p4, maaneder=3)

    registrer_opfoelgning(
        bruger=pilot.sagsbehandler,
        opfoelgning=opfoelgning,
        selvforsoergende=False,
        forsoergelsesgrundlag=grundlag("Kontanthjælp"),
    )

    assert Art.OPFOELGNING not in _arter(pilot.sagsbehandler)
    assert _aabne(pilot.sagsbehandler, borgerside, Haendelse.PAAMINDELSE) == 0


def test_registering_attendance_clears_the_session_task(pilot, scene):
    alle_deltog(bruger=pilot.forloebsmedarbejder, aktivitet=scene.aktivitet)

    assert Art.FREMMOEDE not in _arter(pilot.forloebsmedarbejder)


def test_a_cancelled_session_is_no_attendance_task(pilot, scene):
    aktivitet_aflys(
        bruger=pilot.forloebsmedarbejder, aktivitet=scene.aktivitet, begrundelse="Sygdom."
    )

    assert Art.FREMMOEDE not in _arter(pilot.forloebsmedarbejder)


def test_admitting_the_first_in_line_clears_the_free_place_and_its_reminder(pilot, scene):
    link = reverse("visitation:pladsaftale", args=[scene.plads.pladsaftale_id])
    ledig_plads = Notifikation.objects.filter(
        modtager=pilot.forloebsmedarbejder, link=link, noegle__startswith="ledig_plads:"
    )
    assert ledig_plads.get().haandteret is None

    indskriv(
        bruger=pilot.forloebsmedarbejder, henvisning=scene.plads.henvisning, fra_venteliste=True
    )

    assert Art.VENTELISTE not in _arter(pilot.forloebsmedarbejder)
    assert ledig_plads.get().haandteret is not None


@pytest.mark.parametrize("afgoerelse", ["bevilg", "afslaa"])
def test_deciding_the_loan_clears_the_task_and_its_notification(pilot, scene, afgoerelse):
    link = reverse("laan:detalje", args=[scene.ansoegt.pk])
    assert (
        _aabne(pilot.sagsbehandler, link, Haendelse.LAAN_AFVENTER) == 1
    )  # "Lån afventer godkendelse"

    if afgoerelse == "bevilg":
        livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=scene.ansoegt)
    else:
        livsforloeb.afslaa(bruger=pilot.sagsbehandler, laan=scene.ansoegt, begrundelse="Budget.")

    assert Art.LAAN not in _arter(pilot.sagsbehandler)
    assert not Notifikation.objects.filter(
        modtager=pilot.sagsbehandler, link=link, haendelse=Haendelse.LAAN_AFVENTER
    ).exclude(haandteret__isnull=False)


def test_approving_the_write_off_clears_the_task_and_its_notification(pilot, scene):
    link = reverse("laan:detalje", args=[scene.afskrivning.pk])
    assert Notifikation.objects.filter(
        modtager=pilot.sagsbehandler, link=link, haendelse=Haendelse.LAAN_AFVENTER
    ).exists()

    livsforloeb.afskriv(bruger=pilot.sagsbehandler, laan=scene.afskrivning)

    assert Art.AFSKRIVNING not in _arter(pilot.sagsbehandler)
    assert not Notifikation.objects.filter(
        modtager=pilot.sagsbehandler,
        link=link,
        haendelse=Haendelse.LAAN_AFVENTER,
        haandteret__isnull=True,
    ).exists()


def test_paying_what_is_overdue_clears_the_arrears_task_and_its_notices(pilot, scene):
    meld_restancer(IDAG)
    link = reverse("laan:detalje", args=[scene.restance.pk])
    assert _aabne(pilot.forloebsmedarbejder, link, Haendelse.LAAN_RESTANCE) >= 1
    overdue = sum(a.beloeb - a.betalt for a in scene.restance.afdrag.filter(forfald__lt=IDAG))

    indbetal(pilot, scene.restance, overdue, IDAG)

    assert Art.RESTANCE not in _arter(pilot.forloebsmedarbejder)
    assert Art.RESTANCE not in _arter(pilot.sagsbehandler)
    assert _aabne(pilot.forloebsmedarbejder, link, Haendelse.LAAN_RESTANCE) == 0
    assert _aabne(pilot.sagsbehandler, link, Haendelse.LAAN_RESTANCE) == 0


def test_a_part_payment_leaves_the_arrears_task_and_its_notices_open(pilot, scene):
    meld_restancer(IDAG)
    link = reverse("laan:detalje", args=[scene.restance.pk])
    aabne = _aabne(pilot.forloebsmedarbejder, link, Haendelse.LAAN_RESTANCE)

    indbetal(pilot, scene.restance, Decimal("100.00"), IDAG)

    assert Art.RESTANCE in _arter(pilot.forloebsmedarbejder)
    assert _aabne(pilot.forloebsmedarbejder, link, Haendelse.LAAN_RESTANCE) == aabne


# --- A constant number of queries -----------------------------------------------------------


@pytest.mark.parametrize("rolle", ["sagsbehandler", "forloebsmedarbejder"])
def test_the_inbox_costs_the_same_queries_for_one_and_for_five_of_each_kind(
    pilot, paa_idag, django_assert_num_queries, rolle
):
    bruger = getattr(pilot, rolle)
    byg_scene(pilot, 1)
    # Six readers for either role, one query each:
    # caseworker: signatures, referrals, phases, follow-ups, loans to decide, arrears;
    # course staff: signatures, referrals, phases, sessions, free places, arrears.
    with django_assert_num_queries(6):
        en = opgaver(bruger)
    for nr in range(2, 6):
        byg_scene(pilot, nr)
    with django_assert_num_queries(6):
        fem = opgaver(bruger)
    assert len(fem) == 5 * len(en)


# --- The home page -------------------------------------------------------------------------


@pytest.mark.parametrize("rolle", ["sagsbehandler", "forloebsmedarbejder"])
def test_the_home_page_shows_the_tasks_with_a_count_and_one_click_links(
    pilot, scene, klient, rolle
):
    bruger = getattr(pilot, rolle)
    svar = klient(bruger).get(reverse("forside"))
    html = svar.content.decode()

    assert "Det venter på dig" in html
    antal = len(opgaver(bruger))
    assert f'{antal}<span class="visually-hidden"> opgaver</span>' in html
    for opgave in opgaver(bruger):
        assert f'href="{opgave.link}"' in html
        assert opgave.titel in html
    assert "Overskredet" in html
    assert "Frist" in html


def test_the_home_page_says_when_nothing_is_waiting(pilot, klient, db):
    html = klient(pilot.sagsbehandler).get(reverse("forside")).content.decode()

    assert "Intet venter på dig i dag." in html


def test_the_home_page_of_the_erhvervschef_and_the_administrator_has_no_inbox(pilot, klient):
    for bruger in (pilot.erhvervschef, pilot.administrator):
        html = klient(bruger).get(reverse("forside")).content.decode()
        assert "Det venter på dig" not in html


@pytest.mark.parametrize("rolle", ["sagsbehandler", "forloebsmedarbejder"])
def test_the_home_page_costs_the_same_queries_for_one_and_for_five_of_each_kind(
    pilot, paa_idag, klient, django_assert_num_queries, rolle
):
    bruger = getattr(pilot, rolle)
    c = klient(bruger)
    byg_scene(pilot, 1)
    # 1 session, 2 user, 3 the user's role (groups), 4-9 the six inbox readers (see above),
    # 10 the bell's count.
    with django_assert_num_queries(10):
        assert c.get(reverse("forside")).status_code == 200
    for nr in range(2, 6):
        byg_scene(pilot, nr)
    with django_assert_num_queries(10):
        assert c.get(reverse("forside")).status_code == 200


# --- Point 8: the home pages promise only what exists ------------------------------------


@pytest.mark.parametrize(
    "rolle", ["sagsbehandler", "forloebsmedarbejder", "erhvervschef", "administrator"]
)
def test_every_link_on_a_home_page_answers_200_for_its_user(pilot, scene, klient, rolle):
    bruger = getattr(pilot, rolle)
    c = klient(bruger)
    html = c.get(reverse("forside")).content.decode()
    # The page's own links, not the navigation's (it has tests of its own) or the logout form.
    indhold = html.split('id="indhold"', 1)[-1] if 'id="indhold"' in html else html
    links = set(re.findall(r'href="(/[^"#]*)', indhold))
    assert links, "no links found on the home page"
    for link in links:
        if link.startswith("/static/"):
            continue
        svar = c.get(link)
        assert svar.status_code == 200, f"{rolle}: {link} svarer {svar.status_code}"


@pytest.mark.parametrize("rolle", ["sagsbehandler", "forloebsmedarbejder"])
def test_every_home_page_card_is_a_link(pilot, klient, rolle, db):
    html = klient(getattr(pilot, rolle)).get(reverse("forside")).content.decode()
    kort = html.count('class="card h-100"')
    assert kort >= 4
    assert html.count('class="stretched-link"') == kort
