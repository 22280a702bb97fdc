"""The place agreements page (visitation:pladsaftaler): all agreements with their occupancy in one
query, however many agreements, programmes and waiting citizens there are."""

import pytest
from django.urls import reverse

from tests.byg.sager import lav_borger, lav_pladsaftale, optag

pytestmark = pytest.mark.django_db

URL = reverse("visitation:pladsaftaler")


def lav_aftaler(pilot, antal: int) -> None:
    """`antal` agreements, each full with `antal` programmes and one citizen waiting."""
    for nr in range(antal):
        aftale = lav_pladsaftale(pilot, antal_pladser=antal, navn=f"Mikrolån Næstved {nr}")
        for plads in range(antal):
            assert optag(pilot, aftale, lav_borger(pilot, f"Optaget{nr}x{plads}")) is not None
        assert optag(pilot, aftale, lav_borger(pilot, f"Venter{nr}")) is None


# The page, for the provider's course staff and the buyer's Erhvervschef alike:
#  1. the session
#  2. the user with their organisation
#  3. the user's roles (Bruger.roller, once a request)
#  4. the bell's unread count (the page header renders before the table)
#  5. the agreements the user may see, with buyer and provider joined and the places in use and
#     the waiting list counted in two subqueries per row
FORESPOERGSLER = 5


@pytest.mark.parametrize("rolle", ["forloebsmedarbejder", "erhvervschef"])
@pytest.mark.parametrize("antal", [1, 4])
def test_the_page_makes_the_same_queries_however_many_agreements_and_programmes(
    client, pilot, django_assert_num_queries, rolle, antal
):
    lav_aftaler(pilot, antal)
    client.force_login(getattr(pilot, rolle))

    with django_assert_num_queries(FORESPOERGSLER):
        svar = client.get(URL)

    assert svar.status_code == 200
    assert [(a.optagne, a.ventende) for a in svar.context["aftaler"]] == [(antal, 1)] * antal
    assert svar.content.decode().count(f"{antal} / {antal}") == antal
