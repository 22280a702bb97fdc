"""A provider that rejected a citizen at visitation keeps the visitation record, not the citizen
(issue 11, point 3): its staff get 404 on the citizen's pages and can still open the referral."""

import pytest
from django.urls import reverse
from django.utils import timezone

from borgere.models import Borger
from forloeb.services.indskrivning import visitation_underskriv
from tests.byg.sager import henvis, lav_borger, lav_forloeb, lav_pladsaftale, udskriv, visiter
from visitation import services
from visitation.models import Henvisning

pytestmark = pytest.mark.django_db


def afvis(sagsdata, *, kun_leverandoeren: bool = False) -> Henvisning:
    """The provider records and signs a rejection of the citizen's referral; then the jobcenter
    signs too, unless `kun_leverandoeren`."""
    visitation = visiter(
        sagsdata.pilot, sagsdata.henvisning, "afvist", afvisningsgrund="Ikke klar endnu."
    )
    if kun_leverandoeren:
        return sagsdata.henvisning
    visitation_underskriv(bruger=sagsdata.sagsbehandler, visitation=visitation)
    sagsdata.henvisning.refresh_from_db()
    assert sagsdata.henvisning.status == Henvisning.Status.AFVIST
    return sagsdata.henvisning


def borgerens_sider(sagsdata) -> list[tuple[str, str]]:
    """The citizen's record: page, CPR reveal, journal, documents, timeline, case and print."""
    pk = sagsdata.borger.pk
    return [
        ("get", reverse("borgere:detalje", args=[pk])),
        ("post", reverse("borgere:vis_cpr", args=[pk])),
        ("post", reverse("borgere:notat_opret", args=[pk])),
        ("get", reverse("borgere:dokument_hent", args=[pk, sagsdata.dokument.pk])),
        ("get", reverse("oversigt:tidslinje", args=[pk])),
        ("get", reverse("oversigt:sag", args=[pk])),
        ("get", reverse("oversigt:sag_udskrift", args=[pk])),
    ]


def status_koder(klient, sider) -> list[int]:
    return [
        getattr(klient, metode)(url, {"tekst": "Ny note"} if metode == "post" else None).status_code
        for metode, url in sider
    ]


def test_the_provider_loses_every_page_of_the_citizen_once_the_rejection_is_signed(
    sagsdata, klient
):
    forloeb = klient(sagsdata.forloebsmedarbejder)
    sider = borgerens_sider(sagsdata)
    assert 404 not in status_koder(forloeb, sider)
    # Signed by the provider only, the decision is not made yet: the case is still shared.
    afvis(sagsdata, kun_leverandoeren=True)
    assert 404 not in status_koder(forloeb, sider)

    noter = sagsdata.borger.journalnotater.count()
    visitation_underskriv(bruger=sagsdata.sagsbehandler, visitation=sagsdata.henvisning.visitation)

    assert status_koder(forloeb, sider) == [404] * len(sider)
    assert sagsdata.borger not in Borger.objects.synlige_for(sagsdata.forloebsmedarbejder)
    assert sagsdata.borger.journalnotater.count() == noter
    # The referring jobcenter keeps the case.
    assert sagsdata.borger in Borger.objects.synlige_for(sagsdata.sagsbehandler)


def test_after_rejecting_the_provider_opens_the_visitation_record_without_cpr(sagsdata, klient):
    henvisning = afvis(sagsdata)
    maskeret = sagsdata.borger.cpr_maskeret
    borger_url = reverse("borgere:detalje", args=[sagsdata.borger.pk])
    detalje = reverse("visitation:detalje", args=[henvisning.pk])
    udskrift = reverse("visitation:udskrift", args=[henvisning.pk])
    forloeb = klient(sagsdata.forloebsmedarbejder)

    for svar in (forloeb.get(detalje), forloeb.get(udskrift)):
        assert svar.status_code == 200
        html = svar.content.decode()
        assert "Ikke klar endnu." in html
        assert maskeret not in html
        assert borger_url not in html
    # The jobcenter, which keeps the case, still gets the link and the masked number.
    sagsbehandler = klient(sagsdata.sagsbehandler)
    assert borger_url in sagsbehandler.get(detalje).content.decode()
    assert maskeret in sagsbehandler.get(udskrift).content.decode()


def test_a_withdrawn_referral_shares_the_citizen_no_longer(sagsdata):
    services.traek_henvisning_tilbage(
        bruger=sagsdata.sagsbehandler, henvisning=sagsdata.henvisning, begrundelse="Fik job."
    )

    assert sagsdata.borger not in Borger.objects.synlige_for(sagsdata.forloebsmedarbejder)


def test_a_new_referral_to_the_provider_shares_the_rejected_citizen_again(sagsdata):
    afvis(sagsdata)
    assert sagsdata.borger not in Borger.objects.synlige_for(sagsdata.forloebsmedarbejder)

    henvis(sagsdata.pilot, sagsdata.pladsaftale, sagsdata.borger)

    assert sagsdata.borger in Borger.objects.synlige_for(sagsdata.forloebsmedarbejder)


def test_a_later_rejection_does_not_take_away_an_earlier_programme_at_the_provider(pilot):
    aftale = lav_pladsaftale(pilot)
    forloeb = lav_forloeb(pilot, aftale)
    udskriv(pilot, forloeb, timezone.localdate())
    kun_afvist = lav_borger(pilot, "Kun", "Afvist")
    for borger in (forloeb.borger, kun_afvist):
        visitation = visiter(pilot, henvis(pilot, aftale, borger), "afvist", afvisningsgrund="Nej.")
        visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)

    synlige = set(Borger.objects.synlige_for(pilot.forloebsmedarbejder))

    # The discharged programme's case stays the provider's (its follow-ups); the other goes.
    assert forloeb.borger in synlige
    assert kun_afvist not in synlige
