"""A correction and the step it would make meaningless, at the same moment (PostgreSQL: real row
locks). Whichever comes first wins; the other is refused with a Danish message, never both.

SQLite takes no row locks, so these run only on PostgreSQL; with REQUIRE_SERVICES=1 (CI) a missing
PostgreSQL fails them instead of skipping.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from forloeb.models import Forloeb
from forloeb.services.indskrivning import indskriv, visitation_underskriv
from tests.byg.sager import (
    henvis,
    lav_borger,
    lav_forloeb,
    lav_pladsaftale,
    optag,
    udskriv,
    visiter,
)
from visitation import services
from visitation.models import Henvisning, Henvisningsrettelse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

S = Henvisning.Status
# Each race is run a few times: the threads start together, and either may get the lock first.
GANGE = 4


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


def test_a_withdrawal_and_the_last_signature_at_once_end_in_one_or_the_other(
    pilot, kraever_postgres
):
    aftale = lav_pladsaftale(pilot, antal_pladser=GANGE)
    for i in range(GANGE):
        henvisning = henvis(pilot, aftale, lav_borger(pilot, f"Borger{i}"))
        visitation = visiter(pilot, henvisning)  # Næstved signed "optaget"

        resultater, fejl = samtidig(
            lambda h=henvisning: services.traek_henvisning_tilbage(
                bruger=pilot.sagsbehandler, henvisning=h, begrundelse="Fortrudt"
            ),
            lambda v=visitation: visitation_underskriv(bruger=pilot.sagsbehandler, visitation=v),
        )

        assert len(resultater) == 1
        assert [type(f) for f in fejl] == [ValidationError]
        henvisning.refresh_from_db()
        tilbagetrukket = Henvisningsrettelse.objects.filter(henvisning=henvisning).exists()
        optaget = Forloeb.objects.filter(henvisning=henvisning).exists()
        assert tilbagetrukket != optaget
        assert henvisning.status == (S.TILBAGETRUKKET if tilbagetrukket else S.OPTAGET)


def test_removing_the_first_in_line_while_they_are_admitted_ends_in_one_or_the_other(
    pilot, kraever_postgres
):
    for i in range(GANGE):
        aftale = lav_pladsaftale(pilot, antal_pladser=1, navn=f"Aftale {i}")
        forloeb = lav_forloeb(pilot, aftale, f"Anna{i}")
        assert optag(pilot, aftale, lav_borger(pilot, f"Bo{i}")) is None
        bo = Henvisning.objects.get(borger__fornavn=f"Bo{i}")
        udskriv(pilot, forloeb, forloeb.startdato)  # the place is free: Bo may be admitted

        resultater, fejl = samtidig(
            lambda h=bo: services.fjern_fra_venteliste(
                bruger=pilot.sagsbehandler, henvisning=h, begrundelse="Har fået job"
            ),
            lambda h=bo: indskriv(
                bruger=pilot.forloebsmedarbejder, henvisning=h, fra_venteliste=True
            ),
        )

        assert len(resultater) == 1
        assert len(fejl) == 1
        assert isinstance(fejl[0], ValidationError)
        bo.refresh_from_db()
        fjernet = Henvisningsrettelse.objects.filter(henvisning=bo).exists()
        optaget = Forloeb.objects.filter(henvisning=bo).exists()
        assert fjernet != optaget
        assert bo.status == (S.FJERNET_FRA_VENTELISTE if fjernet else S.OPTAGET)
