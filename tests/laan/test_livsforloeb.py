"""A loan's life through the services: application (the maker), approval or refusal (the checker),
undo, withdrawal, disbursement with its plan, and the two-person write-off; the transition table.

The pilot's course staff member at Næstved is the maker, its caseworker at Jobcenter Vallensbæk the
checker. The views' 404 for a case outside the user's organisations is tested with the pages.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from borgere.models import Dokument
from forloeb.models import Forloeb, Udskrivning
from laan import plan
from laan.models import Afdrag, Laan, Sagsgang
from laan.services import livsforloeb
from mikrolaan.konti.models import Rolle
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from mikrolaan.statusmaskine import UlovligOvergang
from tests.byg.fabrikker import BrugerFactory, DokumentFactory
from tests.byg.laan import (
    ANSOEGNING,
    ansoegt_laan,
    bevilget_laan,
    forloeb_i_hovedforloeb,
    udbetalt_laan,
)
from tests.byg.sager import (
    PERIODE_2025_2027,
    SKIFTE,
    START,
    lav_forloeb,
    lav_pladsaftale,
    til_hovedforloeb,
    til_status,
    udskriv,
)
from tests.byg.tid import DAG, paa

pytestmark = pytest.mark.django_db

S = Laan.Status
IKKE_I_HOVEDFORLOEB = "Der kan kun søges om lån, mens forløbet er i hovedforløbet."
BEGRUNDELSE = "Budgettet holder ikke: varelageret er for stort."


@pytest.fixture
def forloeb(pilot) -> Forloeb:
    """Admitted today and in the main phase since today."""
    return forloeb_i_hovedforloeb(pilot)


@pytest.fixture
def fast_forloeb(pilot) -> Forloeb:
    """Admitted on START and in the main phase from SKIFTE (15.07.2026), for tests set on days."""
    aftale = lav_pladsaftale(pilot, **PERIODE_2025_2027)
    return til_hovedforloeb(pilot, lav_forloeb(pilot, aftale, startdato=START), SKIFTE)


def ansoeg(pilot, forloeb, **felter) -> Laan:
    """The service itself, with the standard application (for what the builder would convert)."""
    return livsforloeb.ansoeg(
        bruger=felter.pop("bruger", pilot.forloebsmedarbejder),
        forloeb=forloeb,
        **({"beloeb": Decimal("30000.00")} | ANSOEGNING | felter),
    )


def dobbeltrolle(pilot):
    """A Næstved employee in both roles: may register and may approve, never the same loan."""
    bruger = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    bruger.groups.add(Group.objects.get(name=Rolle.SAGSBEHANDLER))
    return bruger


def beskeder(haendelse):
    return Notifikation.objects.filter(haendelse=haendelse).order_by("id")


def intet_gemt() -> None:
    assert not Laan.objects.exists()
    assert not Sagsgang.objects.exists()
    assert not beskeder(Haendelse.LAAN_AFVENTER).exists()


def gange(laan) -> list[tuple]:
    return [
        (g.fra_status, g.til_status, g.udfoert_af, g.begrundelse)
        for g in Sagsgang.objects.filter(laan=laan)
    ]


# --- Application ---------------------------------------------------------------------------


def test_course_staff_apply_in_the_main_phase_and_the_caseworker_is_asked_to_approve(
    pilot, forloeb
):
    laan = ansoegt_laan(pilot, forloeb, Decimal("12500.50"))

    laan.refresh_from_db()
    assert laan.status == S.ANSOEGT
    assert laan.beloeb == Decimal("12500.50")
    assert (laan.loebetid, laan.afdragsfri, laan.rente) == (24, 2, 0)
    assert laan.oprettet_af == pilot.forloebsmedarbejder
    assert (laan.bevilget_af, laan.reference) == (None, None)
    assert gange(laan) == [("", S.ANSOEGT, pilot.forloebsmedarbejder, "")]
    (besked,) = beskeder(Haendelse.LAAN_AFVENTER)
    assert besked.modtager == pilot.sagsbehandler
    assert besked.emne == "Lån afventer godkendelse: Anna Jensen"
    assert "12.500,50 kr." in besked.tekst
    assert "godkendes af en anden person" in besked.tekst
    assert besked.link == f"/laan/{laan.pk}/"


def test_only_the_caseworkers_on_the_case_are_asked_not_the_whole_jobcenter(pilot, forloeb):
    BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)

    ansoegt_laan(pilot, forloeb)

    assert [b.modtager for b in beskeder(Haendelse.LAAN_AFVENTER)] == [pilot.sagsbehandler]


def test_when_no_caseworker_on_the_case_is_active_every_caseworker_of_the_jobcenter_is_asked(
    pilot, forloeb
):
    kollega = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)
    pilot.sagsbehandler.is_active = False
    pilot.sagsbehandler.save()

    ansoegt_laan(pilot, forloeb)

    assert [b.modtager for b in beskeder(Haendelse.LAAN_AFVENTER)] == [kollega]


def test_an_application_in_the_qualifying_phase_is_refused_and_nothing_is_saved(pilot):
    forloeb = lav_forloeb(pilot, lav_pladsaftale(pilot))
    assert forloeb.status == Forloeb.Status.OPKVALIFICERING

    with pytest.raises(ValidationError) as fejl:
        ansoegt_laan(pilot, forloeb)

    assert fejl.value.messages == [IKKE_I_HOVEDFORLOEB]
    intet_gemt()


@pytest.mark.parametrize("status", [Forloeb.Status.AFSLUTTET, Forloeb.Status.AFBRUDT])
def test_an_application_after_the_discharge_is_refused_and_nothing_is_saved(pilot, status):
    aftale = lav_pladsaftale(pilot, **PERIODE_2025_2027)
    forloeb = til_status(pilot, lav_forloeb(pilot, aftale, startdato=START), status)

    with pytest.raises(ValidationError) as fejl:
        ansoegt_laan(pilot, forloeb)

    assert fejl.value.messages == [IKKE_I_HOVEDFORLOEB]
    intet_gemt()


@pytest.mark.parametrize("aarsag", [Udskrivning.Aarsag.UDEN_VIRKSOMHED, Udskrivning.Aarsag.JOB])
def test_an_application_left_undecided_when_the_programme_ended_is_not_granted(pilot, aarsag):
    aftale = lav_pladsaftale(pilot, **PERIODE_2025_2027)
    forloeb = til_hovedforloeb(pilot, lav_forloeb(pilot, aftale, startdato=START), SKIFTE)
    laan = ansoegt_laan(pilot, forloeb, dato=SKIFTE + DAG)
    udskriv(pilot, forloeb, SKIFTE + 10 * DAG, aarsag)

    with pytest.raises(ValidationError) as fejl:
        livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=laan)

    assert fejl.value.messages == [
        "Forløbet er ikke længere i hovedforløbet, så lånet kan ikke bevilges."
    ]
    laan.refresh_from_db()
    assert (laan.status, laan.bevilget_af) == (S.ANSOEGT, None)


@pytest.mark.parametrize("beloeb", ["1000.00", "50000.00", "1000", "24999.99"])
def test_an_amount_from_1000_to_50000_kroner_inclusive_may_be_applied_for(pilot, forloeb, beloeb):
    laan = ansoeg(pilot, forloeb, beloeb=Decimal(beloeb))

    laan.refresh_from_db()
    assert laan.beloeb == Decimal(beloeb)


@pytest.mark.parametrize("beloeb", ["999.99", "50000.01", "0.00", "-1000.00", "100000.00"])
def test_an_amount_outside_1000_to_50000_kroner_is_refused_and_nothing_is_saved(
    pilot, forloeb, beloeb
):
    with pytest.raises(ValidationError) as fejl:
        ansoeg(pilot, forloeb, beloeb=Decimal(beloeb))

    assert fejl.value.message_dict == {
        "beloeb": ["Et mikrolån skal være mellem 1.000 kr. og 50.000 kr."]
    }
    intet_gemt()


def test_an_amount_with_more_than_two_decimals_is_refused(pilot, forloeb):
    with pytest.raises(ValidationError) as fejl:
        ansoeg(pilot, forloeb, beloeb=Decimal("1000.001"))

    assert fejl.value.message_dict == {"beloeb": ["Beløbet kan højst have to decimaler (øre)."]}
    intet_gemt()


@pytest.mark.parametrize("beloeb", [12000.0, 12000.5])
def test_a_float_amount_is_refused_outright(pilot, forloeb, beloeb):
    # A programming error, not a user's: a float cannot hold øre exactly.
    with pytest.raises(TypeError):
        ansoeg(pilot, forloeb, beloeb=beloeb)

    intet_gemt()


@pytest.mark.parametrize(
    ("felter", "fejl"),
    [
        ({"loebetid": 0}, {"loebetid": ["Løbetiden skal være 1-60 måneder."]}),
        ({"loebetid": 61}, {"loebetid": ["Løbetiden skal være 1-60 måneder."]}),
        ({"afdragsfri": 13}, {"afdragsfri": ["Der kan højst være 12 afdragsfrie måneder."]}),
        ({"afdragsfri": -1}, {"afdragsfri": ["Der kan højst være 12 afdragsfrie måneder."]}),
        ({"formaal": "  "}, {"formaal": ["Skriv, hvad lånet skal bruges til."]}),
        ({"budget": ""}, {"budget": ["Skriv et kort budget: hvad pengene skal købe."]}),
    ],
)
def test_terms_outside_the_rules_are_refused_and_nothing_is_saved(pilot, forloeb, felter, fejl):
    with pytest.raises(ValidationError) as afvist:
        ansoeg(pilot, forloeb, **felter)

    assert afvist.value.message_dict == fejl
    intet_gemt()


@pytest.mark.parametrize(("loebetid", "afdragsfri"), [(1, 0), (60, 12)])
def test_the_longest_and_shortest_terms_are_allowed(pilot, forloeb, loebetid, afdragsfri):
    laan = ansoeg(pilot, forloeb, loebetid=loebetid, afdragsfri=afdragsfri)

    assert (laan.loebetid, laan.afdragsfri) == (loebetid, afdragsfri)


def test_the_citizens_own_business_plan_and_budget_may_be_attached(pilot, forloeb):
    borger = forloeb.borger
    forretningsplan = DokumentFactory(borger=borger, type=Dokument.Type.FORRETNINGSPLAN)
    budget = DokumentFactory(borger=borger, type=Dokument.Type.BUDGET)

    laan = ansoeg(pilot, forloeb, forretningsplan=forretningsplan, budgetdokument=budget)

    assert (laan.forretningsplan, laan.budgetdokument) == (forretningsplan, budget)


@pytest.mark.parametrize("hvis", ["en anden borgers", "forkert type"])
def test_a_document_of_another_citizen_or_of_the_wrong_type_is_refused(pilot, forloeb, hvis):
    if hvis == "en anden borgers":
        dokument = DokumentFactory(type=Dokument.Type.FORRETNINGSPLAN)  # a citizen of its own
    else:
        dokument = DokumentFactory(borger=forloeb.borger, type=Dokument.Type.BUDGET)

    with pytest.raises(ValidationError) as fejl:
        ansoeg(pilot, forloeb, forretningsplan=dokument)

    assert fejl.value.message_dict == {
        "forretningsplan": ["Vælg et af borgerens egne dokumenter af den rigtige type."]
    }
    intet_gemt()


def test_a_business_plan_is_not_a_budget(pilot, forloeb):
    plan_som_budget = DokumentFactory(borger=forloeb.borger, type=Dokument.Type.FORRETNINGSPLAN)

    with pytest.raises(ValidationError) as fejl:
        ansoeg(pilot, forloeb, budgetdokument=plan_som_budget)

    assert list(fejl.value.message_dict) == ["budgetdokument"]


@pytest.mark.parametrize("hvem", ["sagsbehandler", "fremmed", "erhvervschef", "administrator"])
def test_only_the_providers_course_staff_register_an_application(pilot, forloeb, hvem):
    with pytest.raises(PermissionDenied):
        ansoeg(pilot, forloeb, bruger=getattr(pilot, hvem))

    intet_gemt()


# --- The ceiling of 50,000 kr. per programme ------------------------------------------------

LOFT_NAAET = (
    "Forløbets lån må tilsammen højst være 50.000 kr., og hele beløbet er allerede bevilget."
)


def test_two_loans_up_to_50000_kroner_are_granted_and_a_third_is_refused_at_application(
    pilot, forloeb
):
    bevilget_laan(pilot, forloeb, Decimal("30000.00"))
    bevilget_laan(pilot, forloeb, Decimal("20000.00"))

    with pytest.raises(ValidationError) as fejl:
        ansoegt_laan(pilot, forloeb, Decimal("1000.00"))

    assert fejl.value.message_dict == {"beloeb": [LOFT_NAAET]}
    assert Laan.objects.count() == 2


def test_the_application_is_told_how_much_is_left(pilot, forloeb):
    bevilget_laan(pilot, forloeb, Decimal("30000.00"))

    with pytest.raises(ValidationError) as fejl:
        ansoegt_laan(pilot, forloeb, Decimal("20000.50"))

    assert fejl.value.message_dict == {
        "beloeb": [
            "Forløbets lån må tilsammen højst være 50.000 kr., og der er allerede bevilget "
            "30.000 kr., så der kan højst søges om 20.000 kr."
        ]
    }


def test_applications_not_yet_approved_do_not_count_and_the_ceiling_holds_at_approval(
    pilot, forloeb
):
    # Applications may wait side by side; the approval is where the money is committed, so that
    # is where the ceiling bites (under the programme's lock, see test_samtidighed).
    foerste = ansoegt_laan(pilot, forloeb, Decimal("30000.00"))
    anden = ansoegt_laan(pilot, forloeb, Decimal("20000.00"))
    tredje = ansoegt_laan(pilot, forloeb, Decimal("1000.00"))
    livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=foerste)
    livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=anden)

    with pytest.raises(ValidationError) as fejl:
        livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=tredje)

    assert fejl.value.message_dict == {"beloeb": [LOFT_NAAET]}
    tredje.refresh_from_db()
    assert (tredje.status, tredje.bevilget_af) == (S.ANSOEGT, None)
    assert [g[1] for g in gange(tredje)] == [S.ANSOEGT]


def test_refused_withdrawn_and_undone_loans_do_not_count(pilot, forloeb):
    afslaaet = ansoegt_laan(pilot, forloeb, Decimal("30000.00"))
    livsforloeb.afslaa(bruger=pilot.sagsbehandler, laan=afslaaet, begrundelse=BEGRUNDELSE)
    trukket = ansoegt_laan(pilot, forloeb, Decimal("30000.00"))
    livsforloeb.traek_tilbage(bruger=pilot.forloebsmedarbejder, laan=trukket)
    fortrudt = bevilget_laan(pilot, forloeb, Decimal("30000.00"))
    livsforloeb.fortryd_bevilling(bruger=pilot.sagsbehandler, laan=fortrudt, begrundelse="Fejl")
    livsforloeb.afslaa(bruger=pilot.sagsbehandler, laan=fortrudt, begrundelse=BEGRUNDELSE)

    laan = bevilget_laan(pilot, forloeb, Decimal("50000.00"))

    assert laan.status == S.BEVILGET


def test_a_written_off_loan_still_counts_the_money_was_lent(pilot, forloeb):
    laan = udbetalt_laan(pilot, forloeb, Decimal("30000.00"))
    livsforloeb.indstil_afskrivning(
        bruger=pilot.forloebsmedarbejder, laan=laan, begrundelse="Virksomheden er lukket."
    )
    livsforloeb.afskriv(bruger=pilot.sagsbehandler, laan=laan)

    with pytest.raises(ValidationError, match="der kan højst søges om 20.000 kr."):
        ansoegt_laan(pilot, forloeb, Decimal("20000.01"))
    assert ansoegt_laan(pilot, forloeb, Decimal("20000.00")).status == S.ANSOEGT


# --- Approval: four eyes --------------------------------------------------------------------


def test_a_caseworker_on_the_case_approves_and_the_people_on_the_case_are_told(pilot, fast_forloeb):
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    laan = ansoegt_laan(pilot, fast_forloeb, dato=datetime.date(2026, 8, 3))

    with paa(datetime.date(2026, 8, 5)):
        livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=laan)

    laan.refresh_from_db()
    assert laan.status == S.BEVILGET
    assert laan.bevilget_af == pilot.sagsbehandler
    assert timezone.localdate(laan.bevilget) == datetime.date(2026, 8, 5)
    assert gange(laan)[1:] == [(S.ANSOEGT, S.BEVILGET, pilot.sagsbehandler, "")]
    afgjort = beskeder(Haendelse.LAAN_AFGJORT)
    # The maker and the provider's course staff; not the approver.
    assert {b.modtager for b in afgjort} == {pilot.forloebsmedarbejder, kollega}
    besked = afgjort.first()
    assert besked.emne == "Lån bevilget: Anna Jensen"
    assert besked.tekst == (
        f"{pilot.sagsbehandler} har bevilget mikrolånet på 30.000 kr. til Anna Jensen. "
        "Det kan nu udbetales."
    )
    assert besked.link == f"/laan/{laan.pk}/"


def test_the_person_who_registered_the_application_may_not_approve_it(pilot, forloeb):
    maker = dobbeltrolle(pilot)
    laan = ansoegt_laan(pilot, forloeb, bruger=maker)

    with pytest.raises(PermissionDenied):
        livsforloeb.bevilg(bruger=maker, laan=laan)

    laan.refresh_from_db()
    assert (laan.status, laan.bevilget_af) == (S.ANSOEGT, None)
    assert not beskeder(Haendelse.LAAN_AFGJORT).exists()
    # Another checker may.
    livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=laan)
    laan.refresh_from_db()
    assert laan.status == S.BEVILGET


@pytest.mark.parametrize(
    "hvem", ["forloebsmedarbejder", "fremmed", "erhvervschef", "administrator"]
)
def test_only_a_caseworker_on_the_case_approves_refuses_or_undoes(pilot, forloeb, hvem):
    # Course staff (even the provider's), a caseworker of an organisation outside the case, the
    # buyer: none of them is the checker.
    bruger = getattr(pilot, hvem)
    laan = ansoegt_laan(pilot, forloeb)
    bevilget = bevilget_laan(pilot, forloeb, Decimal("1000.00"))

    for handling in (
        lambda: livsforloeb.bevilg(bruger=bruger, laan=laan),
        lambda: livsforloeb.afslaa(bruger=bruger, laan=laan, begrundelse=BEGRUNDELSE),
        lambda: livsforloeb.fortryd_bevilling(bruger=bruger, laan=bevilget, begrundelse="Fejl"),
    ):
        with pytest.raises(PermissionDenied):
            handling()

    assert list(Laan.objects.order_by("pk").values_list("status", flat=True)) == [
        S.ANSOEGT,
        S.BEVILGET,
    ]


def test_approving_twice_is_refused_by_the_transition_table(pilot, forloeb):
    laan = bevilget_laan(pilot, forloeb)

    with pytest.raises(UlovligOvergang) as fejl:
        livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=laan)

    assert fejl.value.messages == ["Et lån kan ikke gå fra Bevilget til Bevilget."]
    assert len(gange(laan)) == 2


# --- Refusal, undo, withdrawal ----------------------------------------------------------------


@pytest.mark.parametrize("begrundelse", ["", "   "])
def test_a_refusal_needs_a_reason(pilot, forloeb, begrundelse):
    laan = ansoegt_laan(pilot, forloeb)

    with pytest.raises(ValidationError) as fejl:
        livsforloeb.afslaa(bruger=pilot.sagsbehandler, laan=laan, begrundelse=begrundelse)

    assert fejl.value.message_dict == {"begrundelse": ["Skriv en begrundelse."]}
    laan.refresh_from_db()
    assert laan.status == S.ANSOEGT
    assert not beskeder(Haendelse.LAAN_AFGJORT).exists()


def test_the_caseworker_refuses_with_a_reason_and_the_maker_is_told(pilot, forloeb):
    laan = ansoegt_laan(pilot, forloeb)

    livsforloeb.afslaa(bruger=pilot.sagsbehandler, laan=laan, begrundelse=f"  {BEGRUNDELSE} ")

    laan.refresh_from_db()
    assert laan.status == S.AFSLAAET
    assert gange(laan)[1:] == [(S.ANSOEGT, S.AFSLAAET, pilot.sagsbehandler, BEGRUNDELSE)]
    (besked,) = beskeder(Haendelse.LAAN_AFGJORT)
    assert besked.modtager == pilot.forloebsmedarbejder
    assert besked.emne == "Lån afslået: Anna Jensen"


@pytest.mark.parametrize("begrundelse", ["", "  "])
def test_undoing_an_approval_needs_a_reason(pilot, forloeb, begrundelse):
    laan = bevilget_laan(pilot, forloeb)

    with pytest.raises(ValidationError) as fejl:
        livsforloeb.fortryd_bevilling(
            bruger=pilot.sagsbehandler, laan=laan, begrundelse=begrundelse
        )

    assert fejl.value.message_dict == {"begrundelse": ["Skriv en begrundelse."]}
    laan.refresh_from_db()
    assert (laan.status, laan.bevilget_af) == (S.BEVILGET, pilot.sagsbehandler)


def test_an_approval_made_by_mistake_is_undone_with_a_reason_and_decided_again(pilot, forloeb):
    laan = bevilget_laan(pilot, forloeb)

    livsforloeb.fortryd_bevilling(
        bruger=pilot.sagsbehandler, laan=laan, begrundelse="Bevilget på den forkerte borger."
    )

    laan.refresh_from_db()
    assert (laan.status, laan.bevilget, laan.bevilget_af) == (S.ANSOEGT, None, None)
    assert gange(laan)[-1] == (
        S.BEVILGET,
        S.ANSOEGT,
        pilot.sagsbehandler,
        "Bevilget på den forkerte borger.",
    )
    livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=laan)
    laan.refresh_from_db()
    assert laan.status == S.BEVILGET


def test_a_disbursed_loan_cannot_be_undone(pilot, forloeb):
    laan = udbetalt_laan(pilot, forloeb)

    with pytest.raises(UlovligOvergang) as fejl:
        livsforloeb.fortryd_bevilling(bruger=pilot.sagsbehandler, laan=laan, begrundelse="Fejl")

    assert fejl.value.messages == ["Et lån kan ikke gå fra Udbetalt til Ansøgt."]
    laan.refresh_from_db()
    assert (laan.status, laan.bevilget_af) == (S.UDBETALT, pilot.sagsbehandler)


def test_course_staff_withdraw_an_application_the_citizen_no_longer_wants(pilot, forloeb):
    laan = ansoegt_laan(pilot, forloeb)

    livsforloeb.traek_tilbage(
        bruger=pilot.forloebsmedarbejder, laan=laan, begrundelse="Borgeren har fået et job."
    )

    laan.refresh_from_db()
    assert laan.status == S.TILBAGETRUKKET
    assert gange(laan)[-1] == (
        S.ANSOEGT,
        S.TILBAGETRUKKET,
        pilot.forloebsmedarbejder,
        "Borgeren har fået et job.",
    )


def test_the_caseworker_does_not_withdraw_and_a_granted_loan_is_not_withdrawn(pilot, forloeb):
    laan = ansoegt_laan(pilot, forloeb)
    with pytest.raises(PermissionDenied):
        livsforloeb.traek_tilbage(bruger=pilot.sagsbehandler, laan=laan)

    bevilget = bevilget_laan(pilot, forloeb, Decimal("1000.00"))
    with pytest.raises(UlovligOvergang) as fejl:
        livsforloeb.traek_tilbage(bruger=pilot.forloebsmedarbejder, laan=bevilget)

    assert fejl.value.messages == ["Et lån kan ikke gå fra Bevilget til Tilbagetrukket."]


# --- Disbursement and the plan -------------------------------------------------------------

BEVILGET_DAG = datetime.date(2026, 8, 5)
IDAG = datetime.date(2026, 8, 10)


@pytest.fixture
def bevilget(pilot, fast_forloeb) -> Laan:
    """Applied for on 3 August 2026 and approved on 5 August."""
    laan = ansoegt_laan(pilot, fast_forloeb, dato=datetime.date(2026, 8, 3))
    with paa(BEVILGET_DAG):
        livsforloeb.bevilg(bruger=pilot.sagsbehandler, laan=laan)
    laan.refresh_from_db()
    return laan


def udbetal(pilot, laan, dato, *, idag=IDAG, bruger=None) -> Laan:
    with paa(idag):
        return livsforloeb.udbetal(bruger=bruger or pilot.forloebsmedarbejder, laan=laan, dato=dato)


def test_the_disbursement_makes_the_plan_once_with_the_loans_payment_reference(pilot, bevilget):
    dato = datetime.date(2026, 8, 7)

    udbetal(pilot, bevilget, dato)

    bevilget.refresh_from_db()
    assert bevilget.status == S.UDBETALT
    assert bevilget.udbetalt_dato == dato
    assert bevilget.reference == plan.betalingsreference(bevilget.pk)
    assert plan.gyldig_reference(bevilget.reference)
    afdrag = list(Afdrag.objects.filter(laan=bevilget))
    assert [(a.nummer, a.forfald, a.beloeb, a.betalt) for a in afdrag] == [
        (p.nummer, p.forfald, p.beloeb, Decimal("0.00"))
        for p in plan.lav_plan(Decimal("30000.00"), 24, 2, dato)
    ]
    # 24 instalments of 1,250 kr., the first three months after disbursement (two without).
    assert (afdrag[0].forfald, afdrag[0].beloeb) == (datetime.date(2026, 11, 9), Decimal("1250"))
    assert sum(a.beloeb for a in afdrag) == bevilget.beloeb
    assert gange(bevilget)[-1] == (S.BEVILGET, S.UDBETALT, pilot.forloebsmedarbejder, "")
    (besked,) = beskeder(Haendelse.LAAN_AFGJORT).filter(emne__startswith="Lån udbetalt")
    assert besked.modtager == pilot.sagsbehandler
    assert besked.emne == "Lån udbetalt: Anna Jensen"


def test_a_loan_is_disbursed_once(pilot, bevilget):
    udbetal(pilot, bevilget, BEVILGET_DAG)

    with pytest.raises(UlovligOvergang) as fejl:
        udbetal(pilot, bevilget, IDAG)

    assert fejl.value.messages == ["Et lån kan ikke gå fra Udbetalt til Udbetalt."]
    bevilget.refresh_from_db()
    assert bevilget.udbetalt_dato == BEVILGET_DAG
    assert Afdrag.objects.filter(laan=bevilget).count() == 24


@pytest.mark.parametrize("dato", [BEVILGET_DAG, IDAG])
def test_the_disbursement_may_be_dated_from_the_approval_day_to_today(pilot, bevilget, dato):
    udbetal(pilot, bevilget, dato)

    bevilget.refresh_from_db()
    assert bevilget.udbetalt_dato == dato


@pytest.mark.parametrize(
    ("dato", "fejl"),
    [
        (IDAG + DAG, "Udbetalingsdatoen kan ikke ligge i fremtiden."),
        (BEVILGET_DAG - DAG, "Lånet kan ikke være udbetalt, før det blev bevilget (05.08.2026)."),
    ],
)
def test_a_disbursement_in_the_future_or_before_the_approval_is_refused(
    pilot, bevilget, dato, fejl
):
    with pytest.raises(ValidationError) as afvist:
        udbetal(pilot, bevilget, dato)

    assert afvist.value.message_dict == {"dato": [fejl]}
    bevilget.refresh_from_db()
    assert (bevilget.status, bevilget.udbetalt_dato, bevilget.reference) == (S.BEVILGET, None, None)
    assert not Afdrag.objects.exists()


def test_the_disbursement_uses_the_danish_date_not_utc(pilot, bevilget):
    # Midnight on 10 August in Copenhagen is 22:00 UTC on the 9th: "today" is the 10th.
    with paa(IDAG, klokken=0):
        livsforloeb.udbetal(bruger=pilot.forloebsmedarbejder, laan=bevilget, dato=IDAG)

    bevilget.refresh_from_db()
    assert bevilget.udbetalt_dato == IDAG


def test_an_application_not_yet_approved_is_not_disbursed(pilot, fast_forloeb):
    laan = ansoegt_laan(pilot, fast_forloeb, dato=BEVILGET_DAG)

    with pytest.raises(UlovligOvergang) as fejl:
        udbetal(pilot, laan, IDAG)

    assert fejl.value.messages == ["Et lån kan ikke gå fra Ansøgt til Udbetalt."]
    assert not Afdrag.objects.exists()


@pytest.mark.parametrize("hvem", ["sagsbehandler", "fremmed", "erhvervschef"])
def test_only_the_providers_course_staff_register_the_disbursement(pilot, bevilget, hvem):
    with pytest.raises(PermissionDenied):
        udbetal(pilot, bevilget, IDAG, bruger=getattr(pilot, hvem))

    assert not Afdrag.objects.exists()


# --- Write-off: proposed by one, approved by another caseworker -----------------------------

AFSKRIVNING = "Virksomheden er lukket, og borgeren er på kontanthjælp."


def test_a_write_off_is_proposed_and_then_approved_by_a_caseworker(pilot, forloeb):
    laan = udbetalt_laan(pilot, forloeb)

    livsforloeb.indstil_afskrivning(
        bruger=pilot.forloebsmedarbejder, laan=laan, begrundelse=AFSKRIVNING
    )

    laan.refresh_from_db()
    assert laan.status == S.UDBETALT  # a proposal is not a move
    assert (laan.afskrivning_indstillet_af, laan.afskrivning_begrundelse) == (
        pilot.forloebsmedarbejder,
        AFSKRIVNING,
    )
    besked = beskeder(Haendelse.LAAN_AFVENTER).get(emne__startswith="Afskrivning")
    assert besked.modtager == pilot.sagsbehandler
    assert besked.emne == "Afskrivning afventer godkendelse: Anna Jensen"

    livsforloeb.afskriv(bruger=pilot.sagsbehandler, laan=laan)

    laan.refresh_from_db()
    assert (laan.status, laan.afskrevet_af) == (S.AFSKREVET, pilot.sagsbehandler)
    assert gange(laan)[-1] == (S.UDBETALT, S.AFSKREVET, pilot.sagsbehandler, AFSKRIVNING)
    afskrevet = beskeder(Haendelse.LAAN_AFGJORT).get(emne="Lån afskrevet: Anna Jensen")
    assert afskrevet.modtager == pilot.forloebsmedarbejder


def test_the_proposer_of_a_write_off_may_not_approve_it(pilot, forloeb):
    laan = udbetalt_laan(pilot, forloeb)
    livsforloeb.indstil_afskrivning(bruger=pilot.sagsbehandler, laan=laan, begrundelse=AFSKRIVNING)

    with pytest.raises(PermissionDenied):
        livsforloeb.afskriv(bruger=pilot.sagsbehandler, laan=laan)

    laan.refresh_from_db()
    assert (laan.status, laan.afskrevet_af) == (S.UDBETALT, None)
    # The proposer is not asked to approve their own proposal; a colleague is the second person.
    assert not beskeder(Haendelse.LAAN_AFVENTER).filter(emne__startswith="Afskrivning").exists()
    kollega = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)
    livsforloeb.afskriv(bruger=kollega, laan=laan)
    laan.refresh_from_db()
    assert (laan.status, laan.afskrevet_af) == (S.AFSKREVET, kollega)


@pytest.mark.parametrize("hvem", ["forloebsmedarbejder", "fremmed", "erhvervschef"])
def test_only_a_caseworker_on_the_case_approves_a_write_off(pilot, forloeb, hvem):
    laan = udbetalt_laan(pilot, forloeb)
    kollega = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)
    livsforloeb.indstil_afskrivning(bruger=kollega, laan=laan, begrundelse=AFSKRIVNING)

    with pytest.raises(PermissionDenied):
        livsforloeb.afskriv(bruger=getattr(pilot, hvem), laan=laan)


def test_a_write_off_nobody_proposed_is_not_approved(pilot, forloeb):
    laan = udbetalt_laan(pilot, forloeb)

    with pytest.raises(PermissionDenied):
        livsforloeb.afskriv(bruger=pilot.sagsbehandler, laan=laan)

    laan.refresh_from_db()
    assert laan.status == S.UDBETALT


@pytest.mark.parametrize("begrundelse", ["", " "])
def test_a_write_off_proposal_needs_a_reason(pilot, forloeb, begrundelse):
    laan = udbetalt_laan(pilot, forloeb)

    with pytest.raises(ValidationError) as fejl:
        livsforloeb.indstil_afskrivning(
            bruger=pilot.forloebsmedarbejder, laan=laan, begrundelse=begrundelse
        )

    assert fejl.value.message_dict == {"begrundelse": ["Skriv en begrundelse."]}
    laan.refresh_from_db()
    assert laan.afskrivning_indstillet_af is None


def test_only_a_disbursed_loan_is_written_off(pilot, forloeb):
    laan = bevilget_laan(pilot, forloeb)

    with pytest.raises(UlovligOvergang) as fejl:
        livsforloeb.indstil_afskrivning(
            bruger=pilot.forloebsmedarbejder, laan=laan, begrundelse=AFSKRIVNING
        )

    assert fejl.value.messages == ["Et lån kan ikke gå fra Bevilget til Afskrevet."]


@pytest.mark.parametrize("hvem", ["fremmed", "erhvervschef", "administrator"])
def test_only_the_people_on_the_case_propose_a_write_off(pilot, forloeb, hvem):
    laan = udbetalt_laan(pilot, forloeb)

    with pytest.raises(PermissionDenied):
        livsforloeb.indstil_afskrivning(
            bruger=getattr(pilot, hvem), laan=laan, begrundelse=AFSKRIVNING
        )


# --- The record of every move ----------------------------------------------------------------


def test_every_move_of_a_loan_is_recorded_with_who_from_to_and_why(pilot, forloeb):
    fm, sb = pilot.forloebsmedarbejder, pilot.sagsbehandler
    kollega = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)
    laan = bevilget_laan(pilot, forloeb)
    livsforloeb.fortryd_bevilling(bruger=kollega, laan=laan, begrundelse="Forkert beløb.")
    livsforloeb.bevilg(bruger=kollega, laan=laan)
    livsforloeb.udbetal(bruger=fm, laan=laan, dato=timezone.localdate())
    livsforloeb.indstil_afskrivning(bruger=sb, laan=laan, begrundelse=AFSKRIVNING)
    livsforloeb.afskriv(bruger=kollega, laan=laan)

    assert gange(laan) == [
        ("", S.ANSOEGT, fm, ""),
        (S.ANSOEGT, S.BEVILGET, sb, ""),
        (S.BEVILGET, S.ANSOEGT, kollega, "Forkert beløb."),
        (S.ANSOEGT, S.BEVILGET, kollega, ""),
        (S.BEVILGET, S.UDBETALT, fm, ""),
        (S.UDBETALT, S.AFSKREVET, kollega, AFSKRIVNING),
    ]
    assert all(g.tidspunkt is not None for g in Sagsgang.objects.filter(laan=laan))


# --- The transition table ------------------------------------------------------------------

LOVLIGE = {
    (S.ANSOEGT, S.BEVILGET),
    (S.ANSOEGT, S.AFSLAAET),
    (S.ANSOEGT, S.TILBAGETRUKKET),
    (S.BEVILGET, S.UDBETALT),
    (S.BEVILGET, S.ANSOEGT),  # undoing an approval made by mistake
    (S.UDBETALT, S.INDFRIET),
    (S.UDBETALT, S.AFSKREVET),
    (S.INDFRIET, S.UDBETALT),  # reversing the payment that completed the loan
}


@pytest.mark.parametrize(("fra", "til"), list(itertools.product(S, S)))
def test_the_transition_table_allows_exactly_the_moves_of_a_loans_life(fra, til):
    laan = Laan(status=fra)

    assert laan.kan_skifte_til(til) == ((fra, til) in LOVLIGE)
    if (fra, til) in LOVLIGE:
        laan.skift_status(til)
        assert laan.status == til
    else:
        with pytest.raises(UlovligOvergang) as fejl:
            laan.skift_status(til)
        assert fejl.value.messages == [f"Et lån kan ikke gå fra {fra.label} til {til.label}."]
        assert laan.status == fra


def test_every_status_has_a_row_in_the_table():
    assert set(Laan.OVERGANGE) == set(S)


def test_the_granted_statuses_are_the_ones_the_database_requires_an_approver_for():
    (begraensning,) = (c for c in Laan._meta.constraints if c.name == "laan_bevilget_har_bevilger")
    ikke_bevilget, _har_bevilger = begraensning.condition.children
    assert ikke_bevilget[0] == "status__in"
    assert set(ikke_bevilget[1]) == set(S) - set(Laan.BEVILGEDE)
