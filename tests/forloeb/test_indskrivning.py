import datetime
import threading

import pytest
from django.db import connection

from borgere.models import Forsoergelsesgrundlag
from forloeb.models import Fase, Forloeb, planlagte_faser
from forloeb.services.indskrivning import visitation_underskriv
from forloeb.services.udskrivning import udskriv
from tests.byg.sager import henvis, lav_borger, lav_pladsaftale, optag, visiter
from visitation.models import Henvisning, Pladsaftale, VentelistePlads


@pytest.mark.parametrize(
    ("start", "skifte", "slut"),
    [
        (datetime.date(2026, 1, 15), datetime.date(2026, 7, 15), datetime.date(2027, 1, 15)),
        # Month ends clamp: 31 August + 6 months is the last day of February ...
        (datetime.date(2026, 8, 31), datetime.date(2027, 2, 28), datetime.date(2027, 8, 31)),
        # ... which is the 29th in a leap year.
        (datetime.date(2027, 8, 31), datetime.date(2028, 2, 29), datetime.date(2028, 8, 31)),
        (datetime.date(2026, 12, 31), datetime.date(2027, 6, 30), datetime.date(2027, 12, 31)),
    ],
)
def test_phases_are_planned_six_calendar_months_each(start, skifte, slut):
    (t1, s1, e1), (t2, s2, e2) = planlagte_faser(start)
    assert (t1, s1, e1) == (Fase.Type.OPKVALIFICERING, start, skifte)
    assert (t2, s2, e2) == (Fase.Type.HOVEDFORLOEB, skifte, slut)


def test_a_referral_holds_its_place_while_the_programme_runs_and_frees_it_at_discharge(pilot):
    aftale = lav_pladsaftale(pilot, antal_pladser=2)
    forloeb = optag(pilot, aftale)
    henvisning = forloeb.henvisning

    henvisning.refresh_from_db()
    assert henvisning.status == Henvisning.Status.OPTAGET
    assert Pladsaftale.objects.med_belaegning().get(pk=aftale.pk).optagne == 1

    udskriv(
        bruger=pilot.forloebsmedarbejder,
        forloeb=forloeb,
        dato=forloeb.startdato,
        aarsag="job",
        forsoergelse_efter=Forsoergelsesgrundlag.objects.get(navn="Kontanthjælp"),
    )

    henvisning.refresh_from_db()
    assert henvisning.status == Henvisning.Status.AFSLUTTET
    assert Pladsaftale.objects.med_belaegning().get(pk=aftale.pk).optagne == 0


@pytest.mark.django_db(transaction=True)
def test_two_people_admitting_to_the_last_place_at_once_admit_exactly_one(pilot, kraever_postgres):
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    visitationer = [
        visiter(pilot, henvis(pilot, aftale, lav_borger(pilot, navn))) for navn in ("Anna", "Bo")
    ]
    start = threading.Barrier(2)
    resultater, fejl = [], []

    def underskriv(visitation):
        try:
            start.wait()
            resultater.append(
                visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
            )
        except Exception as exc:  # reported below; a thread must not die silently
            fejl.append(exc)
        finally:
            connection.close()

    traade = [threading.Thread(target=underskriv, args=(v,)) for v in visitationer]
    for t in traade:
        t.start()
    for t in traade:
        t.join(timeout=30)

    assert fejl == []
    assert Forloeb.objects.filter(pladsaftale=aftale).count() == 1
    assert sum(isinstance(r, Forloeb) for r in resultater) == 1
    assert VentelistePlads.objects.filter(pladsaftale=aftale).count() == 1
    assert set(Henvisning.objects.values_list("status", flat=True)) == {"optaget", "venteliste"}
