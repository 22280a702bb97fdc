"""Corrections on the case timeline: a withdrawn referral, a citizen taken off the waiting list, a
case or programme handed to a colleague, an undone move to the main phase, a reopened discharge and
a cancelled session, each at its moment with who and why; scoped like the case; constant queries."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from forloeb.aktiviteter.services.rettelser import aktivitet_aflys
from forloeb.services.indskrivning import visitation_underskriv
from forloeb.services.rettelser import fortryd_hovedforloeb, genaabn_forloeb, omfordel_forloeb
from mikrolaan.konti.models import Organisation, Rolle
from oversigt.tidslinje import tidslinje as borgerens_tidslinje
from tests.byg.aktiviteter import opret_aktivitet
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.sager import (
    PERIODE_2025_2027,
    afsluttet_forloeb_hos,
    henvis,
    lav_borger,
    lav_forloeb,
    lav_pladsaftale,
    til_hovedforloeb,
    udskriv,
    visiter,
)
from tests.byg.tid import DAG
from visitation import services as visitation_services

pytestmark = pytest.mark.django_db

KBH = ZoneInfo("Europe/Copenhagen")
D = datetime.date
RETTELSER = {
    "tilbagetrukket",
    "fjernet_fra_venteliste",
    "omfordeling",
    "faseskift_fortrudt",
    "udskrivning_annulleret",
    "aflysning",
}


def kl(dag: int, maaned: int, time: int, minut: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, maaned, dag, time, minut, tzinfo=KBH)


def url(borger) -> str:
    return reverse("oversigt:tidslinje", args=[borger.pk])


def uden_notifikationer(poster) -> list[tuple[datetime.date, str]]:
    return [(p.dato, p.art) for p in poster if p.art != "notifikation"]


@pytest.fixture
def sagsbehandler_kollega(pilot):
    return BrugerFactory(
        first_name="Karen",
        last_name="Kollega",
        organisation=pilot.jobcenter,
        rolle=Rolle.SAGSBEHANDLER,
    )


@pytest.fixture
def forloeb_kollega(pilot):
    return BrugerFactory(
        first_name="Frida",
        last_name="Forløb",
        organisation=pilot.naestved,
        rolle=Rolle.FORLOEBSMEDARBEJDER,
    )


def test_the_referral_corrections_are_in_their_place_with_who_and_why(
    pilot, sagsbehandler_kollega, klient
):
    # One place, taken by Anna, so Sofie's second referral ends on the waiting list.
    aftale = lav_pladsaftale(pilot, antal_pladser=1, **PERIODE_2025_2027)
    lav_forloeb(pilot, aftale, "Anna", startdato=D(2026, 3, 2))
    sofie = lav_borger(pilot, "Sofie", "Holm")
    with time_machine.travel(kl(3, 3, 9), tick=False):
        foerste = henvis(pilot, aftale, sofie)
    with time_machine.travel(kl(3, 3, 15), tick=False):
        visitation_services.traek_henvisning_tilbage(
            bruger=pilot.sagsbehandler, henvisning=foerste, begrundelse="Borgeren er blevet syg."
        )
    with time_machine.travel(kl(4, 3, 9), tick=False):
        anden = henvis(pilot, aftale, sofie)
    with time_machine.travel(kl(5, 3, 10), tick=False):
        visitation = visiter(pilot, anden, moededato=D(2026, 3, 5))
    with time_machine.travel(kl(5, 3, 11), tick=False):
        assert visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation) is None
    with time_machine.travel(kl(9, 3, 9), tick=False):
        visitation_services.omfordel(
            bruger=pilot.sagsbehandler,
            henvisning=anden,
            ny_sagsbehandler=sagsbehandler_kollega,
            begrundelse="Sagsbehandleren går på barsel.",
        )
    with time_machine.travel(kl(12, 3, 14), tick=False):
        visitation_services.fjern_fra_venteliste(
            bruger=pilot.forloebsmedarbejder,
            henvisning=anden,
            begrundelse="Borgeren har fået job.",
        )

    with time_machine.travel(kl(1, 4, 12), tick=False):
        svar = klient(pilot.sagsbehandler).get(url(sofie))

    poster = svar.context["tidslinje"].poster
    assert uden_notifikationer(poster) == [
        (D(2026, 3, 12), "fjernet_fra_venteliste"),
        (D(2026, 3, 9), "omfordeling"),
        (D(2026, 3, 5), "afgoerelse"),
        (D(2026, 3, 5), "underskrift"),
        (D(2026, 3, 5), "underskrift"),
        (D(2026, 3, 5), "visitation"),
        (D(2026, 3, 4), "henvisning"),
        (D(2026, 3, 3), "tilbagetrukket"),
        (D(2026, 3, 3), "henvisning"),
    ]
    rettelser = {p.art: p for p in poster if p.art in RETTELSER}
    aftalen = aftale.navn
    assert rettelser["tilbagetrukket"].tekst == (
        f"Henvisningen til {aftalen} er trukket tilbage af {pilot.sagsbehandler}: "
        "Borgeren er blevet syg."
    )
    assert rettelser["tilbagetrukket"].klokken == datetime.time(15, 0)
    assert rettelser["omfordeling"].tekst == (
        f"Sagen er omfordelt fra {pilot.sagsbehandler} til {sagsbehandler_kollega} af "
        f"{pilot.sagsbehandler}: Sagsbehandleren går på barsel."
    )
    assert rettelser["fjernet_fra_venteliste"].tekst == (
        f"Fjernet fra ventelisten til {aftalen} af {pilot.forloebsmedarbejder}: "
        "Borgeren har fået job."
    )
    # Each links to its own referral.
    assert rettelser["tilbagetrukket"].link == reverse("visitation:detalje", args=[foerste.pk])
    assert rettelser["omfordeling"].link == reverse("visitation:detalje", args=[anden.pk])
    assert rettelser["fjernet_fra_venteliste"].link == reverse(
        "visitation:detalje", args=[anden.pk]
    )
    html = svar.content.decode()
    assert 'data-art="tilbagetrukket"' in html and "Fjernet fra venteliste" in html
    assert "Borgeren er blevet syg." in html and "Sagsbehandleren går på barsel." in html


def test_the_programme_corrections_are_in_their_place_with_who_and_why(
    pilot, fast_aftale, forloeb_kollega, klient
):
    forloeb = lav_forloeb(pilot, fast_aftale, startdato=D(2026, 3, 2))
    til_hovedforloeb(pilot, forloeb, D(2026, 4, 1))
    with time_machine.travel(kl(3, 4, 9), tick=False):
        fortryd_hovedforloeb(
            bruger=pilot.forloebsmedarbejder,
            forloeb=forloeb,
            begrundelse="Registreret på den forkerte borger.",
        )
    with time_machine.travel(kl(10, 4, 9), tick=False):
        aktivitet = opret_aktivitet(pilot, [forloeb], dato=D(2026, 4, 15))
    with time_machine.travel(kl(14, 4, 16, 30), tick=False):
        aktivitet_aflys(
            bruger=pilot.forloebsmedarbejder,
            aktivitet=aktivitet,
            begrundelse="Underviseren er syg.",
        )
    with time_machine.travel(kl(20, 4, 9), tick=False):
        omfordel_forloeb(
            bruger=pilot.forloebsmedarbejder,
            forloeb=forloeb,
            ny_medarbejder=forloeb_kollega,
            begrundelse="Ferie i tre uger.",
        )
    udskriv(pilot, forloeb, D(2026, 5, 4))
    with time_machine.travel(kl(6, 5, 13), tick=False):
        genaabn_forloeb(
            bruger=pilot.forloebsmedarbejder,
            forloeb=forloeb,
            begrundelse="Udskrevet ved en fejl: det var en anden borger.",
        )

    with time_machine.travel(kl(10, 5, 12), tick=False):
        svar = klient(pilot.sagsbehandler).get(url(forloeb.borger))

    poster = svar.context["tidslinje"].poster
    # The undone move and the annulled discharge have left the phases; the corrections tell of
    # them. The cancelled session stays at its own time, after its cancellation. (The visitation
    # meeting the builder records is dated later in the year: left out.)
    assert [(d, art) for d, art in uden_notifikationer(poster) if art != "visitation"][:6] == [
        (D(2026, 5, 6), "udskrivning_annulleret"),
        (D(2026, 4, 20), "omfordeling"),
        (D(2026, 4, 15), "aktivitet"),
        (D(2026, 4, 14), "aflysning"),
        (D(2026, 4, 3), "faseskift_fortrudt"),
        (D(2026, 3, 2), "fase"),
    ]
    assert not {"udskrivning", "overgangsvurdering"} & {p.art for p in poster}
    rettelser = {p.art: p for p in poster if p.art in RETTELSER}
    fm = pilot.forloebsmedarbejder
    assert rettelser["faseskift_fortrudt"].tekst == (
        f"Overgangen til hovedforløbet 01.04.2026 er fortrudt af {fm} – tilbage i det "
        "opkvalificerende forløb: Registreret på den forkerte borger."
    )
    assert rettelser["aflysning"].tekst == (
        f"Undervisning i regnskab 15.04.2026 kl. 10:00 er aflyst af {fm}: Underviseren er syg."
    )
    assert rettelser["aflysning"].klokken == datetime.time(16, 30)
    assert rettelser["omfordeling"].tekst == (
        f"Forløbet er omfordelt fra {fm} til {forloeb_kollega} af {fm}: Ferie i tre uger."
    )
    assert rettelser["udskrivning_annulleret"].tekst == (
        f"Udskrivningen 04.05.2026 (job) er annulleret af {fm}, og forløbet er genåbnet: "
        "Udskrevet ved en fejl: det var en anden borger."
    )
    forloeb_url = reverse("forloeb:detalje", args=[forloeb.pk])
    assert {
        rettelser[art].link for art in RETTELSER - {"tilbagetrukket", "fjernet_fra_venteliste"}
    } == {forloeb_url}
    # The course staff open the cancelled session's own page.
    staff = borgerens_tidslinje(borger=forloeb.borger, bruger=fm).poster
    assert next(p.link for p in staff if p.art == "aflysning") == reverse(
        "forloeb:aktivitet", args=[aktivitet.pk]
    )
    html = svar.content.decode()
    assert "Annulleret udskrivning" in html and "Fortrudt faseskift" in html
    assert "Aflysning" in html and "Underviseren er syg." in html


def test_another_providers_staff_do_not_see_this_providers_corrections(pilot, fast_aftale, klient):
    koege_org = OrganisationFactory(navn="Køge Kommune", type=Organisation.Type.KOMMUNE)
    koege_medarbejder = BrugerFactory(organisation=koege_org, rolle=Rolle.FORLOEBSMEDARBEJDER)
    koege = lav_pladsaftale(pilot, navn="Mikrolån Køge", leverandoer=koege_org, pris_pr_plads=0)
    kollega = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)
    borger = lav_borger(pilot, "Sofie", "Holm")
    # First referred to Køge and withdrawn there, then a programme at Køge (so Køge keeps the
    # citizen: a withdrawal alone would not), then admitted at Næstved, where the case and the
    # programme are handed on and a session cancelled.
    visitation_services.traek_henvisning_tilbage(
        bruger=pilot.sagsbehandler,
        henvisning=henvis(pilot, koege, borger),
        begrundelse="Forkert pladsaftale valgt.",
    )
    afsluttet_forloeb_hos(pilot, koege, borger, medarbejder=koege_medarbejder)
    forloeb = lav_forloeb(pilot, lav_pladsaftale(pilot, antal_pladser=5), borger=borger)
    visitation_services.omfordel(
        bruger=pilot.sagsbehandler,
        henvisning=forloeb.henvisning,
        ny_sagsbehandler=kollega,
        begrundelse="Ny fordeling af sagerne.",
    )
    omfordel_forloeb(
        bruger=pilot.forloebsmedarbejder,
        forloeb=forloeb,
        ny_medarbejder=BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER),
        begrundelse="Ferie.",
    )

    koeges = borgerens_tidslinje(borger=borger, bruger=koege_medarbejder).poster
    naestveds = borgerens_tidslinje(borger=borger, bruger=pilot.forloebsmedarbejder).poster
    jobcentrets = borgerens_tidslinje(borger=borger, bruger=pilot.sagsbehandler).poster

    assert klient(koege_medarbejder).get(url(borger)).status_code == 200
    assert [p.tekst for p in koeges if p.art in RETTELSER] == [
        f"Henvisningen til Mikrolån Køge er trukket tilbage af {pilot.sagsbehandler}: "
        "Forkert pladsaftale valgt."
    ]
    assert "Forkert pladsaftale valgt." not in " ".join(p.tekst for p in naestveds)
    assert sorted(p.art for p in naestveds if p.art in RETTELSER) == ["omfordeling"] * 2
    assert sorted(p.art for p in jobcentrets if p.art in RETTELSER) == [
        "omfordeling",
        "omfordeling",
        "tilbagetrukket",
    ]


def _rettelser(pilot, borger, aftale, antal: int, kollegaer) -> None:
    """`antal` corrections of every kind for the citizen, through the real services, today."""
    for _ in range(antal):
        visitation_services.traek_henvisning_tilbage(
            bruger=pilot.sagsbehandler,
            henvisning=henvis(pilot, aftale, borger),
            begrundelse="Henvist for tidligt.",
        )
    forloeb = lav_forloeb(pilot, aftale, borger=borger)
    idag = timezone.localdate()
    for nr in range(antal):
        aktivitet = opret_aktivitet(pilot, [forloeb], dato=idag + (nr + 1) * DAG)
        aktivitet_aflys(
            bruger=pilot.forloebsmedarbejder, aktivitet=aktivitet, begrundelse="Lokalet er optaget."
        )
    sagsbehandlere = [kollegaer["sagsbehandler"], pilot.sagsbehandler]
    medarbejdere = [kollegaer["forloebsmedarbejder"], pilot.forloebsmedarbejder]
    for nr in range(antal):
        visitation_services.omfordel(
            bruger=pilot.sagsbehandler,
            henvisning=forloeb.henvisning,
            ny_sagsbehandler=sagsbehandlere[nr % 2],
            begrundelse="Ny fordeling.",
        )
        omfordel_forloeb(
            bruger=pilot.forloebsmedarbejder,
            forloeb=forloeb,
            ny_medarbejder=medarbejdere[nr % 2],
            begrundelse="Ny fordeling.",
        )
        til_hovedforloeb(pilot, forloeb)
        fortryd_hovedforloeb(
            bruger=pilot.forloebsmedarbejder, forloeb=forloeb, begrundelse="For tidligt."
        )
        udskriv(pilot, forloeb, idag)
        genaabn_forloeb(
            bruger=pilot.forloebsmedarbejder, forloeb=forloeb, begrundelse="Ved en fejl."
        )
    return forloeb


@pytest.mark.parametrize("antal", [1, 3])
def test_the_corrections_take_the_same_number_of_queries_however_many(
    pilot, aftale, sagsbehandler_kollega, forloeb_kollega, klient, django_assert_num_queries, antal
):
    borger = lav_borger(pilot, "Sofie", "Holm")
    kollegaer = {"sagsbehandler": sagsbehandler_kollega, "forloebsmedarbejder": forloeb_kollega}
    _rettelser(pilot, borger, aftale, antal, kollegaer)
    sagsbehandler = klient(pilot.sagsbehandler)
    sagsbehandler.get(url(borger))  # warm caches (content types)
    # 1 session, 2 user, 3 the user's roles, 4 the citizen (scoped), 5 access log insert,
    # 6 referrals with their signatures, 7 programmes with their phases, extensions and
    # follow-ups, 8 attendance with the session, its staff member and who cancelled it,
    # 9 journal notes, 10 documents, 11 loan moves, 12 the user's notifications about the case,
    # 13 the referrals' corrections with agreement and the people, 14 the programmes'
    # corrections with the undone assessment or discharge and the people, 15 unread
    # notifications (navigation).
    with django_assert_num_queries(15):
        svar = sagsbehandler.get(url(borger))
    arter = [p.art for p in svar.context["tidslinje"].poster]
    assert arter.count("tilbagetrukket") == antal
    assert arter.count("aflysning") == antal
    # The referral's and the programme's.
    assert arter.count("omfordeling") == 2 * antal
    assert arter.count("faseskift_fortrudt") == antal
    assert arter.count("udskrivning_annulleret") == antal
