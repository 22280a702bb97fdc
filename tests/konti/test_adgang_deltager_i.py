"""`adgang.deltager_i`, the condition `synlige_for` filters by, and `ad_stien`, one of its paths.

The rows each user must see are known by construction here: a referral to Næstved's agreement is
seen by the referring jobcenter and by Næstved; a referral by the same jobcenter to another
provider's agreement is seen by the jobcenter and that provider, not by Næstved."""

import pytest

from borgere.models import Borger
from forloeb.models import Forloeb
from laan.models import Laan
from mikrolaan.konti.adgang import ad_stien, deltager_i
from tests.byg.sager import henvis, lav_borger, lav_forloeb, lav_pladsaftale
from visitation.models import Henvisning, Pladsaftale, Visitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def to_udbydere(pilot):
    """Anna at Næstved's agreement, Bo at an agreement the `fremmed` organisation provides."""
    anna = lav_forloeb(pilot, lav_pladsaftale(pilot, antal_pladser=5), "Anna", "Jensen")
    anden = lav_pladsaftale(pilot, antal_pladser=5, navn="Andet sted")
    bo = lav_forloeb(pilot, anden, "Bo", "Hansen")
    # Admitted through Næstved's services, then the agreement is the other organisation's (as if
    # it had always provided it): the services admit only through their own provider's staff.
    Pladsaftale.objects.filter(pk=anden.pk).update(leverandoer=pilot.fremmed_org)
    return anna, bo


@pytest.mark.parametrize(
    ("model", "raekke"),
    [
        (Borger, lambda f: f.borger_id),
        (Henvisning, lambda f: f.henvisning_id),
        (Forloeb, lambda f: f.pk),
    ],
)
def test_each_party_sees_exactly_its_own_rows(pilot, to_udbydere, model, raekke):
    anna, bo = to_udbydere
    forventet = {
        pilot.sagsbehandler: {raekke(anna), raekke(bo)},  # the referring jobcenter: both
        pilot.forloebsmedarbejder: {raekke(anna)},  # Næstved provides Anna's place only
        pilot.fremmed: {raekke(bo)},  # the other organisation provides Bo's
        pilot.erhvervschef: set(),  # the buyer takes no part in the case
        pilot.administrator: set(),
    }
    for bruger, raekker in forventet.items():
        synlige = set(model.objects.synlige_for(bruger).values_list("pk", flat=True))
        assert synlige == raekker, bruger.username
        fundet = set(model.objects.filter(deltager_i(model, bruger)).values_list("pk", flat=True))
        assert fundet == raekker, bruger.username


def test_a_citizen_with_two_referrals_comes_once(pilot):
    # The path through a reverse relation (a citizen's referrals) is `pk IN (...)`, never a join
    # that would repeat the citizen once per referral.
    aftale = lav_pladsaftale(pilot, antal_pladser=5)
    borger = lav_borger(pilot)
    foerste = henvis(pilot, aftale, borger)
    Henvisning.objects.filter(pk=foerste.pk).update(status=Henvisning.Status.AFSLUTTET)
    henvis(pilot, aftale, borger)

    synlige = list(
        Borger.objects.synlige_for(pilot.forloebsmedarbejder).values_list("pk", flat=True)
    )
    assert synlige == [borger.pk]
    assert Borger.objects.synlige_for(pilot.forloebsmedarbejder).count() == 1


def test_the_paths_are_checked_row_by_row(pilot):
    # Issue 13: a UNION of one subquery per path made PostgreSQL build every visible citizen's id
    # (20,000 for a jobcenter) before it could sort and cut a page; an OR across the LEFT JOIN of
    # the referrals scanned the whole table. The jobcenter path is the citizen's own column, the
    # provider path one uncorrelated `IN`, and the agreements a small `IN` of their own.
    sql = str(Borger.objects.synlige_for(pilot.forloebsmedarbejder).query)
    assert "UNION" not in sql
    assert "LEFT OUTER JOIN" not in sql
    assert '"borgere_borger"."jobcenter_id" = ' in sql
    assert '"borgere_borger"."id" IN (SELECT' in sql

    # A programme carries its referral's jobcenter: no join to ask it.
    sql = str(Forloeb.objects.synlige_for(pilot.sagsbehandler).query)
    assert '"forloeb_forloeb"."jobcenter_id" = ' in sql
    assert '"forloeb_forloeb"."pladsaftale_id" IN (SELECT' in sql
    assert "JOIN" not in sql
    # A visitation asks its referral's, through the join.
    sql = str(Visitation.objects.synlige_for(pilot.sagsbehandler).query)
    assert 'INNER JOIN "visitation_henvisning"' in sql


def test_ad_stien_is_one_path_of_synlige_for(pilot, to_udbydere):
    anna, bo = to_udbydere
    udbyder = "pladsaftale__leverandoer"

    def ad(bruger, model=Forloeb, sti=udbyder):
        return set(model.objects.filter(ad_stien(model, bruger, sti)).values_list("pk", flat=True))

    assert ad(pilot.forloebsmedarbejder) == {anna.pk}
    assert ad(pilot.fremmed) == {bo.pk}
    # The jobcenter sees both, but provides neither.
    assert ad(pilot.sagsbehandler) == set()
    assert ad(pilot.sagsbehandler, sti="jobcenter") == {anna.pk, bo.pk}
    assert ad(pilot.erhvervschef) == set()
    with pytest.raises(ValueError, match="no path"):
        ad(pilot.sagsbehandler, model=Laan, sti="forloeb__borger__jobcenter")
