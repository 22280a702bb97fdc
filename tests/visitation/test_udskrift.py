"""The printable visitation record (visitation:udskrift): the referral, the criteria with their
notes, the decision and each organisation's signature, on a page without navigation."""

import re

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from forloeb.services.indskrivning import visitation_underskriv
from mikrolaan.revision.models import AdgangsLog
from tests.byg.sager import visiter


def _underskrifter(html: str) -> list[list[str]]:
    """The signature table's rows as lists of cell texts."""
    return [
        [
            re.sub(r"<[^>]+>", "", celle).strip()
            for celle in re.findall(r"<t[hd][^>]*>.*?</t[hd]>", raekke, re.S)
        ]
        for raekke in re.findall(r'<tr class="underskrift">(.*?)</tr>', html, re.S)
    ]


def _url(henvisning):
    return reverse("visitation:udskrift", args=[henvisning.pk])


@pytest.fixture
def underskrevet(sagsdata):
    """The `sagsdata` referral visited by Næstved's course staff and signed by the jobcenter."""
    visitation = visiter(
        sagsdata.pilot,
        sagsdata.henvisning,
        kan_gennemfoere_note="Har drevet en webshop i to år.",
        afvisningsgrund="",
    )
    visitation_underskriv(bruger=sagsdata.sagsbehandler, visitation=visitation)
    return visitation


def test_the_record_shows_criteria_notes_decision_and_both_signatures(
    sagsdata, underskrevet, klient
):
    svar = klient(sagsdata.sagsbehandler).get(_url(sagsdata.henvisning))

    assert svar.status_code == 200
    html = svar.content.decode()
    assert "Fælles visitation af Anna Testesen" in html
    assert "Vil borgeren kunne gennemføre et iværksætterforløb?" in html
    assert "Har drevet en webshop i to år." in html
    assert f"<p>{underskrevet.get_beslutning_display()}" in html
    # One row per organisation, in the referral's order: the jobcenter, then the provider.
    forventet = [
        [str(u.organisation), str(u.bruger), localtime(u.tidspunkt).strftime("%d.%m.%Y %H:%M")]
        for u in sorted(
            underskrevet.underskrifter.all(),
            key=lambda u: u.organisation_id != sagsdata.jobcenter.pk,
        )
    ]
    assert _underskrifter(html) == forventet
    assert [r[1] for r in forventet] == [
        str(sagsdata.sagsbehandler),
        str(sagsdata.forloebsmedarbejder),
    ]
    assert "Afventer underskrift" not in html
    assert sagsdata.borger.cpr not in html


def test_the_record_has_no_navigation_forms_or_inline_script(sagsdata, underskrevet, klient):
    html = klient(sagsdata.forloebsmedarbejder).get(_url(sagsdata.henvisning)).content.decode()

    assert "<nav" not in html and "Hovedmenu" not in html
    assert "<form" not in html
    assert 'media="print"' in html and "css/print.css" in html
    # Printing is started by a script loaded by src, never an inline one.
    assert '<script src="/static/js/udskriv.js" defer></script>' in html
    assert "<script>" not in html and "onclick" not in html


def test_a_signature_still_awaited_is_named_as_such(sagsdata, klient):
    visiter(sagsdata.pilot, sagsdata.henvisning)

    html = klient(sagsdata.sagsbehandler).get(_url(sagsdata.henvisning)).content.decode()

    raekker = _underskrifter(html)
    assert raekker[0] == [str(sagsdata.jobcenter), "Afventer underskrift"]
    assert raekker[1][:2] == [str(sagsdata.naestved), str(sagsdata.forloebsmedarbejder)]
    assert "Ikke afgjort: afventer underskrift." in html


def test_a_referral_without_a_visitation_says_so(sagsdata, klient):
    html = klient(sagsdata.sagsbehandler).get(_url(sagsdata.henvisning)).content.decode()

    assert "Visitationen er endnu ikke registreret." in html


def test_printing_the_record_is_access_logged_and_never_cached(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).get(_url(sagsdata.henvisning))

    assert "no-store" in svar["Cache-Control"]
    log = AdgangsLog.objects.get()
    assert log.handling == AdgangsLog.Handling.VIS
    assert log.objekt_id == str(sagsdata.henvisning.pk)
    assert log.kriterier == {"udskrift": True}


@pytest.mark.parametrize("rolle", ["fremmed", "erhvervschef", "administrator"])
def test_users_outside_the_case_get_404_and_nothing_is_logged(sagsdata, klient, rolle):
    assert klient(getattr(sagsdata, rolle)).get(_url(sagsdata.henvisning)).status_code == 404
    assert not AdgangsLog.objects.exists()


def test_the_referral_page_links_to_the_record(sagsdata, klient):
    html = klient(sagsdata.sagsbehandler).get(
        reverse("visitation:detalje", args=[sagsdata.henvisning.pk])
    )
    assert _url(sagsdata.henvisning) in html.content.decode()


def test_the_record_costs_a_fixed_number_of_queries(
    sagsdata, underskrevet, klient, django_assert_num_queries
):
    sagsbehandler = klient(sagsdata.sagsbehandler)

    # Session, user, the user's roles, the referral (with citizen, agreement and its parties,
    # jobcenter, means of support, referrer, visitation and waiting-list place), the
    # visitation's signatures with their users and organisations, and the access-log row.
    with django_assert_num_queries(6):
        svar = sagsbehandler.get(_url(sagsdata.henvisning))
    assert svar.status_code == 200
