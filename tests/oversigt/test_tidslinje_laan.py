"""The loan on the citizen's timeline: every move with its date, who, amount and reason, linked to
the loan; what's next; scoped by the loan's own organisations; a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from laan.services import indbetalinger, livsforloeb
from mikrolaan.konti.models import Organisation, Rolle
from oversigt.tidslinje import tidslinje as borgerens_tidslinje
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.laan import ANSOEGNING, ansoegt_laan, bevilget_laan, forloeb_i_hovedforloeb
from tests.byg.sager import (
    afsluttet_forloeb_hos,
    lav_borger,
    lav_forloeb,
    lav_pladsaftale,
    til_hovedforloeb,
)
from tests.byg.tid import paa

pytestmark = pytest.mark.django_db

D = datetime.date


def url(borger) -> str:
    return reverse("oversigt:tidslinje", args=[borger.pk])


def laan_url(laan) -> str:
    return reverse("laan:detalje", args=[laan.pk])


def laanposter(borger, bruger):
    poster = borgerens_tidslinje(borger=borger, bruger=bruger).poster
    return [p for p in poster if p.art == "laan"]


def ansoeg(pilot, forloeb, beloeb: str, dato: D, **felter):
    with paa(dato):
        return livsforloeb.ansoeg(
            bruger=pilot.forloebsmedarbejder,
            forloeb=forloeb,
            beloeb=Decimal(beloeb),
            **(ANSOEGNING | felter),
        )


@pytest.fixture
def forloeb(pilot, fast_aftale):
    """Sofie Holm, admitted 5 January 2026, in the main phase from 6 July."""
    forloeb = lav_forloeb(pilot, fast_aftale, "Sofie", "Holm", startdato=D(2026, 1, 5))
    return til_hovedforloeb(pilot, forloeb, D(2026, 7, 6))


def test_every_move_of_a_loan_is_on_the_timeline_with_date_who_amount_and_link(pilot, forloeb):
    laan = ansoeg(pilot, forloeb, "12500.00", D(2026, 7, 7), loebetid=10, afdragsfri=0)
    with paa(D(2026, 7, 9)):
        livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=laan)
    with paa(D(2026, 7, 10)):
        livsforloeb.fortryd_bevilling(
            bruger=pilot.sagsbehandler, laan=laan, begrundelse="Budgettet var det gamle."
        )
    with paa(D(2026, 7, 13)):
        livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=laan)
    # Paid out on the 24th, registered on the 27th: the entry is dated by the disbursement.
    with paa(D(2026, 7, 27), klokken=9):
        livsforloeb.udbetal(bruger=pilot.forloebsmedarbejder, laan=laan, dato=D(2026, 7, 24))
    with paa(D(2026, 8, 3)):
        indbetalinger.registrer(
            bruger=pilot.forloebsmedarbejder,
            laan=laan,
            dato=D(2026, 8, 3),
            beloeb=Decimal("12500.00"),
        )

    poster = laanposter(forloeb.borger, pilot.sagsbehandler)

    sagsbehandler = str(pilot.sagsbehandler)
    medarbejder = str(pilot.forloebsmedarbejder)
    assert [(p.dato, p.tekst) for p in poster] == [
        (
            D(2026, 8, 3),
            f"Mikrolånet på 12.500 kr. er indfriet (registreret af {medarbejder})",
        ),
        (D(2026, 7, 24), f"Mikrolån på 12.500 kr. udbetalt (registreret af {medarbejder})"),
        (D(2026, 7, 13), f"Mikrolån på 12.500 kr. bevilget af {sagsbehandler}"),
        (
            D(2026, 7, 10),
            f"Bevillingen af mikrolånet på 12.500 kr. er fortrudt af {sagsbehandler}: "
            "Budgettet var det gamle.",
        ),
        (D(2026, 7, 9), f"Mikrolån på 12.500 kr. bevilget af {sagsbehandler}"),
        (
            D(2026, 7, 7),
            f"Ansøgning om mikrolån på 12.500 kr. registreret af {medarbejder}",
        ),
    ]
    assert {p.link for p in poster} == {laan_url(laan)}
    assert {p.art_navn for p in poster} == {"Mikrolån"}
    udbetalt = poster[1]
    assert udbetalt.klokken is None  # registered another day than the disbursement
    assert poster[0].klokken == datetime.time(10)


def test_a_refusal_a_withdrawal_and_a_write_off_show_their_reasons(pilot, forloeb):
    afslaaet = ansoeg(pilot, forloeb, "20000.00", D(2026, 7, 7))
    with paa(D(2026, 7, 8)):
        livsforloeb.afslaa(
            bruger=pilot.sagsbehandler,
            laan=afslaaet,
            begrundelse="Budgettet hænger ikke sammen med markedsanalysen.",
        )
    trukket = ansoeg(pilot, forloeb, "5000.00", D(2026, 7, 8))
    with paa(D(2026, 7, 9)):
        livsforloeb.traek_tilbage(
            bruger=pilot.forloebsmedarbejder, laan=trukket, begrundelse="Fik udstyret brugt."
        )
    afskrevet = bevilget_laan(pilot, forloeb, Decimal("6000.00"), dato=D(2026, 7, 10))
    with paa(D(2026, 7, 13)):
        livsforloeb.udbetal(bruger=pilot.forloebsmedarbejder, laan=afskrevet, dato=D(2026, 7, 13))
    with paa(D(2026, 11, 2)):
        livsforloeb.indstil_afskrivning(
            bruger=pilot.forloebsmedarbejder,
            laan=afskrevet,
            begrundelse="Varebilen brændte; forsikringen dækkede ikke.",
        )
    with paa(D(2026, 11, 4)):
        livsforloeb.afskriv(bruger=pilot.sagsbehandler, laan=afskrevet)

    poster = laanposter(forloeb.borger, pilot.forloebsmedarbejder)

    sagsbehandler = str(pilot.sagsbehandler)
    medarbejder = str(pilot.forloebsmedarbejder)
    assert (
        D(2026, 7, 8),
        f"Ansøgning om mikrolån på 20.000 kr. afslået af {sagsbehandler}: "
        "Budgettet hænger ikke sammen med markedsanalysen.",
    ) in [(p.dato, p.tekst) for p in poster]
    assert (
        D(2026, 7, 9),
        f"Ansøgning om mikrolån på 5.000 kr. trukket tilbage af {medarbejder}: Fik udstyret brugt.",
    ) in [(p.dato, p.tekst) for p in poster]
    assert (poster[0].dato, poster[0].tekst) == (
        D(2026, 11, 4),
        f"Restgælden på mikrolånet på 6.000 kr. afskrevet af {sagsbehandler}: "
        "Varebilen brændte; forsikringen dækkede ikke.",
    )
    # Three loans: two moves each for the refused and the withdrawn one, four for the other.
    assert len(poster) == 2 + 2 + 4
    assert {p.link for p in poster} == {laan_url(afslaaet), laan_url(trukket), laan_url(afskrevet)}


def test_whats_next_shows_a_loan_awaiting_approval_and_one_awaiting_disbursement(pilot, klient):
    forloeb = forloeb_i_hovedforloeb(pilot)
    ansoegt = ansoegt_laan(pilot, forloeb, Decimal("10000.00"))
    bevilget = bevilget_laan(pilot, forloeb, Decimal("8000.00"))

    naeste = klient(pilot.sagsbehandler).get(url(forloeb.borger)).context["tidslinje"].naeste

    laanets = [(n.tekst, n.link) for n in naeste if n.link.startswith("/laan/")]
    assert laanets == [
        ("Ansøgningen om et mikrolån på 10.000 kr. afventer godkendelse.", laan_url(ansoegt)),
        ("Mikrolånet på 8.000 kr. er bevilget og afventer udbetaling.", laan_url(bevilget)),
    ]


def test_the_caseworkers_notification_about_the_loan_is_on_the_timeline(pilot):
    forloeb = forloeb_i_hovedforloeb(pilot, fornavn="Sofie", efternavn="Holm")
    ansoegt_laan(pilot, forloeb)

    poster = borgerens_tidslinje(borger=forloeb.borger, bruger=pilot.sagsbehandler).poster

    assert "Lån afventer godkendelse: Sofie Holm" in {
        p.tekst for p in poster if p.art == "notifikation"
    }


def test_course_staff_of_another_provider_do_not_see_the_loan_entries(pilot, klient):
    koege = OrganisationFactory(navn="Køge Kommune", type=Organisation.Type.KOMMUNE)
    koege_medarbejder = BrugerFactory(organisation=koege, rolle=Rolle.FORLOEBSMEDARBEJDER)
    koege_aftale = lav_pladsaftale(pilot, navn="Mikrolån Køge", leverandoer=koege)
    borger = lav_borger(pilot, "Sofie", "Holm")
    # A programme at Køge first (so Køge keeps the citizen), then admitted at Næstved, where the
    # loan is.
    afsluttet_forloeb_hos(pilot, koege_aftale, borger, medarbejder=koege_medarbejder)
    forloeb = forloeb_i_hovedforloeb(pilot, borger=borger)
    bevilget_laan(pilot, forloeb, Decimal("12500.00"))

    svar = klient(koege_medarbejder).get(url(borger))

    assert svar.status_code == 200
    koeges = svar.context["tidslinje"]
    assert [p for p in koeges.poster if p.art == "laan"] == []
    assert not [n for n in koeges.naeste if n.link.startswith("/laan/")]
    assert "12.500 kr." not in svar.content.decode()
    # The case's own organisations see the two moves.
    assert len(laanposter(borger, pilot.sagsbehandler)) == 2
    assert len(laanposter(borger, pilot.forloebsmedarbejder)) == 2


def test_a_caseworker_of_another_jobcenter_sees_no_loan_entries(pilot):
    forloeb = forloeb_i_hovedforloeb(pilot)
    ansoegt_laan(pilot, forloeb)

    assert laanposter(forloeb.borger, pilot.fremmed) == []


def _laan_med_forloeb(pilot, forloeb, antal: int) -> None:
    """`antal` loans applied for, approved and paid out (three moves each), and as many applied
    for and refused (two moves each)."""
    for _ in range(antal):
        laan = bevilget_laan(pilot, forloeb, Decimal("5000.00"), loebetid=5, afdragsfri=0)
        livsforloeb.udbetal(bruger=pilot.forloebsmedarbejder, laan=laan, dato=timezone.localdate())
        afslaaet = ansoegt_laan(pilot, forloeb, Decimal("1000.00"))
        livsforloeb.afslaa(bruger=pilot.sagsbehandler, laan=afslaaet, begrundelse="Nej tak.")


@pytest.mark.parametrize("antal", [1, 3])
def test_the_loan_entries_take_one_query_however_many_loans_and_moves(
    pilot, klient, django_assert_num_queries, antal
):
    forloeb = forloeb_i_hovedforloeb(pilot)
    _laan_med_forloeb(pilot, forloeb, antal)
    sagsbehandler = klient(pilot.sagsbehandler)
    sagsbehandler.get(url(forloeb.borger))  # warm caches (content types)
    # 1 session, 2 user, 3 the user's roles, 4 the citizen (scoped), 5 access log insert,
    # 6 referrals with their signatures, 7 programmes with their phases, extensions and
    # follow-ups, 8 attendance, 9 journal notes, 10 documents, 11 the loans' moves with loan and
    # user (the loans scoped by their own organisations, a subquery), 12 the user's notifications
    # about the case (the loan pages' among them), 13 the referrals' corrections, 14 the
    # programmes' corrections, 15 unread notifications (navigation).
    with django_assert_num_queries(15):
        svar = sagsbehandler.get(url(forloeb.borger))
    poster = [p for p in svar.context["tidslinje"].poster if p.art == "laan"]
    assert len(poster) == 5 * antal
