"""A citizen's page (borgere:detalje): scoped to the case's organisations and access-logged."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from borgere.services import journalnotat_opret
from forloeb.models import Udskrivning
from forloeb.services.indskrivning import visitation_underskriv
from mikrolaan.konti.models import Organisation, Rolle
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import (
    BorgerFactory,
    BrugerFactory,
    DokumentFactory,
    JournalnotatFactory,
    OrganisationFactory,
)
from tests.byg.sager import (
    grundlag,
    henvis,
    lav_borger,
    lav_forloeb,
    lav_pladsaftale,
    udskriv,
    visiter,
)
from tests.byg.tid import paa


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


def _hele_borgersiden(klient, borger) -> str:
    """The citizen page as a browser shows it: the page and the sections it loads with htmx."""
    html = klient.get(_url(borger)).content.decode()
    for maerke in re.findall(r'<[^>]*\bhx-trigger="load"[^>]*>', html):
        afsnit = klient.get(re.search(r'hx-get="([^"]+)"', maerke)[1], HTTP_HX_REQUEST="true")
        assert afsnit.status_code == 200
        html += afsnit.content.decode()
    return html


def test_course_staff_do_not_see_another_providers_referral_or_programme_of_the_citizen(
    pilot, klient
):
    koege = OrganisationFactory(navn="Køge Kommune", type=Organisation.Type.KOMMUNE)
    koeges_medarbejder = BrugerFactory(organisation=koege, rolle=Rolle.FORLOEBSMEDARBEJDER)
    # Set on fixed days of 2025: its own period.
    koeges_aftale = lav_pladsaftale(
        pilot,
        navn="Mikrolån Køge 2025",
        leverandoer=koege,
        gyldig_fra=datetime.date(2025, 1, 1),
        gyldig_til=datetime.date(2027, 12, 31),
        pris_pr_plads=Decimal("40000.00"),
    )
    borger = lav_borger(pilot, "Sofie", "Holm")
    # In 2025 the jobcenter referred her to Køge, which admitted her; she left for sickness ...
    with paa(datetime.date(2025, 2, 3)):
        i_koege = henvis(pilot, koeges_aftale, borger)
        visitation = visiter(
            pilot, i_koege, bruger=koeges_medarbejder, moededato=datetime.date(2025, 2, 3)
        )
        koeges_forloeb = visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
    udskriv(
        pilot,
        koeges_forloeb,
        datetime.date(2025, 4, 10),
        Udskrivning.Aarsag.SYGDOM,
        bruger=koeges_medarbejder,
        forsoergelse_efter=grundlag("Kontanthjælp"),
    )
    # ... and now to Næstved, the pilot's provider.
    lav_forloeb(pilot, lav_pladsaftale(pilot, antal_pladser=5), borger=borger)
    koeges_spor = [
        "Mikrolån Køge 2025",
        "Afbrudt",  # the Køge programme's status
        "03.02.2025",  # its referral, admission and the planned phases
        "03.08.2025",
        "10.04.2025",  # the actual end of its qualifying phase
        reverse("visitation:detalje", args=[i_koege.pk]),
        reverse("forloeb:detalje", args=[koeges_forloeb.pk]),
    ]

    naestveds = _hele_borgersiden(klient(pilot.forloebsmedarbejder), borger)
    jobcentrets = _hele_borgersiden(klient(pilot.sagsbehandler), borger)

    assert "Mikrolån Næstved 2026" in naestveds
    assert [spor for spor in koeges_spor if spor in naestveds] == []
    # The referring jobcenter takes part in both cases and sees both (so the test can fail).
    assert [spor for spor in koeges_spor if spor not in jobcentrets] == []


def test_the_page_loads_the_case_section_from_the_overview_and_links_the_timeline_without_js(
    sagsdata, klient
):
    svar = klient(sagsdata.sagsbehandler).get(_url(sagsdata.borger))

    html = svar.content.decode()
    sag = html[html.index('<section id="sag"') : html.index("</section>", html.index('id="sag"'))]
    assert f'hx-get="{reverse("oversigt:sag", args=[sagsdata.borger.pk])}"' in sag
    assert 'hx-trigger="load"' in sag
    assert f'href="{reverse("oversigt:tidslinje", args=[sagsdata.borger.pk])}"' in sag
    # borgere builds under visitation and forloeb: it neither reads nor renders their rows.
    assert sagsdata.pladsaftale.navn not in html
    assert not {"henvisninger", "forloeb_liste", "kan_henvise"} & set(svar.context.keys())


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
    # jobcenter, 5 access log insert, 6 notes with authors and corrected notes, 7 unread
    # notifications (navigation), 8 documents with uploaders. The case section (referrals,
    # programmes) is not read here: the page loads it from oversigt:sag.
    with django_assert_num_queries(8):
        svar = sagsbehandler.get(_url(sagsdata.borger))
    assert len(svar.context["journalnotater"]) == 2 * antal + 1
    assert len(svar.context["dokumenter"]) == antal + 1
