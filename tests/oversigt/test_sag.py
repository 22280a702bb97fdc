"""The citizen page's case section (oversigt:sag): the referrals and programmes the user may see,
the "refer" action, the htmx fragment and the page without JavaScript, 404 outside the case, the
access log and a constant number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from forloeb.models import Udskrivning
from forloeb.services.indskrivning import visitation_underskriv
from mikrolaan.konti.models import Organisation, Rolle
from mikrolaan.revision.models import AdgangsLog
from oversigt.sag import sag as borgerens_sag
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.sager import (
    grundlag,
    henvis,
    lav_borger,
    lav_forloeb,
    lav_pladsaftale,
    udskriv,
    visiter,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(borger) -> str:
    return reverse("oversigt:sag", args=[borger.pk])


def afbryd(pilot, forloeb) -> None:
    """Discharge for sickness today, which ends the programme and frees the place."""
    udskriv(
        pilot,
        forloeb,
        timezone.localdate(),
        Udskrivning.Aarsag.SYGDOM,
        forsoergelse_efter=grundlag("Kontanthjælp"),
    )


def test_the_section_shows_the_programme_with_its_phases_and_the_referral(pilot, aftale, klient):
    forloeb = lav_forloeb(pilot, aftale, "Sofie", "Holm")

    svar = klient(pilot.sagsbehandler).get(url(forloeb.borger), **HTMX)

    assert svar.status_code == 200
    html = svar.content.decode()
    assert html.lstrip().startswith('<section id="sag"') and "<html" not in html
    assert "Forløb på Mikrolån Næstved 2026 – Opkvalificering" in html
    assert f'href="{reverse("forloeb:detalje", args=[forloeb.pk])}"' in html
    assert f'href="{reverse("visitation:detalje", args=[forloeb.henvisning_id])}"' in html
    assert "Opkvalificerende forløb" in html and "Hovedforløb" in html
    assert svar.context["sag"].forloeb == [forloeb]


def test_without_htmx_the_section_is_a_page_of_its_own(pilot, aftale, klient):
    forloeb = lav_forloeb(pilot, aftale, "Sofie", "Holm")

    svar = klient(pilot.forloebsmedarbejder).get(url(forloeb.borger))

    html = svar.content.decode()
    assert svar.status_code == 200
    assert "<main" in html and "<h1" in html and "Sagsforløb for Sofie Holm" in html
    assert '<section id="sag"' in html and "Forløb på Mikrolån Næstved 2026" in html
    assert f'href="{reverse("borgere:detalje", args=[forloeb.borger_id])}"' in html


def test_a_citizen_not_referred_yet_can_be_referred_by_a_caseworker(pilot, klient):
    borger = lav_borger(pilot)

    html = klient(pilot.sagsbehandler).get(url(borger), **HTMX).content.decode()

    assert "Borgeren er ikke henvist endnu." in html
    assert reverse("visitation:henvisning_opret", args=[borger.pk]) in html


@pytest.mark.parametrize("aaben", ["henvist", "indskrevet"])
def test_a_citizen_with_an_open_referral_or_a_programme_cannot_be_referred_again(
    pilot, aftale, klient, aaben
):
    if aaben == "henvist":
        borger = henvis(pilot, aftale).borger
    else:
        borger = lav_forloeb(pilot, aftale).borger

    svar = klient(pilot.sagsbehandler).get(url(borger), **HTMX)

    assert svar.context["sag"].kan_henvise is False
    assert reverse("visitation:henvisning_opret", args=[borger.pk]) not in svar.content.decode()


def test_after_a_programme_has_ended_the_caseworker_may_refer_again(pilot, aftale, klient):
    forloeb = lav_forloeb(pilot, aftale)
    afbryd(pilot, forloeb)

    html = klient(pilot.sagsbehandler).get(url(forloeb.borger), **HTMX).content.decode()

    assert reverse("visitation:henvisning_opret", args=[forloeb.borger_id]) in html
    assert "Afbrudt" in html


def test_course_staff_are_never_offered_to_refer(pilot, aftale, klient):
    forloeb = lav_forloeb(pilot, aftale)
    afbryd(pilot, forloeb)

    html = klient(pilot.forloebsmedarbejder).get(url(forloeb.borger), **HTMX).content.decode()

    assert reverse("visitation:henvisning_opret", args=[forloeb.borger_id]) not in html


def test_a_provider_sees_only_its_own_referral_of_a_citizen_referred_elsewhere_too(pilot):
    koege = OrganisationFactory(navn="Køge Kommune", type=Organisation.Type.KOMMUNE)
    koeges_medarbejder = BrugerFactory(organisation=koege, rolle=Rolle.FORLOEBSMEDARBEJDER)
    koeges_aftale = lav_pladsaftale(pilot, navn="Mikrolån Køge", leverandoer=koege, pris_pr_plads=0)
    borger = lav_borger(pilot, "Sofie", "Holm")
    # Rejected at Køge, then admitted at Næstved.
    afvist = henvis(pilot, koeges_aftale, borger)
    visitation_underskriv(
        bruger=pilot.sagsbehandler,
        visitation=visiter(
            pilot,
            afvist,
            beslutning="afvist",
            afvisningsgrund="Ikke klar.",
            bruger=koeges_medarbejder,
        ),
    )
    forloeb = lav_forloeb(pilot, lav_pladsaftale(pilot, antal_pladser=5), borger=borger)

    koeges = borgerens_sag(borger=borger, bruger=koeges_medarbejder)
    naestveds = borgerens_sag(borger=borger, bruger=pilot.forloebsmedarbejder)
    jobcentrets = borgerens_sag(borger=borger, bruger=pilot.sagsbehandler)

    assert (koeges.henvisninger, koeges.forloeb) == ([afvist], [])
    assert (naestveds.henvisninger, naestveds.forloeb) == ([forloeb.henvisning], [forloeb])
    assert (jobcentrets.henvisninger, jobcentrets.forloeb) == (
        [forloeb.henvisning, afvist],
        [forloeb],
    )


@pytest.mark.parametrize("bruger", ["erhvervschef", "administrator", "fremmed"])
def test_the_section_does_not_exist_outside_the_case_and_nothing_is_logged(
    pilot, aftale, klient, bruger
):
    forloeb = lav_forloeb(pilot, aftale)

    for overskrifter in ({}, HTMX):
        assert (
            klient(getattr(pilot, bruger)).get(url(forloeb.borger), **overskrifter).status_code
            == 404
        )
    assert not AdgangsLog.objects.filter(bruger=getattr(pilot, bruger)).exists()


def test_the_section_is_access_logged_as_the_case_section_and_never_cached(pilot, aftale, klient):
    forloeb = lav_forloeb(pilot, aftale)

    svar = klient(pilot.forloebsmedarbejder).get(
        url(forloeb.borger), REMOTE_ADDR="10.1.2.3", **HTMX
    )

    log = AdgangsLog.objects.get(bruger=pilot.forloebsmedarbejder)
    assert log.handling == AdgangsLog.Handling.VIS
    assert log.objekt_id == str(forloeb.borger_id)
    assert log.kriterier == {"afsnit": "sag"}
    assert log.ip_adresse == "10.1.2.3"
    assert "no-store" in svar["Cache-Control"]


@pytest.mark.parametrize("antal", [1, 3])
def test_the_section_takes_the_same_number_of_queries_however_many_programmes(
    pilot, aftale, klient, django_assert_num_queries, antal
):
    borger = lav_borger(pilot)
    # Ended programmes one after the other (each with its referral, visitation and phases), then
    # a referral still awaiting its visitation.
    for _ in range(antal):
        afbryd(pilot, lav_forloeb(pilot, aftale, borger=borger))
    henvis(pilot, aftale, borger)
    sagsbehandler = klient(pilot.sagsbehandler)
    sagsbehandler.get(url(borger), **HTMX)  # warm caches (content types)
    # 1 session, 2 user, 3 the user's roles, 4 the citizen (scoped), 5 access log insert,
    # 6 referrals with agreement and visitation, 7 programmes with agreement, 8 their phases,
    # 9 whether the citizen has an open case (may the caseworker refer?).
    with django_assert_num_queries(9):
        svar = sagsbehandler.get(url(borger), **HTMX)
    assert len(svar.context["sag"].henvisninger) == antal + 1
    assert len(svar.context["sag"].forloeb) == antal
