"""Corrections of a programme's course (issue 9 point 3): undo the move to the main phase, reopen a
discharge registered by mistake, hand the programme to another course staff member. Each with a
reason, kept in the history (Forloebsrettelse), refused once later steps make it meaningless, and
with the notifications a person would expect."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forloeb.models import (
    Forloeb,
    Forloebsrettelse,
    Opfoelgning,
    Overgangsvurdering,
    Udskrivning,
)
from forloeb.paamindelser import send_paamindelser
from forloeb.services.rettelser import fortryd_hovedforloeb, genaabn_forloeb, omfordel_forloeb
from mikrolaan.konti.models import Rolle
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from mikrolaan.revision.models import UforanderligError
from mikrolaan.statusmaskine import UlovligOvergang
from tests.byg.fabrikker import BrugerFactory
from tests.byg.laan import ansoegt_laan
from tests.byg.sager import (
    PERIODE_2025_2027,
    SKIFTE,
    START,
    faser,
    forlaeng,
    henvis,
    lav_forloeb,
    lav_pladsaftale,
    registrer_opfoelgning,
    til_hovedforloeb,
    udskriv,
)
from tests.byg.tid import DAG, paa
from visitation.models import Henvisning

pytestmark = pytest.mark.django_db

GRUND = "Registreret på den forkerte borger."
S = Forloeb.Status


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot, **PERIODE_2025_2027)  # the tests are set around START


@pytest.fixture
def forloeb(pilot, aftale) -> Forloeb:
    return lav_forloeb(pilot, aftale, startdato=START)


@pytest.fixture
def kollega(pilot):
    """Another course staff member of the provider."""
    return BrugerFactory(
        organisation=pilot.naestved,
        rolle=Rolle.FORLOEBSMEDARBEJDER,
        first_name="Karin",
        last_name="Kollega",
    )


def fortryd(pilot, forloeb, dato, begrundelse=GRUND, *, bruger=None) -> Forloeb:
    with paa(dato):
        fortryd_hovedforloeb(
            bruger=bruger or pilot.forloebsmedarbejder, forloeb=forloeb, begrundelse=begrundelse
        )
    forloeb.refresh_from_db()
    return forloeb


def genaabn(pilot, forloeb, dato, begrundelse=GRUND, *, bruger=None) -> Forloeb:
    with paa(dato):
        genaabn_forloeb(
            bruger=bruger or pilot.forloebsmedarbejder, forloeb=forloeb, begrundelse=begrundelse
        )
    forloeb.refresh_from_db()
    return forloeb


def omfordel(pilot, forloeb, ny, begrundelse="Ferie i tre uger.", *, bruger=None) -> Forloeb:
    omfordel_forloeb(
        bruger=bruger or pilot.forloebsmedarbejder,
        forloeb=forloeb,
        ny_medarbejder=ny,
        begrundelse=begrundelse,
    )
    forloeb.refresh_from_db()
    return forloeb


def beskeder(haendelse, emne_start: str):
    return list(
        Notifikation.objects.filter(haendelse=haendelse, emne__startswith=emne_start).order_by(
            "modtager__username"
        )
    )


# --- Undo the move to the main phase --------------------------------------------------------


def test_course_staff_undo_a_move_to_the_main_phase_within_30_days(pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE - 5 * DAG)
    vurdering = forloeb.overgangsvurdering

    fortryd(pilot, forloeb, SKIFTE + 25 * DAG)

    assert forloeb.status == S.OPKVALIFICERING
    fase = faser(forloeb)
    # The qualifying phase is current again with its planned end; the main phase is planned from
    # that end, as admission plans it, and has not begun.
    assert fase["opkvalificering"].faktisk_slut is None
    assert fase["opkvalificering"].planlagt_slut == SKIFTE
    assert (fase["hovedforloeb"].planlagt_start, fase["hovedforloeb"].faktisk_start) == (
        SKIFTE,
        None,
    )
    assert fase["hovedforloeb"].planlagt_slut == START.replace(year=2027)
    # The assessment stays in the history, annulled.
    vurdering.refresh_from_db()
    assert (vurdering.forloeb, vurdering.annulleret_forloeb) == (None, forloeb)
    assert not hasattr(Forloeb.objects.get(pk=forloeb.pk), "overgangsvurdering")


def test_undoing_the_move_is_kept_in_the_history_with_who_when_and_why(pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)

    fortryd(pilot, forloeb, SKIFTE + DAG)

    rettelse = Forloebsrettelse.objects.get()
    assert rettelse.handling == Forloebsrettelse.Handling.HOVEDFORLOEB_FORTRUDT
    assert (rettelse.fra_status, rettelse.til_status) == (S.HOVEDFORLOEB, S.OPKVALIFICERING)
    assert (rettelse.udfoert_af, rettelse.begrundelse) == (pilot.forloebsmedarbejder, GRUND)
    assert rettelse.overgangsvurdering.annulleret_forloeb == forloeb


def test_the_caseworker_is_told_that_the_move_was_undone(pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)

    fortryd(pilot, forloeb, SKIFTE + DAG)

    (besked,) = beskeder(Haendelse.FASESKIFT, "Tilbage i det opkvalificerende forløb")
    assert besked.modtager == pilot.sagsbehandler
    assert besked.emne == "Tilbage i det opkvalificerende forløb: Anna Jensen"
    assert GRUND in besked.tekst
    assert "planlagt til at slutte 15.07.2026" in besked.tekst
    assert besked.link == f"/forloeb/{forloeb.pk}/"


def test_after_an_undo_the_move_needs_a_new_assessment_and_can_be_made_again(pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)
    fortryd(pilot, forloeb, SKIFTE + DAG)

    til_hovedforloeb(pilot, forloeb, SKIFTE + 10 * DAG, anbefaling="Nu er hun klar.")

    assert forloeb.status == S.HOVEDFORLOEB
    assert forloeb.overgangsvurdering.anbefaling == "Nu er hun klar."
    assert Overgangsvurdering.objects.count() == 2
    assert faser(forloeb)["hovedforloeb"].faktisk_start == SKIFTE + 10 * DAG


def test_the_move_cannot_be_undone_after_30_days_in_the_main_phase(pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)

    with pytest.raises(ValidationError) as fejl:
        fortryd(pilot, forloeb, SKIFTE + 31 * DAG)

    assert fejl.value.messages == [
        "Overgangen kan kun fortrydes i 30 dage. Hovedforløbet begyndte 15.07.2026."
    ]
    assert forloeb.status == S.HOVEDFORLOEB
    assert not Forloebsrettelse.objects.exists()


def test_the_move_cannot_be_undone_once_a_loan_has_been_applied_for(pilot, forloeb):
    # laan registers this check with forloeb (laan.apps): forloeb does not import laan.
    til_hovedforloeb(pilot, forloeb, SKIFTE)
    ansoegt_laan(pilot, forloeb, dato=SKIFTE + DAG)

    with pytest.raises(ValidationError) as fejl:
        fortryd(pilot, forloeb, SKIFTE + 2 * DAG)

    assert fejl.value.messages == [
        "Der er søgt om et mikrolån i hovedforløbet, så overgangen kan ikke fortrydes."
    ]
    assert forloeb.status == S.HOVEDFORLOEB


def test_the_move_cannot_be_undone_once_the_main_phase_has_been_extended(pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)
    forlaeng(pilot, faser(forloeb)["hovedforloeb"], START.replace(year=2027) + 30 * DAG)

    with pytest.raises(ValidationError, match="Hovedforløbet er forlænget"):
        fortryd(pilot, forloeb, SKIFTE + DAG)

    assert forloeb.status == S.HOVEDFORLOEB


@pytest.mark.parametrize("begrundelse", ["", "   "])
def test_undoing_the_move_needs_a_reason(pilot, forloeb, begrundelse):
    til_hovedforloeb(pilot, forloeb, SKIFTE)

    with pytest.raises(ValidationError) as fejl:
        fortryd(pilot, forloeb, SKIFTE + DAG, begrundelse)

    assert fejl.value.message_dict == {"begrundelse": ["Skriv en begrundelse for rettelsen."]}
    assert forloeb.status == S.HOVEDFORLOEB


@pytest.mark.parametrize("status", [S.OPKVALIFICERING, S.AFSLUTTET, S.AFBRUDT])
def test_only_a_programme_in_the_main_phase_can_go_back(pilot, forloeb, status):
    if status == S.AFSLUTTET:
        til_hovedforloeb(pilot, forloeb, SKIFTE)
        udskriv(pilot, forloeb, SKIFTE + DAG, Udskrivning.Aarsag.UDEN_VIRKSOMHED)
    elif status == S.AFBRUDT:
        udskriv(pilot, forloeb, START + DAG)

    with pytest.raises(UlovligOvergang) as fejl:
        fortryd(pilot, forloeb, SKIFTE + 2 * DAG)

    assert fejl.value.messages == [
        f"Et forløb kan ikke gå fra {status.label} til {S.OPKVALIFICERING.label}."
    ]
    assert forloeb.status == status


def test_only_the_providers_course_staff_may_undo_the_move(pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)
    andetsteds = BrugerFactory(organisation=pilot.fremmed_org, rolle=Rolle.FORLOEBSMEDARBEJDER)
    for bruger in (pilot.sagsbehandler, pilot.erhvervschef, pilot.administrator, andetsteds):
        with pytest.raises(PermissionDenied):
            fortryd(pilot, forloeb, SKIFTE + DAG, bruger=bruger)
    assert forloeb.status == S.HOVEDFORLOEB


# --- Reopen a discharge registered by mistake ----------------------------------------------


def test_the_person_who_discharged_reopens_the_programme_in_the_phase_it_was_in(pilot, forloeb):
    udskrivning = udskriv(pilot, forloeb, START + 10 * DAG)  # from the qualifying phase: afbrudt

    genaabn(pilot, forloeb, START + 12 * DAG)

    assert forloeb.status == S.OPKVALIFICERING
    assert faser(forloeb)["opkvalificering"].faktisk_slut is None
    assert Henvisning.objects.get(pk=forloeb.henvisning_id).status == Henvisning.Status.OPTAGET
    # The follow-ups the discharge planned are gone; the discharge is kept, annulled.
    assert not Opfoelgning.objects.filter(forloeb=forloeb).exists()
    udskrivning.refresh_from_db()
    assert (udskrivning.forloeb, udskrivning.annulleret_forloeb) == (None, forloeb)
    assert not hasattr(Forloeb.objects.get(pk=forloeb.pk), "udskrivning")


def test_a_completed_programme_is_reopened_in_the_main_phase(pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)
    udskriv(pilot, forloeb, SKIFTE + 10 * DAG, Udskrivning.Aarsag.UDEN_VIRKSOMHED)

    genaabn(pilot, forloeb, SKIFTE + 11 * DAG)

    assert forloeb.status == S.HOVEDFORLOEB
    fase = faser(forloeb)
    assert fase["hovedforloeb"].faktisk_slut is None
    assert fase["opkvalificering"].faktisk_slut == SKIFTE


def test_reopening_is_kept_in_the_history_and_a_later_discharge_is_possible(pilot, forloeb):
    foerste = udskriv(pilot, forloeb, START + 10 * DAG)
    genaabn(pilot, forloeb, START + 12 * DAG)

    anden = udskriv(pilot, forloeb, START + 20 * DAG, Udskrivning.Aarsag.SYGDOM)

    rettelse = Forloebsrettelse.objects.get()
    assert rettelse.handling == Forloebsrettelse.Handling.UDSKRIVNING_ANNULLERET
    assert (rettelse.fra_status, rettelse.til_status) == (S.AFBRUDT, S.OPKVALIFICERING)
    assert (rettelse.udskrivning, rettelse.begrundelse) == (foerste, GRUND)
    assert rettelse.udfoert_af == pilot.forloebsmedarbejder
    assert Forloeb.objects.get(pk=forloeb.pk).udskrivning == anden
    assert list(forloeb.annullerede_udskrivninger.all()) == [foerste]
    assert Opfoelgning.objects.filter(forloeb=forloeb).count() == 3


def test_the_erhvervschef_and_the_people_on_the_case_are_told_of_the_reopening(pilot, forloeb):
    udskriv(pilot, forloeb, START + 10 * DAG)

    genaabn(pilot, forloeb, START + 12 * DAG)

    annulleret = beskeder(Haendelse.UDSKREVET, "Udskrivning annulleret")
    assert [b.modtager for b in annulleret] == [pilot.erhvervschef, pilot.sagsbehandler]
    chefens, sagsbehandlerens = annulleret
    assert chefens.emne == "Udskrivning annulleret: Anna Jensen"
    assert chefens.tekst == (
        "Udskrivningen af Anna Jensen fra Mikrolån Næstved 2026 25.01.2026 er annulleret, fordi "
        "den var registreret ved en fejl. Borgeren er igen i forløbet (opkvalificering). "
        "1 af 2 pladser er nu i brug."
    )
    # The reason may hold personal details: the case's people get it, the Erhvervschef does not.
    assert GRUND not in chefens.tekst
    assert chefens.link == reverse("visitation:pladsaftale", args=[forloeb.pladsaftale_id])
    assert GRUND in sagsbehandlerens.tekst
    assert sagsbehandlerens.link == f"/forloeb/{forloeb.pk}/"


def test_an_administrator_of_the_provider_may_reopen_a_colleagues_discharge(pilot, forloeb):
    udskriv(pilot, forloeb, START + 10 * DAG)
    administrator = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.ADMINISTRATOR)

    genaabn(pilot, forloeb, START + 12 * DAG, bruger=administrator)

    assert forloeb.status == S.OPKVALIFICERING
    assert Forloebsrettelse.objects.get().udfoert_af == administrator


def test_no_one_else_may_reopen_a_discharge(pilot, forloeb, kollega):
    udskriv(pilot, forloeb, START + 10 * DAG)
    for bruger in (kollega, pilot.sagsbehandler, pilot.erhvervschef, pilot.administrator):
        with pytest.raises(PermissionDenied):
            genaabn(pilot, forloeb, START + 12 * DAG, bruger=bruger)
    assert forloeb.status == S.AFBRUDT
    assert not Forloebsrettelse.objects.exists()


def test_a_discharge_cannot_be_reopened_more_than_30_days_after_it_was_registered(pilot, forloeb):
    udskriv(pilot, forloeb, START + 10 * DAG)

    with pytest.raises(ValidationError) as fejl:
        genaabn(pilot, forloeb, START + 41 * DAG)

    assert fejl.value.messages == [
        "En udskrivning kan kun annulleres i 30 dage. Den blev registreret 25.01.2026."
    ]
    assert forloeb.status == S.AFBRUDT
    # ... counted from the registration, not from the discharge date it names.
    genaabn(pilot, forloeb, START + 40 * DAG)
    assert forloeb.status == S.OPKVALIFICERING


def test_a_discharge_with_a_recorded_follow_up_cannot_be_reopened(pilot, forloeb):
    # Registered today for a discharge dated three months ago: the follow-up is already due.
    udskriv(pilot, forloeb, START + 10 * DAG, idag=START + 110 * DAG)
    opfoelgning = Opfoelgning.objects.get(forloeb=forloeb, maaneder=3)
    registrer_opfoelgning(pilot, opfoelgning, START + 111 * DAG)

    with pytest.raises(ValidationError, match="registreret en opfølgning"):
        genaabn(pilot, forloeb, START + 112 * DAG)

    assert forloeb.status == S.AFBRUDT
    assert Opfoelgning.objects.filter(forloeb=forloeb).count() == 3


def test_reopening_needs_a_reason(pilot, forloeb):
    udskriv(pilot, forloeb, START + 10 * DAG)

    with pytest.raises(ValidationError) as fejl:
        genaabn(pilot, forloeb, START + 12 * DAG, " ")

    assert fejl.value.message_dict == {"begrundelse": ["Skriv en begrundelse for rettelsen."]}
    assert forloeb.status == S.AFBRUDT


def test_a_programme_that_was_not_discharged_cannot_be_reopened(pilot, forloeb):
    with pytest.raises(ValidationError, match="Forløbet er ikke udskrevet."):
        genaabn(pilot, forloeb, START + 12 * DAG)


def test_the_reopened_programme_takes_the_place_again_only_when_one_is_free(pilot):
    aftale = lav_pladsaftale(pilot, antal_pladser=1, **PERIODE_2025_2027)
    anna = lav_forloeb(pilot, aftale, startdato=START)
    udskriv(pilot, anna, START + 5 * DAG)
    bo = lav_forloeb(pilot, aftale, "Bo", "Berg", startdato=START + 6 * DAG)

    # Bo has the only place now.
    with pytest.raises(ValidationError) as fejl:
        genaabn(pilot, anna, START + 7 * DAG)
    assert fejl.value.messages == [
        "Forløbet kan ikke genåbnes: pladsaftalen er fuld (1 af 1 pladser er i brug). Borgeren "
        "kan henvises igen, eller der kan frigøres en plads."
    ]
    assert anna.status == S.AFBRUDT
    assert Henvisning.objects.get(pk=anna.henvisning_id).status == Henvisning.Status.AFSLUTTET

    # Once Bo leaves, the place is free and Anna takes it again.
    udskriv(pilot, bo, START + 8 * DAG)
    genaabn(pilot, anna, START + 9 * DAG)
    assert anna.status == S.OPKVALIFICERING
    assert Forloeb.objects.filter(pladsaftale=aftale, status__in=Forloeb.AKTIVE).count() == 1


def test_a_citizen_referred_again_since_the_discharge_cannot_have_it_reopened(
    pilot, aftale, forloeb
):
    udskriv(pilot, forloeb, START + 10 * DAG)
    with paa(START + 11 * DAG):
        henvis(pilot, aftale, forloeb.borger)

    with pytest.raises(ValidationError, match="henvist igen"):
        genaabn(pilot, forloeb, START + 12 * DAG)

    assert forloeb.status == S.AFBRUDT


# --- Hand the programme to a colleague -----------------------------------------------------


def test_the_course_staff_member_who_signed_the_visitation_is_responsible_from_admission(
    pilot, forloeb
):
    # The caseworker's signature admitted the citizen; Næstved's signer runs the programme.
    assert forloeb.oprettet_af == pilot.sagsbehandler
    assert forloeb.forloebsmedarbejder == pilot.forloebsmedarbejder


def test_course_staff_hand_a_programme_to_a_colleague_who_is_told(pilot, forloeb, kollega):
    omfordel(pilot, forloeb, kollega)

    assert forloeb.forloebsmedarbejder == kollega
    rettelse = Forloebsrettelse.objects.get()
    assert rettelse.handling == Forloebsrettelse.Handling.OMFORDELT
    assert (rettelse.fra_medarbejder, rettelse.til_medarbejder) == (
        pilot.forloebsmedarbejder,
        kollega,
    )
    assert (rettelse.fra_status, rettelse.til_status) == (S.OPKVALIFICERING, S.OPKVALIFICERING)
    assert rettelse.begrundelse == "Ferie i tre uger."
    (besked,) = beskeder(Haendelse.PAAMINDELSE, "Forløb overdraget")
    assert besked.modtager == kollega
    assert besked.emne == "Forløb overdraget til dig: Anna Jensen"
    assert besked.tekst == (
        f"{pilot.forloebsmedarbejder} har overdraget forløbet for Anna Jensen til dig: "
        "Ferie i tre uger."
    )


def test_the_phase_reminders_follow_the_responsible_course_staff_member(pilot, forloeb, kollega):
    omfordel(pilot, forloeb, kollega)

    send_paamindelser(idag=SKIFTE - 5 * DAG)

    modtagere = set(
        Notifikation.objects.filter(noegle__startswith="paamindelse:fase:").values_list(
            "modtager__username", flat=True
        )
    )
    assert modtagere == {kollega.username, pilot.sagsbehandler.username}


@pytest.mark.parametrize(
    ("hvem", "besked"),
    [
        ("sagsbehandler", "Forløbet kan kun omfordeles til en forløbsmedarbejder hos Næstved"),
        ("andetsteds", "Forløbet kan kun omfordeles til en forløbsmedarbejder hos Næstved"),
        ("samme", "har allerede forløbet."),
    ],
)
def test_a_programme_is_handed_only_to_another_course_staff_member_of_the_provider(
    pilot, forloeb, hvem, besked
):
    ny = {
        "sagsbehandler": pilot.sagsbehandler,
        "andetsteds": BrugerFactory(
            organisation=pilot.fremmed_org, rolle=Rolle.FORLOEBSMEDARBEJDER
        ),
        "samme": pilot.forloebsmedarbejder,
    }[hvem]

    with pytest.raises(ValidationError) as fejl:
        omfordel(pilot, forloeb, ny)

    assert besked in fejl.value.message_dict["ny_medarbejder"][0]
    assert forloeb.forloebsmedarbejder == pilot.forloebsmedarbejder
    assert not Forloebsrettelse.objects.exists()


def test_handing_on_needs_a_reason_and_an_active_programme(pilot, forloeb, kollega):
    with pytest.raises(ValidationError) as fejl:
        omfordel(pilot, forloeb, kollega, "")
    assert fejl.value.message_dict == {"begrundelse": ["Skriv en begrundelse for rettelsen."]}

    udskriv(pilot, forloeb, START + DAG)
    with pytest.raises(ValidationError, match="Forløbet er afbrudt og kan ikke omfordeles."):
        omfordel(pilot, forloeb, kollega)
    assert not Forloebsrettelse.objects.exists()


def test_a_caseworker_may_not_hand_on_a_programme(pilot, forloeb, kollega):
    with pytest.raises(PermissionDenied):
        omfordel(pilot, forloeb, kollega, bruger=pilot.sagsbehandler)
    forloeb.refresh_from_db()
    assert forloeb.forloebsmedarbejder == pilot.forloebsmedarbejder


def test_a_correction_in_the_history_cannot_be_changed_or_deleted(pilot, forloeb, kollega):
    omfordel(pilot, forloeb, kollega)
    rettelse = Forloebsrettelse.objects.get()

    rettelse.begrundelse = "Noget andet"
    with pytest.raises(UforanderligError):
        rettelse.save()
    with pytest.raises(UforanderligError):
        rettelse.delete()


# --- Through the programme page ---------------------------------------------------------------


def url(navn, forloeb) -> str:
    return reverse(f"forloeb:{navn}", args=[forloeb.pk])


def send(client, bruger, adresse, data, idag):
    with paa(idag):
        client.force_login(bruger)
        return client.post(adresse, data)


def hent(client, bruger, adresse, idag):
    with paa(idag):
        client.force_login(bruger)
        return client.get(adresse)


def test_course_staff_undo_the_move_through_the_page(client, pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)
    side = hent(client, pilot.forloebsmedarbejder, url("detalje", forloeb), SKIFTE + DAG)
    assert f'action="{url("fortryd_hovedforloeb", forloeb)}"' in side.content.decode()

    svar = send(
        client,
        pilot.forloebsmedarbejder,
        url("fortryd_hovedforloeb", forloeb),
        {"fortryd-begrundelse": GRUND},
        SKIFTE + DAG,
    )

    assert svar.status_code == 302
    forloeb.refresh_from_db()
    assert forloeb.status == S.OPKVALIFICERING
    side = hent(client, pilot.forloebsmedarbejder, url("detalje", forloeb), SKIFTE + DAG)
    html = side.content.decode()
    assert "Overgangen til hovedforløbet er fortrudt" in html
    assert GRUND in html


def test_the_page_says_why_the_move_can_no_longer_be_undone(client, pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)

    side = hent(client, pilot.forloebsmedarbejder, url("detalje", forloeb), SKIFTE + 40 * DAG)

    html = side.content.decode()
    assert "Overgangen kan kun fortrydes i 30 dage. Hovedforløbet begyndte 15.07.2026." in html
    assert f'action="{url("fortryd_hovedforloeb", forloeb)}"' not in html


def test_the_person_who_discharged_reopens_through_the_page(client, pilot, forloeb):
    udskriv(pilot, forloeb, START + 10 * DAG)
    side = hent(client, pilot.forloebsmedarbejder, url("detalje", forloeb), START + 11 * DAG)
    assert f'action="{url("genaabn", forloeb)}"' in side.content.decode()

    svar = send(
        client,
        pilot.forloebsmedarbejder,
        url("genaabn", forloeb),
        {"genaabn-begrundelse": GRUND},
        START + 11 * DAG,
    )

    assert svar.status_code == 302
    forloeb.refresh_from_db()
    assert forloeb.status == S.OPKVALIFICERING


def test_a_refused_reopening_shows_the_danish_reason_on_the_page(client, pilot):
    aftale = lav_pladsaftale(pilot, antal_pladser=1, **PERIODE_2025_2027)
    anna = lav_forloeb(pilot, aftale, startdato=START)
    udskriv(pilot, anna, START + 5 * DAG)
    lav_forloeb(pilot, aftale, "Bo", "Berg", startdato=START + 6 * DAG)

    svar = send(
        client,
        pilot.forloebsmedarbejder,
        url("genaabn", anna),
        {"genaabn-begrundelse": GRUND},
        START + 7 * DAG,
    )

    assert svar.status_code == 200
    html = svar.content.decode()
    assert "pladsaftalen er fuld (1 af 1 pladser er i brug)" in html
    assert "Udskrivningen blev ikke annulleret" in html
    anna.refresh_from_db()
    assert anna.status == S.AFBRUDT


def test_the_caseworker_is_not_offered_the_reopening(client, pilot, forloeb):
    udskriv(pilot, forloeb, START + 10 * DAG)

    side = hent(client, pilot.sagsbehandler, url("detalje", forloeb), START + 11 * DAG)

    assert url("genaabn", forloeb) not in side.content.decode()


def test_course_staff_hand_on_a_programme_through_the_page(client, pilot, forloeb, kollega):
    data = {"omfordel-ny_medarbejder": kollega.pk, "omfordel-begrundelse": "Ferie."}

    svar = send(client, pilot.forloebsmedarbejder, url("omfordel", forloeb), data, START)

    assert svar.status_code == 302
    forloeb.refresh_from_db()
    assert forloeb.forloebsmedarbejder == kollega


def test_handing_on_to_someone_outside_the_list_is_a_danish_form_error(client, pilot, forloeb):
    data = {"omfordel-ny_medarbejder": pilot.sagsbehandler.pk, "omfordel-begrundelse": "Ferie."}

    svar = send(client, pilot.forloebsmedarbejder, url("omfordel", forloeb), data, START)

    assert svar.status_code == 200
    assert "Vælg en forløbsmedarbejder fra listen." in svar.content.decode()
    forloeb.refresh_from_db()
    assert forloeb.forloebsmedarbejder == pilot.forloebsmedarbejder


@pytest.mark.parametrize("navn", ["fortryd_hovedforloeb", "genaabn", "omfordel"])
def test_a_caseworker_posting_a_correction_gets_403(client, pilot, forloeb, navn):
    if navn == "genaabn":
        udskriv(pilot, forloeb, START + DAG)
    data = {f"{navn.split('_')[0]}-begrundelse": GRUND}

    svar = send(client, pilot.sagsbehandler, url(navn, forloeb), data, START + 2 * DAG)

    assert svar.status_code == 403
    assert not Forloebsrettelse.objects.exists()


@pytest.mark.parametrize("navn", ["fortryd_hovedforloeb", "genaabn", "omfordel"])
@pytest.mark.parametrize("rolle", ["erhvervschef", "administrator", "fremmed"])
def test_outsiders_posting_a_correction_get_404(client, pilot, forloeb, navn, rolle):
    svar = send(client, getattr(pilot, rolle), url(navn, forloeb), {}, START + DAG)
    assert svar.status_code == 404


# The course staff's programme page (tests/forloeb/test_view_detalje.py names its 14 queries):
# the history of corrections is one prefetch however many corrections there are.
FORESPOERGSLER = 14


@pytest.mark.parametrize("antal", [0, 3])
def test_the_history_of_corrections_does_not_add_queries_per_row(
    client, pilot, forloeb, kollega, django_assert_num_queries, antal
):
    for nr in range(antal):
        omfordel(pilot, forloeb, kollega if nr % 2 == 0 else pilot.forloebsmedarbejder)
    adresse = url("detalje", forloeb)
    hent(client, pilot.forloebsmedarbejder, adresse, START + DAG)  # warms the content-type cache

    with paa(START + DAG), django_assert_num_queries(FORESPOERGSLER):
        svar = client.get(adresse)

    assert len(svar.context["rettelser"]) == antal
    assert svar.content.decode().count("Forløbet er omfordelt") == antal
