"""The work list "Mine forløb" (course staff): who is on it, sorting, filters, flags and a
constant number of queries. "Mine borgere" lists citizens by stage: test_mine_borgere_stadier.py."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from forloeb.models import FASE_MAANEDER, Fase, Forloeb
from forloeb.services.indskrivning import visitation_underskriv
from forloeb.services.rettelser import omfordel_forloeb
from mikrolaan.konti.models import Organisation, Rolle
from oversigt import arbejdslister
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.sager import (
    faser,
    forlaeng,
    henvis,
    lav_borger,
    lav_forloeb,
    lav_pladsaftale,
    registrer_fremmoede,
    til_hovedforloeb,
    udskriv,
    visiter,
)

pytestmark = pytest.mark.django_db

MINE_FORLOEB = reverse("oversigt:mine_forloeb")
MINE_BORGERE = reverse("oversigt:mine_borgere")


def dage(antal: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=antal)


def navne(svar) -> list[str]:
    return [f.borger.navn for f in svar.context["side"].object_list]


def fase_slutter(pilot, aftale, fornavn, efternavn, slut: datetime.date) -> Forloeb:
    """A programme whose qualifying phase is planned to end on `slut`: admitted six months before.

    Where the months clamp (no 31 September six months before 31 March), admission plans the end a
    day or three early, and course staff extend the phase to `slut`.
    """
    forloeb = lav_forloeb(
        pilot, aftale, fornavn, efternavn, startdato=slut - relativedelta(months=FASE_MAANEDER)
    )
    fase = faser(forloeb)[Fase.Type.OPKVALIFICERING]
    if fase.planlagt_slut < slut:
        forlaeng(pilot, fase, slut)
    assert fase.planlagt_slut == slut
    return forloeb


@pytest.fixture
def tre(pilot, aftale):
    """Three programmes: different names, days left and attendance."""
    anna = fase_slutter(pilot, aftale, "Anna", "Berg", dage(30))
    bo = fase_slutter(pilot, aftale, "Bo", "Dahl", dage(-5))
    carl = fase_slutter(pilot, aftale, "Carl", "Ebbe", dage(90))
    registrer_fremmoede(pilot, anna, "deltog", "deltog", "deltog", "udeblev")  # 75 %
    registrer_fremmoede(pilot, bo, "deltog", "deltog")  # 100 %
    registrer_fremmoede(pilot, carl, "deltog", "udeblev", "afbud")  # 33 %
    return anna, bo, carl


# --- Who is on the lists ----------------------------------------------------------------------


def test_mine_forloeb_lists_the_active_programmes_the_organisation_provides(pilot, aftale, klient):
    lav_forloeb(pilot, aftale, "Aktiv", "Borger")
    udskriv(pilot, lav_forloeb(pilot, aftale, "Udskrevet", "Borger"), dage(0))
    koege = OrganisationFactory(navn="Køge Kommune", type=Organisation.Type.KOMMUNE)
    andet_sted = lav_pladsaftale(
        pilot, antal_pladser=5, navn="Hos Køge", leverandoer=koege, pris_pr_plads=0
    )
    koege_medarbejder = BrugerFactory(organisation=koege, rolle=Rolle.FORLOEBSMEDARBEJDER)

    visitation = visiter(
        pilot,
        henvis(pilot, andet_sted, lav_borger(pilot, "Hos", "Koege")),
        bruger=koege_medarbejder,
    )
    visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)

    svar = klient(pilot.forloebsmedarbejder).get(MINE_FORLOEB)

    assert svar.status_code == 200
    assert navne(svar) == ["Aktiv Borger"]
    assert navne(klient(koege_medarbejder).get(MINE_FORLOEB)) == ["Hos Koege"]
    html = svar.content.decode()
    assert (
        f'href="{reverse("oversigt:tidslinje", args=[svar.context["side"][0].borger_id])}"' in html
    )


def test_kun_mine_keeps_the_programmes_the_user_is_responsible_for(pilot, aftale, klient):
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    mit = lav_forloeb(pilot, aftale, "Mit", "Forloeb")  # signed for Næstved: responsible
    kollegas = lav_forloeb(pilot, aftale, "Kollegas", "Forloeb")
    omfordel_forloeb(
        bruger=pilot.forloebsmedarbejder,
        forloeb=kollegas,
        ny_medarbejder=kollega,
        begrundelse="Ferie",
    )
    # A session the user ran for the colleague's programme does not make it theirs.
    registrer_fremmoede(pilot, mit, "deltog", "udeblev")
    registrer_fremmoede(pilot, kollegas, "deltog")

    alle = klient(pilot.forloebsmedarbejder).get(MINE_FORLOEB, {"sorter": "navn"})
    kun_mine = klient(pilot.forloebsmedarbejder).get(MINE_FORLOEB, {"kun_mine": "on"})
    kollegas_liste = klient(kollega).get(MINE_FORLOEB, {"kun_mine": "on"})

    assert navne(alle) == ["Kollegas Forloeb", "Mit Forloeb"]
    assert navne(kun_mine) == ["Mit Forloeb"]
    assert navne(kollegas_liste) == ["Kollegas Forloeb"]
    assert kun_mine.context["side"][0].fremmoedeprocent == 50


def test_the_work_lists_are_each_one_roles(pilot, klient):
    assert klient(pilot.sagsbehandler).get(MINE_FORLOEB).status_code == 403
    assert klient(pilot.erhvervschef).get(MINE_FORLOEB).status_code == 403
    assert klient(pilot.forloebsmedarbejder).get(MINE_BORGERE).status_code == 403
    assert klient(pilot.administrator).get(MINE_BORGERE).status_code == 403


# --- Sorting and filters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sorter", "forventet"),
    [
        ("navn", ["Anna Berg", "Bo Dahl", "Carl Ebbe"]),
        ("-navn", ["Carl Ebbe", "Bo Dahl", "Anna Berg"]),
        ("dage", ["Bo Dahl", "Anna Berg", "Carl Ebbe"]),
        ("-dage", ["Carl Ebbe", "Anna Berg", "Bo Dahl"]),
        ("fremmoede", ["Carl Ebbe", "Anna Berg", "Bo Dahl"]),
        ("-fremmoede", ["Bo Dahl", "Anna Berg", "Carl Ebbe"]),
        ("ugyldig", ["Bo Dahl", "Anna Berg", "Carl Ebbe"]),  # the default: fewest days left
    ],
)
def test_mine_forloeb_sorts_by_name_days_left_and_attendance(pilot, tre, klient, sorter, forventet):
    svar = klient(pilot.forloebsmedarbejder).get(MINE_FORLOEB, {"sorter": sorter})
    assert navne(svar) == forventet


def test_the_sorted_column_says_so_and_links_the_other_direction(pilot, tre, klient):
    html = klient(pilot.forloebsmedarbejder).get(MINE_FORLOEB, {"sorter": "navn", "fase": ""})
    html = html.content.decode()
    assert 'aria-sort="ascending"' in html
    assert "?fase=&amp;sorter=-navn" in html
    assert "?fase=&amp;sorter=dage" in html


def test_mine_forloeb_filters_by_phase(pilot, tre, klient):
    anna, _bo, _carl = tre
    til_hovedforloeb(pilot, anna)  # today, a month before her qualifying phase's planned end
    assert anna.status == Forloeb.Status.HOVEDFORLOEB

    hoved = klient(pilot.forloebsmedarbejder).get(MINE_FORLOEB, {"fase": "hovedforloeb"})
    opkval = klient(pilot.forloebsmedarbejder).get(
        MINE_FORLOEB, {"fase": "opkvalificering", "sorter": "navn"}
    )

    assert navne(hoved) == ["Anna Berg"]
    assert navne(opkval) == ["Bo Dahl", "Carl Ebbe"]


def test_the_at_risk_filter_keeps_low_attendance_and_overdue_phases(pilot, tre, klient):
    # Anna: 75 % (not below the line); Bo: overdue; Carl: 33 % of three sessions.
    svar = klient(pilot.forloebsmedarbejder).get(MINE_FORLOEB, {"i_risiko": "on", "sorter": "navn"})

    assert navne(svar) == ["Bo Dahl", "Carl Ebbe"]


def test_the_at_risk_filter_agrees_with_the_programmes_own_flag(pilot, aftale):
    tilfaelde = [
        ([], 10),
        (["udeblev", "udeblev"], 10),  # too few sessions to judge
        (["deltog", "udeblev", "udeblev"], 10),
        (["deltog", "deltog", "deltog", "udeblev"], 10),  # exactly 75 %
        (["deltog", "deltog", "udeblev", "udeblev"], 10),
        (["deltog"], 0),  # ends today: not overdue yet
        ([], -1),
    ]
    for nr, (statusser, dage_tilbage) in enumerate(tilfaelde):
        forloeb = fase_slutter(pilot, aftale, "Borger", f"Nr{nr}", dage(dage_tilbage))
        registrer_fremmoede(pilot, forloeb, *statusser)

    alle = list(arbejdslister.mine_forloeb(bruger=pilot.forloebsmedarbejder))
    i_risiko = set(arbejdslister.mine_forloeb(bruger=pilot.forloebsmedarbejder, i_risiko=True))

    assert {f for f in alle if f.i_risiko} == i_risiko
    assert {f.borger.efternavn for f in i_risiko} == {"Nr2", "Nr4", "Nr6"}


def test_the_flags_show_at_risk_overdue_and_a_follow_up_due(pilot, aftale, klient):
    fase_slutter(pilot, aftale, "Forsinket", "Borger", dage(-3))
    udskrevet = lav_forloeb(pilot, aftale, "Udskrevet", "Borger", startdato=dage(-150))
    # Discharged 100 days ago: the follow-up after 3 months fell due about ten days ago.
    udskriv(pilot, udskrevet, dage(-100))
    assert udskrevet.opfoelgninger.get(maaneder=3).forfalder < dage(0)

    aktive = klient(pilot.forloebsmedarbejder).get(MINE_FORLOEB).content.decode()
    alle = klient(pilot.forloebsmedarbejder).get(MINE_FORLOEB, {"status": "alle"})

    assert "I risiko" in aktive and "Fase overskredet" in aktive
    assert "overskredet med 3 dage" in aktive
    assert "Udskrevet Borger" not in aktive
    raekker = {f.borger.fornavn: f for f in alle.context["side"].object_list}
    assert raekker["Udskrevet"].opfoelgning_forfalden
    assert not raekker["Forsinket"].opfoelgning_forfalden
    assert "Opfølgning forfalden" in alle.content.decode()


def test_the_closed_filter_shows_discharged_programmes_only(pilot, aftale, klient):
    lav_forloeb(pilot, aftale, "Aktiv", "Borger")
    udskriv(pilot, lav_forloeb(pilot, aftale, "Udskrevet", "Borger"), dage(0))

    svar = klient(pilot.forloebsmedarbejder).get(MINE_FORLOEB, {"status": "afsluttede"})

    assert navne(svar) == ["Udskrevet Borger"]


def test_mine_forloeb_is_paginated_by_25(pilot, klient):
    aftale = lav_pladsaftale(pilot, antal_pladser=30)
    for nr in range(26):
        lav_forloeb(pilot, aftale, "Borger", f"Nr{nr:02d}")

    forste = klient(pilot.forloebsmedarbejder).get(MINE_FORLOEB, {"sorter": "navn", "fase": ""})
    anden = klient(pilot.forloebsmedarbejder).get(MINE_FORLOEB, {"sorter": "navn", "side": 2})

    assert len(forste.context["side"].object_list) == 25
    assert navne(anden) == ["Borger Nr25"]
    assert "?sorter=navn&amp;fase=&amp;side=2" in forste.content.decode()


# --- Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("antal", [2, 7])
def test_mine_forloeb_takes_the_same_number_of_queries_however_many_rows(
    pilot, aftale, klient, django_assert_num_queries, antal
):
    for nr in range(antal):
        forloeb = lav_forloeb(pilot, aftale, "Borger", f"Nr{nr}")
        registrer_fremmoede(pilot, forloeb, "deltog", "udeblev")
    medarbejder = klient(pilot.forloebsmedarbejder)
    # 1 session, 2 user, 3 the user's roles, 4 count of the filtered programmes,
    # 5 the page of programmes with key figures and flags, 6 the page's citizens, 7 their
    # agreements (one IN query each), 8 unread notifications (navigation).
    with django_assert_num_queries(8):
        svar = medarbejder.get(
            MINE_FORLOEB, {"kun_mine": "on", "i_risiko": "", "sorter": "-fremmoede"}
        )
    assert len(svar.context["side"].object_list) == antal
