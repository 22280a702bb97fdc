"""The case timeline: every kind of entry in order, what's next, scoping and the access log."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from forloeb.models import Fase, Forloeb
from forloeb.services.indskrivning import visitation_underskriv
from mikrolaan.konti.models import Organisation, Rolle
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from mikrolaan.revision.models import AdgangsLog
from oversigt.tidslinje import OPFOELGNING_VARSEL_DAGE
from oversigt.tidslinje import tidslinje as borgerens_tidslinje
from tests.byg.fabrikker import (
    BrugerFactory,
    DokumentFactory,
    JournalnotatFactory,
    NotifikationFactory,
    OrganisationFactory,
)
from tests.byg.sager import (
    afsluttet_forloeb_hos,
    faser,
    forlaeng,
    henvis,
    lav_borger,
    lav_forloeb,
    lav_pladsaftale,
    registrer_fremmoede,
    registrer_opfoelgning,
    til_hovedforloeb,
    udskriv,
    visiter,
)
from tests.byg.tid import DAG, paa

pytestmark = pytest.mark.django_db

KBH = ZoneInfo("Europe/Copenhagen")
D = datetime.date


def kl(dag: int, maaned: int, time: int, minut: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, maaned, dag, time, minut, tzinfo=KBH)


def url(borger) -> str:
    return reverse("oversigt:tidslinje", args=[borger.pk])


@pytest.fixture
def sag(pilot, fast_aftale):
    """One citizen's case step by step in 2026, each step at its own moment."""
    aftale = fast_aftale
    borger = lav_borger(pilot, "Sofie", "Holm")
    with time_machine.travel(kl(2, 3, 9), tick=False):
        henvisning = henvis(pilot, aftale, borger)
    with time_machine.travel(kl(5, 3, 10), tick=False):
        visitation = visiter(pilot, henvisning, moededato=D(2026, 3, 5))
    with time_machine.travel(kl(6, 3, 11), tick=False):
        forloeb = visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
    with time_machine.travel(kl(10, 3, 13), tick=False):
        notat = JournalnotatFactory(
            borger=borger, forfatter=pilot.sagsbehandler, tekst="Første samtale gik godt."
        )
    registrer_fremmoede(pilot, forloeb, "deltog", dato=D(2026, 3, 12))
    with time_machine.travel(kl(1, 4, 9, 30), tick=False):
        dokument = DokumentFactory(borger=borger, uploadet_af=pilot.sagsbehandler)
    with time_machine.travel(kl(5, 4, 8), tick=False):
        NotifikationFactory(
            modtager=pilot.sagsbehandler,
            emne="Påmindelse om Sofie Holm",
            link=reverse("borgere:detalje", args=[borger.pk]),
        )
    fase = faser(forloeb)[Fase.Type.OPKVALIFICERING]
    forlaeng(pilot, fase, D(2026, 10, 6), "Sygdom i fire uger.", dato=D(2026, 4, 20))
    return {
        "borger": borger,
        "henvisning": henvisning,
        "forloeb": forloeb,
        "notat": notat,
        "dokument": dokument,
    }


@time_machine.travel(kl(1, 5, 12), tick=False)
def test_the_timeline_shows_the_whole_case_newest_first(pilot, sag, klient):
    svar = klient(pilot.sagsbehandler).get(url(sag["borger"]))

    assert svar.status_code == 200
    poster = svar.context["tidslinje"].poster
    assert [(p.dato, p.art) for p in poster] == [
        (D(2026, 4, 20), "forlaengelse"),
        (D(2026, 4, 5), "notifikation"),
        (D(2026, 4, 1), "dokument"),
        (D(2026, 3, 12), "aktivitet"),
        (D(2026, 3, 10), "journalnotat"),
        (D(2026, 3, 6), "notifikation"),  # "Indskrevet", sent as the admission was saved
        (D(2026, 3, 6), "fase"),
        (D(2026, 3, 6), "indskrivning"),
        (D(2026, 3, 6), "afgoerelse"),
        (D(2026, 3, 6), "underskrift"),  # the jobcenter's, the last one
        (D(2026, 3, 5), "notifikation"),  # "awaiting your signature", after Næstved's
        (D(2026, 3, 5), "underskrift"),  # Næstved's, with the visitation
        (D(2026, 3, 5), "visitation"),
        (D(2026, 3, 2), "henvisning"),
    ]
    html = svar.content.decode()
    assert "20.04.2026" in html and "02.03.2026" in html
    assert "Opkvalificerende forløb forlænget fra 06.09.2026 til 06.10.2026" in html
    assert "Underskrevet for Jobcenter Vallensbæk" in html
    assert "Første samtale gik godt." in html
    assert "Personlig vejledning (individuel)" in html and "deltog" in html
    henvisning_url = reverse("visitation:detalje", args=[sag["henvisning"].pk])
    assert f'href="{henvisning_url}"' in html
    notat_url = reverse("borgere:detalje", args=[sag["borger"].pk]) + f"#notat-{sag['notat'].pk}"
    assert f'href="{notat_url}"' in html


@time_machine.travel(kl(1, 5, 12), tick=False)
def test_whats_next_shows_the_days_left_of_the_current_phase(pilot, sag, klient):
    svar = klient(pilot.sagsbehandler).get(url(sag["borger"]))

    naeste = svar.context["tidslinje"].naeste
    assert [(n.niveau, n.tekst) for n in naeste] == [
        ("info", "Opkvalificerende forløb slutter 06.10.2026 (om 158 dage).")
    ]


@time_machine.travel(kl(10, 10, 12), tick=False)
def test_whats_next_flags_an_overdue_phase(pilot, sag, klient):
    svar = klient(pilot.sagsbehandler).get(url(sag["borger"]))

    naeste = svar.context["tidslinje"].naeste
    assert [(n.niveau, n.tekst) for n in naeste] == [
        (
            "danger",
            "Opkvalificerende forløb er overskredet: planlagt slut 06.10.2026 (for 4 dage siden).",
        )
    ]
    assert "Overskredet:" in svar.content.decode()


def test_whats_next_shows_a_signature_awaited_and_whose(pilot, aftale, klient):
    borger = lav_borger(pilot)
    visiter(pilot, henvis(pilot, aftale, borger))  # Næstved has signed, the jobcenter has not

    hos_jobcentret = klient(pilot.sagsbehandler).get(url(borger)).context["tidslinje"].naeste
    hos_naestved = klient(pilot.forloebsmedarbejder).get(url(borger)).context["tidslinje"].naeste

    assert [(n.niveau, n.tekst) for n in hos_jobcentret] == [
        ("warning", "Visitationen afventer din underskrift for Jobcenter Vallensbæk.")
    ]
    assert [(n.niveau, n.tekst) for n in hos_naestved] == [
        ("info", "Visitationen afventer underskrift fra Jobcenter Vallensbæk.")
    ]


@time_machine.travel(kl(1, 12, 12), tick=False)
def test_whats_next_shows_due_and_overdue_follow_ups_and_the_timeline_the_registered_one(
    pilot, fast_aftale, klient
):
    forloeb = lav_forloeb(pilot, fast_aftale, "Karl", "Smed", startdato=D(2025, 9, 1))
    # Follow-ups due 20.03.2026 (recorded on the 25th), 20.06.2026 (overdue) and 20.12.2026 (due
    # within a month).
    udskriv(pilot, forloeb, D(2025, 12, 20))
    registrer_opfoelgning(pilot, forloeb.opfoelgninger.get(maaneder=3), D(2026, 3, 25))

    tidslinje = klient(pilot.sagsbehandler).get(url(forloeb.borger)).context["tidslinje"]

    assert [(n.niveau, n.tekst) for n in tidslinje.naeste] == [
        ("danger", "Opfølgningen 6 måneder efter udskrivning er forfalden siden 20.06.2026."),
        ("info", "Opfølgningen 12 måneder efter udskrivning forfalder 20.12.2026 (om 19 dage)."),
    ]
    opfoelgninger = [p for p in tidslinje.poster if p.art == "opfoelgning"]
    assert [(p.dato, p.tekst) for p in opfoelgninger] == [
        (D(2026, 3, 25), "Opfølgning 3 måneder efter udskrivning: selvforsørgende")
    ]
    assert [p.tekst for p in tidslinje.poster if p.art == "udskrivning"] == ["Udskrevet: Job"]


def test_a_follow_up_far_ahead_is_not_yet_next(pilot, aftale):
    forloeb = lav_forloeb(pilot, aftale)
    udskriv(pilot, forloeb, timezone.localdate())
    foerste = forloeb.opfoelgninger.get(maaneder=3).forfalder

    # One day before the warning window the first follow-up is not next; on its first day it is.
    with paa(foerste - (OPFOELGNING_VARSEL_DAGE + 1) * DAG):
        for_tidligt = borgerens_tidslinje(borger=forloeb.borger, bruger=pilot.sagsbehandler)
    with paa(foerste - OPFOELGNING_VARSEL_DAGE * DAG):
        i_vinduet = borgerens_tidslinje(borger=forloeb.borger, bruger=pilot.sagsbehandler)

    assert for_tidligt.naeste == []
    assert [n.tekst for n in i_vinduet.naeste] == [
        f"Opfølgningen 3 måneder efter udskrivning forfalder {foerste:%d.%m.%Y} "
        f"(om {OPFOELGNING_VARSEL_DAGE} dage)."
    ]


def test_the_transition_assessment_and_the_phase_end_are_on_the_timeline(pilot, aftale):
    forloeb = lav_forloeb(pilot, aftale)
    til_hovedforloeb(pilot, forloeb, anbefaling="Klar til hovedforløbet.")

    tekster = [
        p.tekst
        for p in borgerens_tidslinje(borger=forloeb.borger, bruger=pilot.sagsbehandler).poster
    ]

    assert "Vurderet til overgang til hovedforløbet: Klar til hovedforløbet." in tekster
    assert any(t.startswith("Opkvalificerende forløb afsluttet") for t in tekster)


def test_only_the_users_own_notifications_about_this_citizen_are_shown(pilot, aftale):
    borger = lav_borger(pilot, "Sofie", "Holm")
    forloeb = lav_forloeb(pilot, aftale, borger=borger)
    anden = lav_borger(pilot, "Anden", "Borger")
    # A citizen whose id starts with the same digits must not match by prefix ("/borgere/1/"
    # vs "/borgere/12/"): compare the paths with their trailing slash.
    sti = reverse("borgere:detalje", args=[borger.pk])
    NotifikationFactory(modtager=pilot.sagsbehandler, emne="Om Sofie", link=sti)
    NotifikationFactory(
        modtager=pilot.sagsbehandler,
        emne="Om henvisningen",
        link=reverse("visitation:detalje", args=[forloeb.henvisning_id]) + "#visitation",
    )
    NotifikationFactory(modtager=pilot.forloebsmedarbejder, emne="Til en kollega", link=sti)
    NotifikationFactory(
        modtager=pilot.sagsbehandler,
        emne="Om en anden",
        link=reverse("borgere:detalje", args=[anden.pk]),
    )
    NotifikationFactory(modtager=pilot.sagsbehandler, emne="Om et længere id", link=f"{sti[:-1]}0/")
    NotifikationFactory(modtager=pilot.sagsbehandler, emne="Uden link", link="")

    poster = borgerens_tidslinje(borger=borger, bruger=pilot.sagsbehandler).poster

    emner = {p.tekst for p in poster if p.art == "notifikation"}
    # The caseworker's own "awaiting your signature" and "admitted" from the case are about her too.
    assert emner == {
        "Om Sofie",
        "Om henvisningen",
        "Visitation afventer underskrift: Sofie Holm",
        "Indskrevet: Sofie Holm",
    }


@pytest.mark.parametrize("rolle", ["sagsbehandler", "forloebsmedarbejder"])
def test_intake_and_discharge_news_show_on_the_timeline_of_those_on_the_case(pilot, aftale, rolle):
    borger = lav_borger(pilot, "Sofie", "Holm")
    forloeb = lav_forloeb(pilot, aftale, borger=borger)
    udskriv(pilot, forloeb, timezone.localdate())

    poster = borgerens_tidslinje(borger=borger, bruger=getattr(pilot, rolle)).poster

    emner = [p.tekst for p in poster if p.art == "notifikation"]
    assert "Indskrevet: Sofie Holm" in emner
    assert "Udskrevet: Sofie Holm" in emner


def test_the_erhvervschefs_intake_news_links_to_the_agreement_not_the_case(pilot, aftale):
    forloeb = lav_forloeb(pilot, aftale)

    links = dict(
        Notifikation.objects.filter(haendelse=Haendelse.INDSKREVET).values_list(
            "modtager__username", "link"
        )
    )
    assert links == {
        "erhvervschef": reverse("visitation:pladsaftale", args=[aftale.pk]),
        "sagsbehandler": reverse("forloeb:detalje", args=[forloeb.pk]),
        "forloeb": reverse("forloeb:detalje", args=[forloeb.pk]),
    }


@pytest.mark.parametrize("bruger", ["erhvervschef", "administrator", "fremmed"])
def test_the_timeline_does_not_exist_outside_the_case(pilot, sag, klient, bruger):
    svar = klient(getattr(pilot, bruger)).get(url(sag["borger"]))

    assert svar.status_code == 404
    assert not AdgangsLog.objects.filter(bruger=getattr(pilot, bruger)).exists()


def test_both_case_organisations_see_the_timeline_and_it_is_access_logged(pilot, sag, klient):
    for bruger in (pilot.sagsbehandler, pilot.forloebsmedarbejder):
        assert klient(bruger).get(url(sag["borger"])).status_code == 200
        log = AdgangsLog.objects.get(bruger=bruger)
        assert log.handling == AdgangsLog.Handling.VIS
        assert log.objekt_id == str(sag["borger"].pk)


def test_a_provider_sees_only_its_own_part_of_a_citizen_referred_elsewhere_too(pilot, klient):
    andet_sted = OrganisationFactory(navn="Køge Kommune", type=Organisation.Type.KOMMUNE)
    koege_medarbejder = BrugerFactory(organisation=andet_sted, rolle=Rolle.FORLOEBSMEDARBEJDER)
    koege = lav_pladsaftale(pilot, navn="Mikrolån Køge", leverandoer=andet_sted, pris_pr_plads=0)
    borger = lav_borger(pilot, "Sofie", "Holm")
    # A programme at Køge first (so Køge keeps the citizen: a rejection alone would not), then
    # referred to Køge again and rejected there, then admitted at Næstved.
    afsluttet_forloeb_hos(pilot, koege, borger, medarbejder=koege_medarbejder)
    afvist = henvis(pilot, koege, borger)
    visitation = visiter(
        pilot,
        afvist,
        beslutning="afvist",
        afvisningsgrund="Ikke klar endnu.",
        bruger=koege_medarbejder,
    )
    visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
    lav_forloeb(pilot, lav_pladsaftale(pilot, antal_pladser=5), borger=borger)

    koeges = borgerens_tidslinje(borger=borger, bruger=koege_medarbejder).poster
    jobcentrets = borgerens_tidslinje(borger=borger, bruger=pilot.sagsbehandler).poster

    assert klient(koege_medarbejder).get(url(borger)).status_code == 200
    assert {p.art for p in koeges} >= {"henvisning", "afgoerelse"}
    # Its own admission, not Næstved's.
    assert [p.art for p in koeges].count("indskrivning") == 1
    assert [p.art for p in jobcentrets].count("indskrivning") == 2
    assert "Visitationen er afgjort: Afvises – Ikke klar endnu." in {p.tekst for p in koeges}
    assert {"indskrivning", "fase", "afgoerelse"} <= {p.art for p in jobcentrets}


def test_the_citizen_page_links_to_the_timeline(pilot, sag, klient):
    html = klient(pilot.sagsbehandler).get(reverse("borgere:detalje", args=[sag["borger"].pk]))
    assert f'href="{url(sag["borger"])}"' in html.content.decode()


def _tilfoej_til_sagen(pilot, forloeb, antal: int) -> None:
    """`antal` notes, documents, notifications, extensions and recorded follow-ups, and twice as
    many sessions, in a programme admitted in March 2025 and discharged in November."""
    borger = forloeb.borger
    for _ in range(antal):
        JournalnotatFactory(borger=borger, forfatter=pilot.sagsbehandler)
        DokumentFactory(borger=borger, uploadet_af=pilot.sagsbehandler)
        NotifikationFactory(
            modtager=pilot.sagsbehandler, link=reverse("borgere:detalje", args=[borger.pk])
        )
    registrer_fremmoede(pilot, forloeb, *(["deltog", "udeblev"] * antal), dato=D(2025, 4, 1))
    fase = faser(forloeb)[Fase.Type.OPKVALIFICERING]
    for _ in range(antal):
        forlaeng(pilot, fase, fase.planlagt_slut + DAG, "Sygdom.", dato=D(2025, 5, 1))
    udskriv(pilot, forloeb, D(2025, 11, 20))
    for opfoelgning in forloeb.opfoelgninger.order_by("maaneder")[:antal]:
        registrer_opfoelgning(pilot, opfoelgning)


@pytest.mark.parametrize("antal", [1, 3])
def test_the_timeline_takes_the_same_number_of_queries_however_long_the_case(
    pilot, fast_aftale, klient, django_assert_num_queries, antal
):
    forloeb = lav_forloeb(pilot, fast_aftale, startdato=D(2025, 3, 3))
    _tilfoej_til_sagen(pilot, forloeb, antal)
    sagsbehandler = klient(pilot.sagsbehandler)
    sagsbehandler.get(url(forloeb.borger))  # warm caches (content types)
    # 1 session, 2 user, 3 the user's roles, 4 the citizen (scoped), 5 access log insert,
    # 6 referrals with agreement, provider, jobcenter, referrer and visitation, and their
    # signatures with organisation and signer, 7 programmes with agreement, discharge and
    # assessment, and their phases, extensions and follow-ups, 8 attendance with session, staff
    # member and who cancelled it, 9 journal notes with author, 10 documents with uploader,
    # 11 loan moves with loan and user, 12 the user's notifications about the case, 13 the
    # referrals' corrections with agreement and the people, 14 the programmes' corrections with
    # the undone assessment or discharge and the people, 15 unread notifications (navigation).
    with django_assert_num_queries(15):
        svar = sagsbehandler.get(url(forloeb.borger))
    arter = [p.art for p in svar.context["tidslinje"].poster]
    assert arter.count("aktivitet") == 2 * antal
    assert arter.count("journalnotat") == antal
    assert arter.count("forlaengelse") == antal
    assert arter.count("opfoelgning") == antal


def test_a_programme_of_the_citizen_is_linked_from_its_entries(pilot, aftale):
    forloeb = lav_forloeb(pilot, aftale)
    poster = borgerens_tidslinje(borger=forloeb.borger, bruger=pilot.sagsbehandler).poster
    indskrivning = next(p for p in poster if p.art == "indskrivning")
    assert indskrivning.link == reverse("forloeb:detalje", args=[forloeb.pk])
    assert Forloeb.objects.count() == 1


def test_a_session_links_to_its_page_for_its_staff_and_to_the_programme_for_others(pilot, aftale):
    forloeb = lav_forloeb(pilot, aftale)
    registrer_fremmoede(pilot, forloeb, "deltog")
    aktivitet = forloeb.deltagelser.get().aktivitet

    def link(bruger):
        poster = borgerens_tidslinje(borger=forloeb.borger, bruger=bruger).poster
        return next(p.link for p in poster if p.art == "aktivitet")

    assert link(pilot.forloebsmedarbejder) == reverse("forloeb:aktivitet", args=[aktivitet.pk])
    assert link(pilot.sagsbehandler) == reverse("forloeb:detalje", args=[forloeb.pk])
