"""The arrears run at scale (issue 13): 3 or 30 newly overdue instalments over 1 or 10
programmes cost the same queries; a second run creates nothing; the recipients are the ones the
loan's other notices use."""

import datetime
from decimal import Decimal

import pytest

from forloeb.models import Forloeb
from laan import restancer
from laan.models import Afdrag
from laan.services import faelles
from mikrolaan.konti.models import Rolle
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from tests.byg.fabrikker import BrugerFactory
from tests.byg.laan import forloeb_paa_faste_dage, udbetalt_laan
from tests.byg.sager import PERIODE_2025_2027, lav_pladsaftale
from tests.byg.tid import DAG, paa

UDBETALT = datetime.date(2026, 7, 20)
FOERSTE_FORFALD = datetime.date(2026, 8, 20)
LAAN_PR_FORLOEB = 3


def overdue(pilot, antal: int) -> list:
    """`antal` instalments falling overdue on the same day: 3 loans on each of antal/3
    programmes, the first instalment of each unpaid."""
    aftale = lav_pladsaftale(pilot, antal_pladser=antal, **PERIODE_2025_2027)
    alle = []
    for i in range(antal // LAAN_PR_FORLOEB):
        forloeb = forloeb_paa_faste_dage(pilot, aftale, f"Borger{i}", "Hansen")
        alle.append(forloeb)
        for _ in range(LAAN_PR_FORLOEB):
            udbetalt_laan(
                pilot, forloeb, Decimal("1000.00"), dato=UDBETALT, loebetid=4, afdragsfri=0
            )
    return alle


def koer() -> int:
    with paa(FOERSTE_FORFALD + DAG, klokken=6):
        return restancer.meld_restancer()


@pytest.mark.parametrize("antal", [3, 30])
def test_a_run_costs_the_same_queries_for_three_or_thirty_overdue_instalments(
    pilot, antal, django_assert_num_queries
):
    overdue(pilot, antal)

    # 1 INSERT Koersel, 2 SAVEPOINT, 3 SELECT the unflagged overdue instalments (+ loan,
    # programme, citizen, agreement, referral, caseworker, visitation), 4 SELECT the visitations'
    # signers, 5 SELECT the providers' course staff, 6 SELECT the keys already sent, 7 SELECT the
    # recipients' email choices, 8 SAVEPOINT, 9 INSERT every notification, 10 RELEASE SAVEPOINT,
    # 11 UPDATE the instalments' flag, 12 RELEASE SAVEPOINT, 13 UPDATE Koersel.
    with django_assert_num_queries(13):
        oprettet = koer()

    # Each instalment to the case's caseworker and the provider's course staff member.
    assert oprettet == 2 * antal
    assert Notifikation.objects.filter(haendelse=Haendelse.LAAN_RESTANCE).count() == 2 * antal
    assert Afdrag.objects.filter(restance_meldt__isnull=False).count() == antal


@pytest.mark.parametrize("antal", [3, 30])
def test_a_second_run_creates_nothing_new(pilot, antal, django_assert_num_queries):
    overdue(pilot, antal)
    koer()
    foer = set(Notifikation.objects.values_list("pk", "noegle", "modtager_id"))
    # Un-flag them, as if the first run's flags were lost: the keys alone stop a second notice.
    Afdrag.objects.update(restance_meldt=None)

    # 1 INSERT Koersel, 2 SAVEPOINT, 3 SELECT instalments, 4 SELECT signers, 5 SELECT course
    # staff, 6 SELECT the keys (all there: nothing more), 7 UPDATE the flags, 8 RELEASE,
    # 9 UPDATE Koersel.
    with django_assert_num_queries(9):
        assert koer() == 0

    assert set(Notifikation.objects.values_list("pk", "noegle", "modtager_id")) == foer


def test_the_recipients_are_those_the_loans_other_notices_use(pilot):
    (forloeb,) = overdue(pilot, 3)
    BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)
    forloeb = Forloeb.objects.select_related(
        "henvisning__sagsbehandler", "henvisning__visitation", "pladsaftale"
    ).get(pk=forloeb.pk)

    forventet = faelles.sagsbehandlere(forloeb) | faelles.forloebsfolk(forloeb)
    assert restancer.modtagere([forloeb]) == {forloeb.pk: forventet}
    assert len(forventet) == 3


def test_with_nobody_active_on_the_case_every_caseworker_of_the_jobcenter_is_told(pilot):
    (forloeb,) = overdue(pilot, 3)
    kollega = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)
    pilot.sagsbehandler.is_active = False
    pilot.sagsbehandler.save(update_fields=["is_active"])
    forloeb.henvisning.sagsbehandler.refresh_from_db()

    modtagere = restancer.modtagere([forloeb])[forloeb.pk]

    assert modtagere == {kollega, pilot.forloebsmedarbejder}
    assert modtagere == faelles.sagsbehandlere(forloeb) | faelles.forloebsfolk(forloeb)
