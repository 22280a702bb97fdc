"""`manage.py demodata` (what `make run` starts with): it runs twice without error or change, and
its loans show every state, a holiday-moved due date, arrears past 30 days (PAR30 > 0), a
written-off and a repaid loan, and match the example bank statement in docs/.

On a new database, like `make run`'s first start: the loans' numbers, and so their payment
references, are those the example statement uses (`reset_sequences`)."""

import io
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command

from borgere.models import Borger
from forloeb.models import Forloeb
from laan import plan, selectors
from laan.models import Afdrag, Indbetaling, Laan, Sagsgang
from laan.services import bankimport
from mikrolaan.konti.models import Bruger
from mikrolaan.notifikationer.models import Notifikation

from .conftest import genskab_grunddata

EKSEMPEL = Path(__file__).resolve().parent.parent / "docs" / "eksempel-kontoudtog.csv"
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)


def _demodata() -> None:
    call_command("demodata", stdout=io.StringIO())


@pytest.fixture
def demo():
    genskab_grunddata()
    _demodata()


def _antal() -> dict[str, int]:
    modeller = (Borger, Forloeb, Laan, Sagsgang, Afdrag, Indbetaling, Notifikation)
    return {model.__name__: model.objects.count() for model in modeller}


def test_demodata_runs_twice_and_the_second_run_changes_nothing(demo):
    foer = _antal()

    _demodata()

    assert _antal() == foer


def test_the_demo_has_a_loan_in_every_state(demo):
    assert set(Laan.objects.values_list("status", flat=True)) == set(Laan.Status.values)
    # Every loan was applied for in its programme's main phase, by course staff, and every
    # decision taken by the caseworker (four eyes).
    for laan in Laan.objects.select_related("oprettet_af", "bevilget_af"):
        assert laan.oprettet_af.username == "forloeb"
        if laan.bevilget_af:
            assert laan.bevilget_af.username == "sagsbehandler"


def test_the_demo_has_a_due_date_moved_by_a_public_holiday(demo):
    flyttet = []
    for laan in Laan.objects.filter(udbetalt_dato__isnull=False):
        for afdrag in laan.afdrag.all():
            nominel = laan.udbetalt_dato + relativedelta(months=laan.afdragsfri + afdrag.nummer)
            # A weekday on which the banks are closed: a holiday, not a weekend.
            if nominel.weekday() < 5 and not plan.er_bankdag(nominel):
                flyttet.append((nominel, afdrag.forfald))
    assert flyttet
    nominel, forfald = flyttet[0]
    assert forfald > nominel and plan.er_bankdag(forfald)


def test_the_demo_portfolio_has_arrears_past_30_days_a_write_off_and_a_repaid_loan(demo):
    tal = selectors.portefoelje(Laan.objects.all())

    assert tal.par30 is not None and tal.par30 > 0
    assert tal.afskrevet > 0
    assert tal.antal_pr_status[Laan.Status.INDFRIET] == 1
    indfriet = selectors.med_saldo(Laan.objects.filter(status=Laan.Status.INDFRIET)).get()
    assert indfriet.restgaeld == 0
    assert indfriet.indbetalt == indfriet.beloeb


def test_the_demos_past_loan_events_are_dated_in_the_past(demo):
    # Gustav's loans happened in his main phase in July and August, not on the day of the run.
    gustavs = Laan.objects.filter(forloeb__borger__fornavn="Gustav")
    assert gustavs.count() == 4
    for laan in gustavs:
        for gang in laan.sagsgange.all():
            assert gang.tidspunkt.year == 2026 and gang.tidspunkt.month <= 11, gang


def test_the_example_bank_statement_matches_the_demo_loans(demo):
    medarbejder = Bruger.objects.get(username="forloeb")

    visning = bankimport.laes(EKSEMPEL.read_bytes(), bruger=medarbejder)

    # Lines that pay on the loan in arrears, one on a repaid loan (refused), one that is not a
    # loan at all (unmatched): every outcome but a duplicate, which a second import shows.
    assert len(visning.matchede) >= 2
    assert {linje.laan.status for linje in visning.matchede} == {Laan.Status.UDBETALT}
    assert visning.afviste and visning.umatchede


def test_the_demo_cases_keep_the_order_referral_visitation_admission(demo):
    from django.utils import timezone

    from visitation.models import Henvisning

    henvisninger = list(Henvisning.objects.select_related("visitation", "forloeb"))
    visiterede = [h for h in henvisninger if hasattr(h, "visitation")]
    indskrevne = [h for h in visiterede if hasattr(h, "forloeb")]
    assert len(visiterede) >= 5 and len(indskrevne) >= 3, "the demo lost its stages"
    for h in visiterede:
        henvist = timezone.localdate(h.oprettet)
        visitation = h.visitation
        # The meeting is on or after the referral, and recorded on or after the meeting.
        assert henvist <= visitation.moededato <= timezone.localdate(visitation.oprettet), h
    for h in indskrevne:
        afgjort = timezone.localdate(h.visitation.afgjort)
        assert h.visitation.moededato <= afgjort <= h.forloeb.startdato, h
        assert h.oprettet <= h.forloeb.oprettet, h
