"""A citizen's page (borgere:detalje): scoped to the case's organisations and access-logged."""

import pytest
from django.urls import reverse

from borgere.services import journalnotat_opret
from mikrolaan.revision.models import AdgangsLog
from tests.factories import BorgerFactory, DokumentFactory, JournalnotatFactory


def _url(borger):
    return reverse("borgere:detalje", args=[borger.pk])


def test_the_page_shows_the_citizen_with_a_masked_cpr(sagsdata, klient):
    borger = sagsdata.borger
    svar = klient(sagsdata.sagsbehandler).get(_url(borger))

    html = svar.content.decode()
    assert svar.status_code == 200
    assert "<h1" in html and borger.navn in html
    assert borger.cpr_maskeret in html
    assert borger.cpr not in html and f"{borger.cpr[:6]}-{borger.cpr[6:]}" not in html
    assert "Vis CPR" in html and reverse("borgere:vis_cpr", args=[borger.pk]) in html
    assert "Kontanthjælp" in html and "Cykelværksted" in html
    assert sagsdata.dokument.filnavn in html
    assert reverse("borgere:dokument_hent", args=[borger.pk, sagsdata.dokument.pk]) in html
    assert reverse("borgere:rediger", args=[borger.pk]) in html
    assert svar["Cache-Control"].startswith("max-age=0") and "no-store" in svar["Cache-Control"]


def test_opening_the_page_is_access_logged(sagsdata, klient):
    klient(sagsdata.forloebsmedarbejder).get(_url(sagsdata.borger), REMOTE_ADDR="10.1.2.3")
    log = AdgangsLog.objects.get()
    assert log.handling == AdgangsLog.Handling.VIS
    assert log.bruger == sagsdata.forloebsmedarbejder
    assert log.objekt_id == str(sagsdata.borger.pk)
    assert log.ip_adresse == "10.1.2.3"


def test_course_staff_see_a_citizen_referred_to_them_but_cannot_edit(sagsdata, klient):
    svar = klient(sagsdata.forloebsmedarbejder).get(_url(sagsdata.borger))
    assert svar.status_code == 200
    assert reverse("borgere:rediger", args=[sagsdata.borger.pk]) not in svar.content.decode()


def test_course_staff_do_not_see_a_citizen_not_referred_to_them(sagsdata, klient):
    ikke_henvist = BorgerFactory(jobcenter=sagsdata.jobcenter, oprettet_af=sagsdata.sagsbehandler)
    assert klient(sagsdata.forloebsmedarbejder).get(_url(ikke_henvist)).status_code == 404


@pytest.mark.parametrize("rolle", ["fremmed", "erhvervschef", "administrator"])
def test_users_outside_the_case_get_404_and_nothing_is_logged(sagsdata, klient, rolle):
    assert klient(getattr(sagsdata, rolle)).get(_url(sagsdata.borger)).status_code == 404
    assert not AdgangsLog.objects.exists()


def test_notes_are_newest_first_and_a_correction_links_to_what_it_corrects(sagsdata, klient):
    original = sagsdata.journalnotat
    nyere = journalnotat_opret(
        borger=sagsdata.borger, bruger=sagsdata.sagsbehandler, tekst="Andet møde."
    )
    rettelse = journalnotat_opret(
        borger=sagsdata.borger,
        bruger=sagsdata.forloebsmedarbejder,
        tekst="Rettelse af første notat.",
        retter=original,
    )

    svar = klient(sagsdata.sagsbehandler).get(_url(sagsdata.borger))

    assert svar.context["journalnotater"] == [rettelse, nyere, original]
    assert svar.context["journalnotater"][2].rettet_af == [rettelse]
    html = svar.content.decode()
    assert html.index("Rettelse af første notat.") < html.index("Andet møde.")
    assert f'href="#notat-{original.pk}"' in html  # the correction points at the original
    assert f'href="#notat-{rettelse.pk}"' in html  # the original points at its correction
    assert reverse("borgere:notat_ret", args=[sagsdata.borger.pk, original.pk]) in html


@pytest.mark.parametrize("antal", [3, 13])
def test_the_page_takes_the_same_number_of_queries_however_many_notes_and_documents(
    sagsdata, klient, django_assert_num_queries, antal
):
    for _ in range(antal):
        notat = JournalnotatFactory(borger=sagsdata.borger, forfatter=sagsdata.forloebsmedarbejder)
        JournalnotatFactory(borger=sagsdata.borger, forfatter=sagsdata.sagsbehandler, retter=notat)
        DokumentFactory(borger=sagsdata.borger, uploadet_af=sagsdata.forloebsmedarbejder)
    sagsbehandler = klient(sagsdata.sagsbehandler)
    sagsbehandler.get(_url(sagsdata.borger))  # warm caches (content types)
    # 1 session, 2 user, 3 the user's roles, 4 the citizen (scoped) with means of support and
    # jobcenter, 5 access log insert, 6 notes with authors and corrected notes,
    # 7 referrals with agreement and visitation, 8 programmes with agreement (their phases are
    # one more prefetch when there is a programme), 9 unread notifications (navigation),
    # 10 documents with uploaders.
    with django_assert_num_queries(10):
        svar = sagsbehandler.get(_url(sagsdata.borger))
    assert len(svar.context["journalnotater"]) == 2 * antal + 1
    assert len(svar.context["dokumenter"]) == antal + 1
