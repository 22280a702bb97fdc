"""The timeline reads a programme's phases, extensions and follow-ups and a referral's signatures
with their parent row (oversigt.tidslinje.pakning): they are the same rows, with the same values
and types, as a query of their own gives."""

import datetime

import pytest

from forloeb.models import Fase, Faseforlaengelse, Opfoelgning
from oversigt.tidslinje.sagen import hent_sagen
from tests.byg.sager import faser, forlaeng, lav_forloeb, registrer_opfoelgning, udskriv
from tests.byg.tid import DAG
from visitation.models import Underskrift

pytestmark = pytest.mark.django_db

D = datetime.date


def _felter(objekter) -> list[dict]:
    return [
        {f.attname: getattr(o, f.attname) for f in type(o)._meta.concrete_fields} for o in objekter
    ]


def test_the_rows_read_with_their_parent_equal_a_query_of_their_own(pilot, fast_aftale):
    forloeb = lav_forloeb(pilot, fast_aftale, startdato=D(2025, 3, 3))
    fase = faser(forloeb)[Fase.Type.OPKVALIFICERING]
    forlaeng(pilot, fase, fase.planlagt_slut + DAG, "Sygdom.", dato=D(2025, 5, 1))
    udskriv(pilot, forloeb, D(2025, 11, 20))
    registrer_opfoelgning(pilot, forloeb.opfoelgninger.order_by("maaneder").first())

    sagen = hent_sagen(borger=forloeb.borger, bruger=pilot.sagsbehandler)

    forventede_faser = Fase.objects.filter(forloeb=forloeb).order_by("planlagt_start", "pk")
    assert len(sagen.faser) == 2
    assert _felter(sagen.faser) == _felter(forventede_faser)
    forlaengelser = Faseforlaengelse.objects.filter(fase__forloeb=forloeb)
    assert len(sagen.forlaengelser) == 1
    assert _felter(sagen.forlaengelser) == _felter(forlaengelser.order_by("oprettet", "pk"))
    assert sagen.forlaengelser[0].fase is sagen.faser[0]
    opfoelgninger = Opfoelgning.objects.filter(forloeb=forloeb).order_by("forfalder", "pk")
    assert len(sagen.opfoelgninger) == 3
    assert _felter(sagen.opfoelgninger) == _felter(opfoelgninger)
    assert sagen.opfoelgninger[0].registreret is not None

    underskrifter = Underskrift.objects.filter(
        visitation__henvisning__borger=forloeb.borger
    ).order_by("tidspunkt", "pk")
    assert len(sagen.underskrifter) == 2
    assert [
        (u.pk, u.tidspunkt, str(u.organisation), str(u.bruger), u.visitation.henvisning_id)
        for u in sagen.underskrifter
    ] == [
        (u.pk, u.tidspunkt, str(u.organisation), str(u.bruger), u.visitation.henvisning_id)
        for u in underskrifter
    ]
