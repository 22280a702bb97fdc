"""`adgang.deltager_i`: adgang.py's scoping as one condition, for reads of one citizen's rows.
It must pick exactly the rows `synlige_for` picks, and refuse what it cannot express."""

import pytest

from borgere.models import Borger
from forloeb.models import Forloeb
from mikrolaan.konti.adgang import deltager_i
from tests.byg.sager import lav_forloeb, lav_pladsaftale
from visitation.models import Henvisning

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Henvisning, Forloeb])
def test_it_picks_exactly_the_rows_synlige_for_picks(pilot, model):
    lav_forloeb(pilot, lav_pladsaftale(pilot, antal_pladser=5), "Anna", "Jensen")
    lav_forloeb(pilot, lav_pladsaftale(pilot, antal_pladser=5), "Bo", "Hansen")

    for bruger in (
        pilot.sagsbehandler,
        pilot.forloebsmedarbejder,
        pilot.fremmed,
        pilot.erhvervschef,
    ):
        forventet = set(model.objects.synlige_for(bruger).values_list("pk", flat=True))
        fundet = set(model.objects.filter(deltager_i(model, bruger)).values_list("pk", flat=True))
        assert fundet == forventet, bruger
    # The parties see both; the buyer's Erhvervschef, who takes no part in the case, none.
    assert model.objects.filter(deltager_i(model, pilot.sagsbehandler)).count() == 2
    assert not model.objects.filter(deltager_i(model, pilot.erhvervschef)).exists()


def test_a_path_through_a_reverse_relation_is_refused(pilot):
    # A citizen is shared through her referrals: OR-ed across that join a citizen with two
    # referrals would come twice, so only synlige_for's UNION may scope citizens.
    with pytest.raises(ValueError, match="reverse relation"):
        deltager_i(Borger, pilot.sagsbehandler)
