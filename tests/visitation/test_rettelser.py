"""Corrections of the intake (issue 9, point 3): withdraw a referral, take a citizen off the
waiting list, hand the case to another caseworker, and the referral's side of reopening a
discharge. Each has its allowed case, its refusals with nothing saved, its history row and its
notification."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forloeb.paamindelser import send_paamindelser
from forloeb.services.indskrivning import indskriv, visitation_underskriv
from mikrolaan.konti.models import Rolle
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from mikrolaan.revision.models import UforanderligError
from mikrolaan.statusmaskine import UlovligOvergang
from oversigt.arbejdslister import mine_borgere
from tests.byg.fabrikker import BrugerFactory
from tests.byg.sager import (
    faser,
    henvis,
    lav_borger,
    lav_forloeb,
    lav_pladsaftale,
    optag,
    udskriv,
    visiter,
)
from tests.byg.tid import DAG
from visitation import regler, services
from visitation.models import Henvisning, Henvisningsrettelse, VentelistePlads

pytestmark = pytest.mark.django_db

S = Henvisning.Status
GRUND = "Borgeren har fået job og ønsker ikke forløbet."


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot)


def _beskeder(haendelse):
    return Notifikation.objects.filter(haendelse=haendelse)


def _ingen_rettelse_gemt(henvisning: Henvisning, status: str) -> None:
    henvisning.refresh_from_db()
    assert henvisning.status == status
    assert not Henvisningsrettelse.objects.filter(henvisning=henvisning).exists()


def _fuld_aftale_med_koe(pilot, *navne):
    """One place, taken by Anna; the others wait in the order given. Returns the agreement and the
    waiting referrals."""
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    lav_forloeb(pilot, aftale, "Anna")
    ventende = []
    for navn in navne:
        borger = lav_borger(pilot, navn)
        assert optag(pilot, aftale, borger) is None
        ventende.append(Henvisning.objects.get(borger=borger))
    return aftale, ventende


def _koeen(aftale) -> list[tuple[str, int]]:
    return [
        (p.henvisning.borger.fornavn, p.nummer)
        for p in VentelistePlads.objects.ventende()
        .filter(pladsaftale=aftale)
        .select_related("henvisning__borger")
    ]


# --- Withdraw a referral ------------------------------------------------------------------


def test_the_referring_caseworker_withdraws_a_referral_awaiting_visitation(pilot, aftale):
    henvisning = henvis(pilot, aftale)

    rettelse = services.traek_henvisning_tilbage(
        bruger=pilot.sagsbehandler, henvisning=henvisning, begrundelse=f"  {GRUND} "
    )

    henvisning.refresh_from_db()
    assert henvisning.status == S.TILBAGETRUKKET
    assert (
        rettelse.handling,
        rettelse.fra_status,
        rettelse.til_status,
        rettelse.begrundelse,
        rettelse.udfoert_af,
    ) == (
        Henvisningsrettelse.Handling.TILBAGETRUKKET,
        S.HENVIST,
        S.TILBAGETRUKKET,
        GRUND,
        pilot.sagsbehandler,
    )
    assert rettelse.tidspunkt is not None


def test_the_providers_course_staff_who_were_told_of_the_referral_are_told_it_is_withdrawn(
    pilot, aftale
):
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    henvisning = henvis(pilot, aftale)
    henvist_til = set(
        _beskeder(Haendelse.HENVISNING_MODTAGET).values_list("modtager__username", flat=True)
    )

    services.traek_henvisning_tilbage(
        bruger=pilot.sagsbehandler, henvisning=henvisning, begrundelse=GRUND
    )

    beskeder = _beskeder(Haendelse.HENVISNING_TILBAGETRUKKET)
    assert set(beskeder.values_list("modtager__username", flat=True)) == henvist_til
    assert henvist_til == {pilot.forloebsmedarbejder.username, kollega.username}
    besked = beskeder.get(modtager=pilot.forloebsmedarbejder)
    assert besked.emne == "Henvisning trukket tilbage: Anna Jensen"
    assert besked.tekst == (
        "Jobcenter Vallensbæk har trukket henvisningen af Anna Jensen til Mikrolån Næstved 2026 "
        f"tilbage.\nBegrundelse: {GRUND}"
    )
    assert besked.link == f"/visitation/henvisninger/{henvisning.pk}/"
    assert besked.noegle == f"henvisning:{henvisning.pk}:tilbagetrukket"


def test_a_referral_withdrawn_before_the_second_signature_can_no_longer_be_signed(pilot, aftale):
    henvisning = henvis(pilot, aftale)
    visitation = visiter(pilot, henvisning)  # Næstved has signed, the jobcenter has not

    services.traek_henvisning_tilbage(
        bruger=pilot.sagsbehandler, henvisning=henvisning, begrundelse=GRUND
    )

    visitation.refresh_from_db()
    assert not regler.kan_underskrive(pilot.sagsbehandler, visitation, [])
    with pytest.raises(ValidationError) as fejl:
        visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
    assert fejl.value.messages == [
        "Henvisningen er trukket tilbage, så visitationen kan ikke underskrives."
    ]
    henvisning.refresh_from_db()
    assert henvisning.status == S.TILBAGETRUKKET
    assert visitation.underskrifter.count() == 1
    # Næstved, who signed, hears of the withdrawal too.
    assert (
        _beskeder(Haendelse.HENVISNING_TILBAGETRUKKET)
        .filter(modtager=pilot.forloebsmedarbejder)
        .exists()
    )


def test_withdrawing_a_waiting_referral_gives_up_its_place_in_the_queue(pilot):
    aftale, (bo, carl) = _fuld_aftale_med_koe(pilot, "Bo", "Carl")
    assert _koeen(aftale) == [("Bo", 1), ("Carl", 2)]

    services.traek_henvisning_tilbage(bruger=pilot.sagsbehandler, henvisning=bo, begrundelse=GRUND)

    assert _koeen(aftale) == [("Carl", 1)]
    assert VentelistePlads.objects.get(henvisning=bo).afsluttet is not None
    assert VentelistePlads.objects.get(henvisning=carl).position == 1


def test_a_citizen_whose_referral_is_withdrawn_can_be_referred_again(pilot, aftale):
    henvisning = henvis(pilot, aftale)
    services.traek_henvisning_tilbage(
        bruger=pilot.sagsbehandler, henvisning=henvisning, begrundelse=GRUND
    )
    assert not regler.har_aaben_sag(henvisning.borger)

    ny = henvis(pilot, aftale, henvisning.borger)

    assert ny.status == S.HENVIST
    assert regler.har_aaben_sag(henvisning.borger)


@pytest.mark.parametrize("udfald", ["optaget", "afvist"])
def test_a_decided_referral_cannot_be_withdrawn_and_nothing_is_saved(pilot, aftale, udfald):
    henvisning = henvis(pilot, aftale)
    visitation = visiter(pilot, henvisning, udfald, afvisningsgrund="Ikke klar")
    visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
    henvisning.refresh_from_db()
    status = henvisning.status
    assert status == udfald

    with pytest.raises(ValidationError) as fejl:
        services.traek_henvisning_tilbage(
            bruger=pilot.sagsbehandler, henvisning=henvisning, begrundelse=GRUND
        )

    assert fejl.value.messages == [
        f"Henvisningen kan ikke længere trækkes tilbage (status: {S(status).label}). "
        "Et forløb afsluttes med en udskrivning."
    ]
    _ingen_rettelse_gemt(henvisning, status)
    assert not _beskeder(Haendelse.HENVISNING_TILBAGETRUKKET).exists()


@pytest.mark.parametrize("rolle", ["forloebsmedarbejder", "erhvervschef", "fremmed"])
def test_only_a_caseworker_of_the_referring_jobcenter_may_withdraw(pilot, aftale, rolle):
    henvisning = henvis(pilot, aftale)

    with pytest.raises(PermissionDenied):
        services.traek_henvisning_tilbage(
            bruger=getattr(pilot, rolle), henvisning=henvisning, begrundelse=GRUND
        )

    _ingen_rettelse_gemt(henvisning, S.HENVIST)


def test_a_colleague_at_the_referring_jobcenter_may_withdraw(pilot, aftale):
    kollega = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)
    henvisning = henvis(pilot, aftale)

    services.traek_henvisning_tilbage(bruger=kollega, henvisning=henvisning, begrundelse=GRUND)

    henvisning.refresh_from_db()
    assert henvisning.status == S.TILBAGETRUKKET
    # The responsible caseworker hears of it when someone else withdrew it.
    assert (
        _beskeder(Haendelse.HENVISNING_TILBAGETRUKKET).filter(modtager=pilot.sagsbehandler).exists()
    )


def test_a_withdrawal_needs_a_reason(pilot, aftale):
    henvisning = henvis(pilot, aftale)

    with pytest.raises(ValidationError) as fejl:
        services.traek_henvisning_tilbage(
            bruger=pilot.sagsbehandler, henvisning=henvisning, begrundelse="   "
        )

    assert fejl.value.message_dict == {"begrundelse": ["Skriv en begrundelse."]}
    _ingen_rettelse_gemt(henvisning, S.HENVIST)


# --- Remove from the waiting list ---------------------------------------------------------


def test_course_staff_take_the_first_in_line_off_the_list_and_the_others_move_up(pilot):
    aftale, (bo, carl, dorte) = _fuld_aftale_med_koe(pilot, "Bo", "Carl", "Dorte")

    rettelse = services.fjern_fra_venteliste(
        bruger=pilot.forloebsmedarbejder, henvisning=bo, begrundelse=GRUND
    )

    bo.refresh_from_db()
    assert bo.status == S.FJERNET_FRA_VENTELISTE
    assert _koeen(aftale) == [("Carl", 1), ("Dorte", 2)]
    assert [VentelistePlads.objects.get(henvisning=h).position for h in (carl, dorte)] == [1, 2]
    assert (rettelse.handling, rettelse.fra_status, rettelse.til_status, rettelse.udfoert_af) == (
        Henvisningsrettelse.Handling.FJERNET_FRA_VENTELISTE,
        S.VENTELISTE,
        S.FJERNET_FRA_VENTELISTE,
        pilot.forloebsmedarbejder,
    )
    assert rettelse.begrundelse == GRUND


def test_the_next_in_line_after_a_removal_is_the_one_admitted_to_a_freed_place(pilot):
    aftale, (bo, carl) = _fuld_aftale_med_koe(pilot, "Bo", "Carl")
    services.fjern_fra_venteliste(
        bruger=pilot.forloebsmedarbejder, henvisning=bo, begrundelse=GRUND
    )
    anna = aftale.forloeb.get()
    udskriv(pilot, anna, anna.startdato)

    indskriv(bruger=pilot.forloebsmedarbejder, henvisning=carl, fra_venteliste=True)

    carl.refresh_from_db()
    assert carl.status == S.OPTAGET


def test_when_course_staff_remove_a_citizen_the_jobcenter_is_told(pilot):
    _aftale, (bo,) = _fuld_aftale_med_koe(pilot, "Bo")

    services.fjern_fra_venteliste(
        bruger=pilot.forloebsmedarbejder, henvisning=bo, begrundelse=GRUND
    )

    besked = _beskeder(Haendelse.FJERNET_FRA_VENTELISTE).get()
    assert besked.modtager == pilot.sagsbehandler
    assert besked.emne == "Fjernet fra venteliste: Bo Jensen"
    assert besked.tekst == (
        "Næstved Kommune har fjernet Bo Jensen fra ventelisten til Mikrolån Næstved 2026.\n"
        f"Begrundelse: {GRUND}"
    )
    assert besked.noegle == f"henvisning:{bo.pk}:fjernet_fra_venteliste"


def test_when_the_caseworker_removes_a_citizen_the_providers_course_staff_are_told(pilot):
    _aftale, (bo,) = _fuld_aftale_med_koe(pilot, "Bo")

    services.fjern_fra_venteliste(bruger=pilot.sagsbehandler, henvisning=bo, begrundelse=GRUND)

    beskeder = _beskeder(Haendelse.FJERNET_FRA_VENTELISTE)
    assert set(beskeder.values_list("modtager", flat=True)) == {pilot.forloebsmedarbejder.pk}


def test_a_citizen_admitted_from_the_waiting_list_cannot_be_removed_from_it(pilot):
    aftale, (bo,) = _fuld_aftale_med_koe(pilot, "Bo")
    anna = aftale.forloeb.get()
    udskriv(pilot, anna, anna.startdato)
    indskriv(bruger=pilot.forloebsmedarbejder, henvisning=bo, fra_venteliste=True)

    with pytest.raises(ValidationError) as fejl:
        services.fjern_fra_venteliste(
            bruger=pilot.forloebsmedarbejder, henvisning=bo, begrundelse=GRUND
        )

    assert fejl.value.messages == [
        "Borgeren står ikke længere på ventelisten (henvisningens status: Optaget)."
    ]
    _ingen_rettelse_gemt(bo, S.OPTAGET)
    assert not _beskeder(Haendelse.FJERNET_FRA_VENTELISTE).exists()


def test_a_referral_not_yet_on_the_list_cannot_be_removed_from_it(pilot, aftale):
    henvisning = henvis(pilot, aftale)

    with pytest.raises(ValidationError):
        services.fjern_fra_venteliste(
            bruger=pilot.forloebsmedarbejder, henvisning=henvisning, begrundelse=GRUND
        )

    _ingen_rettelse_gemt(henvisning, S.HENVIST)


@pytest.mark.parametrize("rolle", ["erhvervschef", "administrator", "fremmed"])
def test_only_the_parties_case_roles_may_remove_from_the_waiting_list(pilot, rolle):
    _aftale, (bo,) = _fuld_aftale_med_koe(pilot, "Bo")

    with pytest.raises(PermissionDenied):
        services.fjern_fra_venteliste(
            bruger=getattr(pilot, rolle), henvisning=bo, begrundelse=GRUND
        )

    _ingen_rettelse_gemt(bo, S.VENTELISTE)


def test_course_staff_of_another_provider_may_not_remove_from_the_waiting_list(pilot):
    _aftale, (bo,) = _fuld_aftale_med_koe(pilot, "Bo")
    andre = BrugerFactory(organisation=pilot.ishoej, rolle=Rolle.FORLOEBSMEDARBEJDER)

    assert not regler.kan_fjerne_fra_venteliste(andre, bo)
    with pytest.raises(PermissionDenied):
        services.fjern_fra_venteliste(bruger=andre, henvisning=bo, begrundelse=GRUND)


# --- Reassign the case --------------------------------------------------------------------


@pytest.fixture
def kollega(pilot):
    return BrugerFactory(
        organisation=pilot.jobcenter,
        rolle=Rolle.SAGSBEHANDLER,
        first_name="Karin",
        last_name="Kollega",
    )


def test_a_new_referral_is_the_referring_caseworkers_responsibility(pilot, aftale):
    henvisning = henvis(pilot, aftale)

    assert henvisning.sagsbehandler == henvisning.oprettet_af == pilot.sagsbehandler


def test_reassigning_makes_the_colleague_responsible_and_keeps_who_referred(pilot, aftale, kollega):
    henvisning = henvis(pilot, aftale)

    rettelse = services.omfordel(
        bruger=pilot.sagsbehandler,
        henvisning=henvisning,
        ny_sagsbehandler=kollega,
        begrundelse="Barsel",
    )

    henvisning.refresh_from_db()
    assert henvisning.sagsbehandler == kollega
    assert henvisning.oprettet_af == pilot.sagsbehandler
    assert (
        rettelse.handling,
        rettelse.fra_sagsbehandler,
        rettelse.til_sagsbehandler,
        rettelse.fra_status,
        rettelse.til_status,
        rettelse.begrundelse,
    ) == (
        Henvisningsrettelse.Handling.OMFORDELT,
        pilot.sagsbehandler,
        kollega,
        S.HENVIST,
        S.HENVIST,
        "Barsel",
    )


def test_the_new_caseworker_is_told_of_the_reassignment(pilot, aftale, kollega):
    henvisning = henvis(pilot, aftale)
    pilot.sagsbehandler.first_name, pilot.sagsbehandler.last_name = "Sara", "Sagsbehandler"
    pilot.sagsbehandler.save()

    rettelse = services.omfordel(
        bruger=pilot.sagsbehandler,
        henvisning=henvisning,
        ny_sagsbehandler=kollega,
        begrundelse="Barsel",
    )

    besked = _beskeder(Haendelse.HENVISNING_OMFORDELT).get()
    assert besked.modtager == kollega
    assert besked.emne == "Sag omfordelt: Anna Jensen"
    assert besked.tekst == (
        "Sara Sagsbehandler har overdraget sagen om Anna Jensen fra Sara Sagsbehandler til "
        "Karin Kollega.\nBegrundelse: Barsel"
    )
    assert besked.noegle == f"henvisning:{henvisning.pk}:omfordelt:{rettelse.pk}"


def test_the_previous_caseworker_is_told_when_a_colleague_takes_the_case(pilot, aftale, kollega):
    henvisning = henvis(pilot, aftale)

    services.omfordel(
        bruger=kollega, henvisning=henvisning, ny_sagsbehandler=kollega, begrundelse="Overtager"
    )

    modtagere = set(_beskeder(Haendelse.HENVISNING_OMFORDELT).values_list("modtager", flat=True))
    assert modtagere == {pilot.sagsbehandler.pk}


def test_a_case_handed_over_twice_is_told_each_time(pilot, aftale, kollega):
    henvisning = henvis(pilot, aftale)
    services.omfordel(
        bruger=pilot.sagsbehandler, henvisning=henvisning, ny_sagsbehandler=kollega, begrundelse="1"
    )
    services.omfordel(
        bruger=kollega, henvisning=henvisning, ny_sagsbehandler=pilot.sagsbehandler, begrundelse="2"
    )

    assert _beskeder(Haendelse.HENVISNING_OMFORDELT).count() == 2
    assert [r.til_sagsbehandler for r in henvisning.rettelser.all()] == [
        kollega,
        pilot.sagsbehandler,
    ]


def test_after_reassignment_reminders_and_my_citizens_follow_the_new_caseworker(
    pilot, aftale, kollega
):
    forloeb = lav_forloeb(pilot, aftale)
    services.omfordel(
        bruger=pilot.sagsbehandler,
        henvisning=forloeb.henvisning,
        ny_sagsbehandler=kollega,
        begrundelse="Barsel",
    )
    slut = faser(forloeb)["opkvalificering"].planlagt_slut

    send_paamindelser(idag=slut - 3 * DAG)

    paamindet = set(_beskeder(Haendelse.PAAMINDELSE).values_list("modtager", flat=True))
    assert kollega.pk in paamindet
    assert pilot.sagsbehandler.pk not in paamindet
    # "Mine borgere" filtered by caseworker lists the citizen under the new one only.
    assert list(mine_borgere(bruger=kollega, sagsbehandler=kollega.pk)) == [forloeb.borger]
    assert not mine_borgere(bruger=pilot.sagsbehandler, sagsbehandler=pilot.sagsbehandler.pk)


def test_the_admission_is_told_to_the_responsible_caseworker_not_the_referrer(
    pilot, aftale, kollega
):
    henvisning = henvis(pilot, aftale)
    services.omfordel(
        bruger=pilot.sagsbehandler,
        henvisning=henvisning,
        ny_sagsbehandler=kollega,
        begrundelse="Barsel",
    )
    # Næstved records and signs; the colleague signs for the jobcenter and so admits.
    visitation = visiter(pilot, henvisning)
    Notifikation.objects.all().delete()

    visitation_underskriv(bruger=kollega, visitation=visitation)

    modtagere = set(_beskeder(Haendelse.INDSKREVET).values_list("modtager", flat=True))
    assert kollega.pk in modtagere
    assert pilot.sagsbehandler.pk not in modtagere


@pytest.mark.parametrize(
    "hvem",
    ["samme", "fremmed", "forloebsmedarbejder", "inaktiv"],
)
def test_a_case_is_handed_only_to_another_active_caseworker_of_the_same_jobcenter(
    pilot, aftale, hvem
):
    henvisning = henvis(pilot, aftale)
    ny = {
        "samme": pilot.sagsbehandler,
        "fremmed": pilot.fremmed,
        "forloebsmedarbejder": pilot.forloebsmedarbejder,
        "inaktiv": BrugerFactory(
            organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER, is_active=False
        ),
    }[hvem]

    with pytest.raises(ValidationError) as fejl:
        services.omfordel(
            bruger=pilot.sagsbehandler, henvisning=henvisning, ny_sagsbehandler=ny, begrundelse="x"
        )

    assert fejl.value.message_dict == {
        "ny_sagsbehandler": ["Vælg en anden aktiv sagsbehandler fra Jobcenter Vallensbæk."]
    }
    henvisning.refresh_from_db()
    assert henvisning.sagsbehandler == pilot.sagsbehandler
    assert not henvisning.rettelser.exists()
    assert not _beskeder(Haendelse.HENVISNING_OMFORDELT).exists()


@pytest.mark.parametrize("rolle", ["forloebsmedarbejder", "erhvervschef", "fremmed"])
def test_only_a_caseworker_of_the_referring_jobcenter_may_reassign(pilot, aftale, kollega, rolle):
    henvisning = henvis(pilot, aftale)

    with pytest.raises(PermissionDenied):
        services.omfordel(
            bruger=getattr(pilot, rolle),
            henvisning=henvisning,
            ny_sagsbehandler=kollega,
            begrundelse="x",
        )

    henvisning.refresh_from_db()
    assert henvisning.sagsbehandler == pilot.sagsbehandler


def test_a_withdrawn_referral_cannot_be_reassigned(pilot, aftale, kollega):
    henvisning = henvis(pilot, aftale)
    services.traek_henvisning_tilbage(
        bruger=pilot.sagsbehandler, henvisning=henvisning, begrundelse=GRUND
    )

    with pytest.raises(ValidationError) as fejl:
        services.omfordel(
            bruger=pilot.sagsbehandler,
            henvisning=henvisning,
            ny_sagsbehandler=kollega,
            begrundelse="Barsel",
        )

    assert fejl.value.messages == [
        "Sagen kan ikke omfordeles (henvisningens status: Trukket tilbage)."
    ]
    henvisning.refresh_from_db()
    assert henvisning.sagsbehandler == pilot.sagsbehandler
    assert henvisning.rettelser.count() == 1


def test_an_ended_programme_can_still_be_reassigned_for_its_follow_ups(pilot, aftale, kollega):
    forloeb = lav_forloeb(pilot, aftale)
    udskriv(pilot, forloeb, forloeb.startdato)

    services.omfordel(
        bruger=pilot.sagsbehandler,
        henvisning=forloeb.henvisning,
        ny_sagsbehandler=kollega,
        begrundelse="Barsel",
    )

    forloeb.henvisning.refresh_from_db()
    assert forloeb.henvisning.sagsbehandler == kollega


def test_a_reassignment_needs_a_reason(pilot, aftale, kollega):
    henvisning = henvis(pilot, aftale)

    with pytest.raises(ValidationError) as fejl:
        services.omfordel(
            bruger=pilot.sagsbehandler,
            henvisning=henvisning,
            ny_sagsbehandler=kollega,
            begrundelse="",
        )

    assert fejl.value.message_dict == {"begrundelse": ["Skriv en begrundelse."]}


# --- The history row ----------------------------------------------------------------------


def test_a_correction_in_the_history_cannot_be_changed_or_deleted(pilot, aftale):
    henvisning = henvis(pilot, aftale)
    rettelse = services.traek_henvisning_tilbage(
        bruger=pilot.sagsbehandler, henvisning=henvisning, begrundelse=GRUND
    )

    rettelse.begrundelse = "Noget andet"
    with pytest.raises(UforanderligError):
        rettelse.save()
    with pytest.raises(UforanderligError):
        rettelse.delete()
    assert Henvisningsrettelse.objects.get().begrundelse == GRUND


# --- Reopening a discharge: the referral's side -------------------------------------------


def test_a_discharged_referral_holds_its_place_again_when_reopened(pilot, aftale):
    forloeb = lav_forloeb(pilot, aftale)
    udskriv(pilot, forloeb, forloeb.startdato)
    henvisning = forloeb.henvisning
    henvisning.refresh_from_db()
    assert henvisning.status == S.AFSLUTTET
    optagne_foer = type(aftale).objects.med_belaegning().get(pk=aftale.pk).optagne

    gemt = services.genoptag_plads(henvisning=henvisning)

    assert gemt.status == henvisning.status == S.OPTAGET
    henvisning.refresh_from_db()
    assert henvisning.status == S.OPTAGET
    assert type(aftale).objects.med_belaegning().get(pk=aftale.pk).optagne == optagne_foer + 1


def test_reopening_is_refused_when_the_citizen_has_been_referred_again(pilot, aftale):
    forloeb = lav_forloeb(pilot, aftale)
    udskriv(pilot, forloeb, forloeb.startdato)
    henvis(pilot, aftale, forloeb.borger)

    with pytest.raises(ValidationError) as fejl:
        services.genoptag_plads(henvisning=forloeb.henvisning)

    assert fejl.value.messages == [
        "Forløbet kan ikke genoptages: borgeren er henvist igen efter udskrivningen. "
        "Træk den nye henvisning tilbage først."
    ]
    forloeb.henvisning.refresh_from_db()
    assert forloeb.henvisning.status == S.AFSLUTTET


def test_only_a_discharged_referral_can_be_reopened(pilot, aftale):
    henvisning = henvis(pilot, aftale)

    with pytest.raises(UlovligOvergang):
        services.genoptag_plads(henvisning=henvisning)

    henvisning.refresh_from_db()
    assert henvisning.status == S.HENVIST
