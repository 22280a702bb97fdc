"""The citizen page's access-log tab (borgere:adgangslog): the caseworker sees who has read the
citizen's data — date, kind, organisation and role, and the name only of colleagues in their own
organisation. Scoped like the citizen page, paginated, and logged itself."""

import pytest
from django.urls import reverse

from mikrolaan.konti.models import Rolle
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import BrugerFactory
from tests.byg.indsigt import borger_med_alt, laest_af
from tests.byg.sager import lav_borger

pytestmark = pytest.mark.django_db


def _url(borger) -> str:
    return reverse("borgere:adgangslog", args=[borger.pk])


@pytest.fixture
def sag(pilot):
    return borger_med_alt(pilot)


def test_the_caseworker_sees_reads_of_the_case_with_names_only_for_her_own_organisation(
    pilot, sag, klient
):
    kollega = BrugerFactory(
        first_name="Karen",
        last_name="Kollega",
        organisation=pilot.jobcenter,
        rolle=Rolle.SAGSBEHANDLER,
    )
    laest_af(kollega, sag.borger)
    laest_af(pilot.forloebsmedarbejder, sag.forloeb, sag.laan)

    svar = klient(pilot.sagsbehandler).get(_url(sag.borger))

    html = svar.content.decode()
    assert svar.status_code == 200
    assert [(r["organisation"].navn, r["rolle"], r["navn"]) for r in svar.context["raekker"]] == [
        # This visit, logged before the log is read.
        ("Jobcenter Vallensbæk", "Sagsbehandler", str(pilot.sagsbehandler)),
        ("Næstved Kommune", "Forløbsmedarbejder", ""),
        ("Næstved Kommune", "Forløbsmedarbejder", ""),
        ("Jobcenter Vallensbæk", "Sagsbehandler", "Karen Kollega"),
    ]
    assert "Karen Kollega" in html and "Næstved Kommune" in html
    assert pilot.forloebsmedarbejder.get_full_name() not in html
    assert "no-store" in svar["Cache-Control"]


def test_reads_of_other_citizens_are_not_shown(pilot, sag, klient):
    anden = lav_borger(pilot, "Bo", "Andersen")
    laest_af(pilot.forloebsmedarbejder, anden)
    laest_af(pilot.forloebsmedarbejder, anden, handling=AdgangsLog.Handling.VIS_CPR)

    svar = klient(pilot.sagsbehandler).get(_url(sag.borger))

    assert [r["log"].objekt_id for r in svar.context["raekker"]] == [str(sag.borger.pk)]


def test_opening_the_tab_is_access_logged(pilot, sag, klient):
    klient(pilot.sagsbehandler).get(_url(sag.borger))

    log = AdgangsLog.objects.get()
    assert (log.bruger, log.handling, log.objekt_id, log.kriterier) == (
        pilot.sagsbehandler,
        AdgangsLog.Handling.VIS,
        str(sag.borger.pk),
        {"afsnit": "adgangslog"},
    )


def test_course_staff_are_refused_and_users_outside_the_case_get_404(pilot, sag, klient):
    assert klient(pilot.forloebsmedarbejder).get(_url(sag.borger)).status_code == 403
    for bruger in (pilot.fremmed, pilot.administrator, pilot.erhvervschef):
        assert klient(bruger).get(_url(sag.borger)).status_code == 404
    assert not AdgangsLog.objects.exists()


def test_the_citizen_page_shows_the_tab_to_the_caseworker_only(pilot, sag, klient):
    tab = f'href="{_url(sag.borger)}"'
    detalje = reverse("borgere:detalje", args=[sag.borger.pk])

    assert tab in klient(pilot.sagsbehandler).get(detalje).content.decode()
    assert tab not in klient(pilot.forloebsmedarbejder).get(detalje).content.decode()


@pytest.mark.parametrize("antal", [3, 40])
def test_the_tab_is_paginated_and_its_queries_do_not_grow_with_the_rows(
    pilot, sag, klient, django_assert_num_queries, antal
):
    for _ in range(antal):
        laest_af(pilot.forloebsmedarbejder, sag.forloeb)
    sagsbehandler = klient(pilot.sagsbehandler)
    sagsbehandler.get(_url(sag.borger))  # warm caches (content types)
    # 1 session, 2 user, 3 the user's roles, 4 the citizen (scoped), 5 access-log insert, 6 the
    # page's count, 7 the page's rows with readers and organisations, 8 the readers' roles,
    # 9 unread notifications (navigation).
    with django_assert_num_queries(9):
        svar = sagsbehandler.get(_url(sag.borger))
    assert len(svar.context["raekker"]) == min(antal + 2, 25)
    assert svar.context["side"].paginator.count == antal + 2
