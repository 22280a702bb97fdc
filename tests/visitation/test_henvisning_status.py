"""The referral's status machine: its transition table, tried for every pair of statuses."""

import itertools

import pytest

from mikrolaan.statusmaskine import UlovligOvergang
from visitation.models import Henvisning

S = Henvisning.Status
LOVLIGE = {
    (S.HENVIST, S.AFVENTER_UNDERSKRIFT),
    (S.AFVENTER_UNDERSKRIFT, S.OPTAGET),
    (S.AFVENTER_UNDERSKRIFT, S.VENTELISTE),
    (S.AFVENTER_UNDERSKRIFT, S.AFVIST),
    (S.VENTELISTE, S.OPTAGET),
    (S.OPTAGET, S.AFSLUTTET),
    # Corrections: withdrawn before a decision holds, or taken off the queue.
    (S.HENVIST, S.TILBAGETRUKKET),
    (S.AFVENTER_UNDERSKRIFT, S.TILBAGETRUKKET),
    (S.VENTELISTE, S.TILBAGETRUKKET),
    (S.VENTELISTE, S.FJERNET_FRA_VENTELISTE),
    # A discharge registered by mistake, reopened.
    (S.AFSLUTTET, S.OPTAGET),
}


@pytest.mark.parametrize(("fra", "til"), list(itertools.product(S, S)))
def test_the_transition_table_allows_exactly_the_intake_moves(fra, til):
    henvisning = Henvisning(status=fra)

    assert henvisning.kan_skifte_til(til) == ((fra, til) in LOVLIGE)
    if (fra, til) in LOVLIGE:
        henvisning.skift_status(til)
        assert henvisning.status == til
    else:
        with pytest.raises(UlovligOvergang) as fejl:
            henvisning.skift_status(til)
        assert fejl.value.messages == [
            f"En henvisning kan ikke gå fra {fra.label} til {til.label}."
        ]
        assert henvisning.status == fra


def test_every_status_has_a_row_in_the_table():
    assert set(Henvisning.OVERGANGE) == set(S)


def test_the_open_statuses_are_the_ones_the_database_allows_once_per_citizen():
    (begraensning,) = (
        c for c in Henvisning._meta.constraints if c.name == "henvisning_en_aaben_pr_borger"
    )
    ((felt, vaerdier),) = begraensning.condition.children
    assert felt == "status__in"
    assert set(vaerdier) == set(Henvisning.AABNE)


def test_a_withdrawn_or_removed_referral_is_not_open_so_the_citizen_can_be_referred_again():
    assert S.TILBAGETRUKKET not in Henvisning.AABNE
    assert S.FJERNET_FRA_VENTELISTE not in Henvisning.AABNE
