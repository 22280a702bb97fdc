"""Who may do what with a loan: each `kan_*` rule for each kind of person, as a table.

The loan is the pilot's: the citizen referred by Jobcenter Vallensbæk to a place Ishøj bought at
Næstved, the application registered by Næstved's course staff member (the maker). The rules only
decide between people who can see the loan, but they must also say no on their own to everyone else.
"""

import pytest
from django.contrib.auth.models import Group

from laan import regler
from laan.models import Laan
from mikrolaan.konti.models import Rolle
from tests.byg.fabrikker import BrugerFactory
from tests.byg.laan import forloeb_i_hovedforloeb

pytestmark = pytest.mark.django_db

SB, FM = Rolle.SAGSBEHANDLER, Rolle.FORLOEBSMEDARBEJDER


@pytest.fixture
def personer(pilot) -> dict:
    """Everyone the table asks about, by a short name."""
    dobbeltrolle = BrugerFactory(organisation=pilot.naestved, rolle=FM)
    dobbeltrolle.groups.add(Group.objects.get(name=SB))
    return {
        "sagsbehandler": pilot.sagsbehandler,
        "kollega": BrugerFactory(organisation=pilot.jobcenter, rolle=SB),
        "forloebsmedarbejder": pilot.forloebsmedarbejder,
        "naestveds_sagsbehandler": BrugerFactory(organisation=pilot.naestved, rolle=SB),
        "dobbeltrolle": dobbeltrolle,
        "jobcentrets_forloebsmedarbejder": BrugerFactory(organisation=pilot.jobcenter, rolle=FM),
        "erhvervschef": pilot.erhvervschef,
        "administrator": pilot.administrator,
        "fremmed": pilot.fremmed,
        "fremmed_forloebsmedarbejder": BrugerFactory(organisation=pilot.fremmed_org, rolle=FM),
        "uden_organisation": BrugerFactory(organisation=None, rolle=FM),
    }


@pytest.fixture
def laan(pilot) -> Laan:
    """An application registered by the pilot's course staff member, a write-off proposed by the
    pilot's caseworker (unsaved: the rules read only these fields)."""
    return Laan(
        forloeb=forloeb_i_hovedforloeb(pilot),
        oprettet_af=pilot.forloebsmedarbejder,
        afskrivning_indstillet_af=pilot.sagsbehandler,
    )


# What each person may do: apply (and withdraw, disburse, register a repayment: the maker's side),
# approve (and refuse, undo: the checker's), propose a write-off, approve the write-off, import a
# bank statement.
TABEL = {
    #                                 ansøge bevilge indstille afskrive importere
    "sagsbehandler": (False, True, True, False, False),  # proposed the write-off
    "kollega": (False, True, True, True, False),
    "forloebsmedarbejder": (True, False, True, False, True),  # the maker
    "naestveds_sagsbehandler": (False, True, True, True, False),  # the provider takes part
    "dobbeltrolle": (True, True, True, True, True),
    "jobcentrets_forloebsmedarbejder": (False, False, True, False, True),
    "erhvervschef": (False, False, False, False, False),  # the buyer only watches
    "administrator": (False, False, False, False, False),
    "fremmed": (False, False, False, False, False),
    "fremmed_forloebsmedarbejder": (False, False, False, False, True),  # own loans only
    "uden_organisation": (False, False, False, False, False),
}


@pytest.mark.parametrize(("navn", "forventet"), TABEL.items(), ids=list(TABEL))
def test_each_rule_allows_exactly_the_people_in_the_table(personer, laan, navn, forventet):
    bruger = personer[navn]

    faktisk = (
        regler.kan_ansoege(bruger, laan.forloeb),
        regler.kan_bevilge(bruger, laan),
        regler.kan_indstille_afskrivning(bruger, laan),
        regler.kan_afskrive(bruger, laan),
        regler.kan_importere_kontoudtog(bruger),
    )

    assert faktisk == forventet
    # The maker's other actions follow the application rule.
    for regel in (
        regler.kan_traekke_tilbage,
        regler.kan_udbetale,
        regler.kan_registrere_indbetaling,
    ):
        assert regel(bruger, laan) == forventet[0], regel.__name__


def test_a_caseworker_who_registered_the_application_may_not_approve_it(personer, laan):
    # Four eyes by person, not by role: someone with both roles is maker or checker, never both.
    dobbeltrolle = personer["dobbeltrolle"]
    laan.oprettet_af = dobbeltrolle

    assert regler.kan_ansoege(dobbeltrolle, laan.forloeb)
    assert not regler.kan_bevilge(dobbeltrolle, laan)
    assert regler.kan_bevilge(personer["sagsbehandler"], laan)


def test_nobody_approves_a_write_off_that_nobody_proposed(personer, laan):
    laan.afskrivning_indstillet_af = None

    assert not any(regler.kan_afskrive(bruger, laan) for bruger in personer.values())


def test_the_proposer_of_a_write_off_may_not_approve_it(personer, laan):
    laan.afskrivning_indstillet_af = personer["kollega"]

    assert not regler.kan_afskrive(personer["kollega"], laan)
    assert regler.kan_afskrive(personer["sagsbehandler"], laan)
