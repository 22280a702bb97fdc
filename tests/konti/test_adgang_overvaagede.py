"""adgang.overvaagede_af: the rows of the place agreements the user's organisation buys, for the
Erhvervschef's dashboard; all of them for an Administrator; none for anyone else.

On PostgreSQL a multi-hop buyer path is read as `pladsaftale_id = ANY(ARRAY(the buyer's
agreements))` (issue 13: the join scanned every forløb); these tests hold that it still gives
exactly the buyer's rows, for every model that names a buyer path.
"""

import datetime

import pytest

from forloeb.models import Forloeb, Udskrivning
from laan.models import Laan
from mikrolaan.konti.models import Organisation, Rolle
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.laan import ansoegt_laan, forloeb_paa_faste_dage
from tests.byg.sager import PERIODE_2025_2027, lav_pladsaftale, udskriv
from visitation.models import Henvisning, Pladsaftale

pytestmark = pytest.mark.django_db

# After the fixed days' switch to the main phase (tests.byg.sager.SKIFTE), inside 2025-2027.
ANSOEGT = datetime.date(2026, 7, 20)
UDSKREVET = datetime.date(2026, 9, 1)


@pytest.fixture
def to_koebere(pilot):
    """Ishøj's agreement and another municipality's (also referred by the pilot's jobcenter), each
    with one programme that has a loan and a discharge."""
    anden = OrganisationFactory(
        navn="Brøndby Kommune", type=Organisation.Type.KOMMUNE, betjent_af=pilot.jobcenter
    )
    ishoej = lav_pladsaftale(pilot, navn="Ishøj", **PERIODE_2025_2027)
    broendby = lav_pladsaftale(pilot, navn="Brøndby", koeber=anden, **PERIODE_2025_2027)
    raekker = {}
    for aftale, navn in ((ishoej, "Ishøj"), (broendby, "Brøndby")):
        forloeb = forloeb_paa_faste_dage(pilot, aftale, "Borger", navn)
        ansoegt_laan(pilot, forloeb, dato=ANSOEGT)
        udskriv(pilot, forloeb, UDSKREVET)
        raekker[navn] = (aftale, forloeb)
    chef = BrugerFactory(username="chef-broendby", organisation=anden, rolle=Rolle.ERHVERVSCHEF)
    return raekker, chef


MODELLER = [Pladsaftale, Henvisning, Forloeb, Udskrivning, Laan]


def _aftaler(model, bruger) -> set[str]:
    """The names of the agreements behind the rows the user follows."""
    sti = model.KOEBER.removesuffix("koeber").rstrip("_")
    navn = f"{sti}__navn" if sti else "navn"
    return set(model.objects.overvaagede_af(bruger).values_list(navn, flat=True))


@pytest.mark.parametrize("model", MODELLER, ids=lambda m: m.__name__)
def test_each_buyer_follows_only_her_own_agreements_rows(pilot, to_koebere, model):
    _raekker, chef = to_koebere

    assert _aftaler(model, pilot.erhvervschef) == {"Ishøj"}
    assert _aftaler(model, chef) == {"Brøndby"}


@pytest.mark.parametrize("model", MODELLER, ids=lambda m: m.__name__)
def test_an_administrator_follows_all_and_a_caseworker_none(pilot, to_koebere, model):
    assert _aftaler(model, pilot.administrator) == {"Ishøj", "Brøndby"}
    assert not model.objects.overvaagede_af(pilot.sagsbehandler).exists()
    assert not model.objects.overvaagede_af(pilot.forloebsmedarbejder).exists()


def test_the_buyers_rows_count_once_each(pilot, to_koebere):
    raekker, _chef = to_koebere
    _aftale, forloeb = raekker["Ishøj"]

    assert list(Forloeb.objects.overvaagede_af(pilot.erhvervschef)) == [forloeb]
    assert Laan.objects.overvaagede_af(pilot.erhvervschef).get().forloeb == forloeb
