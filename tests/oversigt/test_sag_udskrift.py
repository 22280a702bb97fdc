"""The printable case summary (oversigt:sag_udskrift): the citizen page with its case section and
timeline rendered on the server, on a page without navigation, for the case's organisations."""

import pytest
from django.urls import reverse

from borgere.services import journalnotat_opret
from forloeb.services.indskrivning import visitation_underskriv
from mikrolaan.revision.models import AdgangsLog
from tests.byg.sager import visiter


def _url(borger):
    return reverse("oversigt:sag_udskrift", args=[borger.pk])


@pytest.fixture
def optaget(sagsdata):
    """The `sagsdata` citizen visited and admitted: a programme with its two phases."""
    return visitation_underskriv(
        bruger=sagsdata.sagsbehandler, visitation=visiter(sagsdata.pilot, sagsdata.henvisning)
    )


def test_the_summary_holds_details_case_section_timeline_notes_and_documents(
    sagsdata, optaget, klient
):
    svar = klient(sagsdata.sagsbehandler).get(_url(sagsdata.borger))

    assert svar.status_code == 200
    html = svar.content.decode()
    assert "Sagsoversigt for Anna Testesen" in html
    assert sagsdata.borger.cpr_maskeret in html and sagsdata.borger.cpr not in html
    # The case section that the citizen page loads with htmx, here without JavaScript.
    assert "hx-get" not in html
    assert "Forløb på Mikrolån Næstved (test) – Opkvalificering" in html
    assert "Opkvalificerende forløb" in html and "Hovedforløb" in html
    assert optaget.henvisning.get_status_display() in html
    # The timeline, the journal note in full and the document's name.
    assert 'data-art="indskrivning"' in html and 'data-art="henvisning"' in html
    assert sagsdata.journalnotat.tekst in html
    assert sagsdata.dokument.filnavn in html


def test_the_summary_has_no_navigation_forms_or_inline_script_and_breaks_pages(sagsdata, klient):
    html = klient(sagsdata.forloebsmedarbejder).get(_url(sagsdata.borger)).content.decode()

    assert "<nav" not in html and "Hovedmenu" not in html and "Log ud" not in html
    assert "<form" not in html
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    assert '<script src="/static/js/udskriv.js" defer></script>' in html
    assert "<script>" not in html and "onclick" not in html
    # The print button is hidden until the script shows it (printing needs JavaScript).
    assert (
        '<button type="button" class="btn btn-primary" data-udskriv hidden>Udskriv</button>' in html
    )
    assert html.count('class="ny-side') == 2


def test_printing_the_summary_is_access_logged_as_a_view_of_the_citizen(sagsdata, klient):
    svar = klient(sagsdata.sagsbehandler).get(_url(sagsdata.borger))

    assert "no-store" in svar["Cache-Control"]
    log = AdgangsLog.objects.get()
    assert (log.handling, log.objekt_id, log.kriterier) == (
        AdgangsLog.Handling.VIS,
        str(sagsdata.borger.pk),
        {"udskrift": True},
    )


@pytest.mark.parametrize("rolle", ["fremmed", "erhvervschef", "administrator"])
def test_users_outside_the_case_get_404_and_nothing_is_logged(sagsdata, klient, rolle):
    assert klient(getattr(sagsdata, rolle)).get(_url(sagsdata.borger)).status_code == 404
    assert not AdgangsLog.objects.exists()


def test_the_citizen_page_offers_the_summary_and_the_print_stylesheet(sagsdata, klient):
    html = (
        klient(sagsdata.sagsbehandler)
        .get(reverse("borgere:detalje", args=[sagsdata.borger.pk]))
        .content.decode()
    )

    assert f'href="{_url(sagsdata.borger)}"' in html
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html


@pytest.mark.parametrize("notater", [0, 5])
def test_the_summary_costs_the_same_queries_however_long_the_case(
    sagsdata, optaget, klient, django_assert_num_queries, notater
):
    for nummer in range(notater):
        journalnotat_opret(
            borger=sagsdata.borger, bruger=sagsdata.sagsbehandler, tekst=f"Notat {nummer}"
        )
    sagsbehandler = klient(sagsdata.sagsbehandler)

    # Session, user, the user's roles, the citizen (with means of support and jobcenter), the
    # access-log row; the case section: referrals, programmes, their phases, and whether the
    # citizen has an open referral (sag.kan_henvise); the timeline's
    # nine (referrals with their signatures, programmes with their phases, extensions and
    # follow-ups, attendance, notes, documents, loan moves, notifications, the referrals'
    # corrections, the programmes' corrections); the notes and the documents in full.
    with django_assert_num_queries(5 + 4 + 9 + 2):
        svar = sagsbehandler.get(_url(sagsdata.borger))
    assert svar.status_code == 200
