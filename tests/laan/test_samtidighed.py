"""Two people acting on one programme's loans at the same moment (PostgreSQL: real row locks).

SQLite takes no row locks, so these run only on PostgreSQL; with REQUIRE_SERVICES=1 (CI) a missing
PostgreSQL fails them instead of skipping.
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from laan.models import Afdrag, Laan, Sagsgang
from laan.services import livsforloeb
from mikrolaan.konti.models import Rolle
from tests.byg.fabrikker import BrugerFactory
from tests.byg.laan import ansoegt_laan, bevilget_laan, forloeb_i_hovedforloeb

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def samtidig(*handlinger) -> tuple[list, list]:
    """Run each action in a thread of its own, started together; return results and errors."""
    start = threading.Barrier(len(handlinger))
    resultater, fejl = [], []

    def koer(handling):
        try:
            start.wait()
            resultater.append(handling())
        except Exception as exc:  # reported below; a thread must not die silently
            fejl.append(exc)
        finally:
            connection.close()

    traade = [threading.Thread(target=koer, args=(h,)) for h in handlinger]
    for t in traade:
        t.start()
    for t in traade:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in traade), "a thread is still waiting for a lock"
    return resultater, fejl


def test_two_approvals_that_together_pass_the_ceiling_grant_exactly_one(pilot, kraever_postgres):
    forloeb = forloeb_i_hovedforloeb(pilot)
    # Each alone fits under 50,000 kr.; together they do not.
    ansoegninger = [
        ansoegt_laan(pilot, forloeb, Decimal("30000.00")),
        ansoegt_laan(pilot, forloeb, Decimal("25000.00")),
    ]
    kollega = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)

    resultater, fejl = samtidig(
        lambda: livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=ansoegninger[0]),
        lambda: livsforloeb.bevilg(bruger=kollega, laan=ansoegninger[1]),
    )

    assert len(resultater) == 1
    assert [type(f) for f in fejl] == [ValidationError]
    assert list(fejl[0].message_dict) == ["beloeb"]
    assert "Forløbets lån må tilsammen højst være 50.000 kr." in fejl[0].message_dict["beloeb"][0]
    statusser = sorted(Laan.objects.filter(forloeb=forloeb).values_list("status", flat=True))
    assert statusser == [Laan.Status.ANSOEGT, Laan.Status.BEVILGET]
    assert Laan.objects.filter(forloeb=forloeb).bevilgede().get() == resultater[0]
    assert Sagsgang.objects.filter(til_status=Laan.Status.BEVILGET).count() == 1


def test_two_people_disbursing_the_same_loan_at_once_disburse_it_once(pilot, kraever_postgres):
    forloeb = forloeb_i_hovedforloeb(pilot)
    laan = bevilget_laan(pilot, forloeb, Decimal("12000.00"), loebetid=12, afdragsfri=0)
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    idag = timezone.localdate()

    resultater, fejl = samtidig(
        lambda: livsforloeb.udbetal(bruger=pilot.forloebsmedarbejder, laan=laan, dato=idag),
        lambda: livsforloeb.udbetal(bruger=kollega, laan=laan, dato=idag),
    )

    assert len(resultater) == 1
    # The second waited for the first's lock, then found the loan paid out.
    assert [f.messages for f in fejl] == [["Et lån kan ikke gå fra Udbetalt til Udbetalt."]]
    laan.refresh_from_db()
    assert laan.status == Laan.Status.UDBETALT
    assert Afdrag.objects.filter(laan=laan).count() == 12
    assert sum(Afdrag.objects.filter(laan=laan).values_list("beloeb", flat=True)) == Decimal(
        "12000.00"
    )
    assert Sagsgang.objects.filter(laan=laan, til_status=Laan.Status.UDBETALT).count() == 1
