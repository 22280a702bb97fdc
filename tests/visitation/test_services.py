import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from forloeb.models import Fase, Forloeb
from forloeb.services.indskrivning import indskriv, visitation_underskriv
from mikrolaan.konti.models import Rolle
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from tests.byg.fabrikker import BrugerFactory
from tests.byg.sager import henvis, lav_borger, lav_pladsaftale, optag, udskriv, visiter
from visitation import services
from visitation.models import Henvisning, Underskrift, VentelistePlads, Visitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot)


def modtagere(haendelse):
    return set(
        Notifikation.objects.filter(haendelse=haendelse).values_list(
            "modtager__username", flat=True
        )
    )


def test_a_referral_notifies_the_providers_course_staff(pilot, aftale):
    henvisning = henvis(pilot, aftale)

    assert henvisning.status == Henvisning.Status.HENVIST
    assert henvisning.jobcenter == pilot.jobcenter
    assert modtagere(Haendelse.HENVISNING_MODTAGET) == {"forloeb"}


def test_only_a_caseworker_can_refer(pilot, aftale):
    with pytest.raises(PermissionDenied):
        henvis(pilot, aftale, bruger=pilot.forloebsmedarbejder)
    assert not Henvisning.objects.exists()


def test_a_citizen_cannot_have_two_open_referrals(pilot, aftale):
    borger = lav_borger(pilot)
    henvis(pilot, aftale, borger)

    with pytest.raises(ValidationError, match="allerede en åben henvisning"):
        henvis(pilot, aftale, borger)
    assert Henvisning.objects.count() == 1


def test_recording_the_visitation_signs_for_the_recorders_organisation(pilot, aftale):
    visitation = visiter(pilot, henvis(pilot, aftale))

    assert [(u.organisation, u.bruger) for u in visitation.underskrifter.all()] == [
        (pilot.naestved, pilot.forloebsmedarbejder)
    ]
    assert visitation.afgjort is None
    assert visitation.henvisning.status == Henvisning.Status.AFVENTER_UNDERSKRIFT
    # The jobcenter is asked to sign.
    assert modtagere(Haendelse.UNDERSKRIFT_AFVENTER) == {"sagsbehandler"}


def test_a_rejection_needs_a_reason(pilot, aftale):
    henvisning = henvis(pilot, aftale)

    with pytest.raises(ValidationError):
        visiter(pilot, henvisning, beslutning="afvist", afvisningsgrund="")
    assert not Visitation.objects.exists()
    henvisning.refresh_from_db()
    assert henvisning.status == Henvisning.Status.HENVIST


def test_the_database_refuses_a_rejection_without_reason(pilot, aftale):
    visitation = visiter(pilot, henvis(pilot, aftale), beslutning="afvist", afvisningsgrund="Syg")
    with pytest.raises(IntegrityError), transaction.atomic():
        Visitation.objects.filter(pk=visitation.pk).update(afvisningsgrund="")


def test_one_person_cannot_sign_twice(pilot, aftale):
    visitation = visiter(pilot, henvis(pilot, aftale))

    with pytest.raises(ValidationError, match="allerede underskrevet"):
        services.underskriv(bruger=pilot.forloebsmedarbejder, visitation=visitation)
    assert Underskrift.objects.count() == 1


def test_a_colleague_cannot_sign_for_the_same_organisation_twice(pilot, aftale):
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    visitation = visiter(pilot, henvis(pilot, aftale))

    with pytest.raises(ValidationError, match="Næstved Kommune har allerede underskrevet"):
        services.underskriv(bruger=kollega, visitation=visitation)
    assert Underskrift.objects.count() == 1


def test_the_database_refuses_one_person_signing_for_both(pilot, aftale):
    visitation = visiter(pilot, henvis(pilot, aftale))
    with pytest.raises(IntegrityError), transaction.atomic():
        Underskrift.objects.create(
            visitation=visitation, organisation=pilot.jobcenter, bruger=pilot.forloebsmedarbejder
        )


def test_an_outsider_cannot_sign(pilot, aftale):
    visitation = visiter(pilot, henvis(pilot, aftale))
    for bruger in (pilot.fremmed, pilot.erhvervschef, pilot.administrator):
        with pytest.raises(PermissionDenied):
            services.underskriv(bruger=bruger, visitation=visitation)
    assert Underskrift.objects.count() == 1


def test_the_second_signature_admits_the_citizen_with_two_phases(pilot, aftale):
    forloeb = optag(pilot, aftale)

    assert forloeb.status == Forloeb.Status.OPKVALIFICERING
    assert forloeb.henvisning.status == Henvisning.Status.OPTAGET
    faser = list(forloeb.faser.order_by("planlagt_start"))
    assert [f.type for f in faser] == [Fase.Type.OPKVALIFICERING, Fase.Type.HOVEDFORLOEB]
    assert faser[0].planlagt_start == forloeb.startdato
    assert faser[0].planlagt_slut == faser[1].planlagt_start


def test_admission_notifies_the_erhvervschef_and_the_people_on_the_case(pilot, aftale):
    optag(pilot, aftale)

    assert modtagere(Haendelse.INDSKREVET) == {"erhvervschef", "sagsbehandler", "forloeb"}
    besked = Notifikation.objects.get(haendelse=Haendelse.INDSKREVET, modtager=pilot.erhvervschef)
    assert "Anna Jensen" in besked.tekst
    assert "1 af 2 pladser" in besked.tekst


def test_a_rejected_citizen_is_not_admitted(pilot, aftale):
    henvisning = henvis(pilot, aftale)
    visitation = visiter(pilot, henvisning, beslutning="afvist", afvisningsgrund="Ikke klar")

    assert visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation) is None
    henvisning.refresh_from_db()
    assert henvisning.status == Henvisning.Status.AFVIST
    assert not Forloeb.objects.exists()


def test_a_full_agreement_sends_the_citizen_to_the_waiting_list_in_order(pilot):
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    optag(pilot, aftale, lav_borger(pilot, "Anna"))

    assert optag(pilot, aftale, lav_borger(pilot, "Bo")) is None
    assert optag(pilot, aftale, lav_borger(pilot, "Carl")) is None

    ventende = list(VentelistePlads.objects.ventende().filter(pladsaftale=aftale))
    assert [(p.henvisning.borger.fornavn, p.nummer) for p in ventende] == [("Bo", 1), ("Carl", 2)]
    assert ventende[1].position == 2
    assert Forloeb.objects.aktive().count() == 1
    assert modtagere(Haendelse.VENTELISTE) >= {"sagsbehandler", "forloeb"}


def test_admitting_from_a_full_waiting_list_is_refused_and_saves_nothing(pilot):
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    optag(pilot, aftale)
    optag(pilot, aftale, lav_borger(pilot, "Bo"))
    plads = VentelistePlads.objects.get()

    with pytest.raises(ValidationError, match="Pladsaftalen er fuld: 1 af 1 pladser er i brug"):
        indskriv(bruger=pilot.forloebsmedarbejder, henvisning=plads.henvisning, fra_venteliste=True)
    assert Forloeb.objects.count() == 1
    plads.refresh_from_db()
    assert plads.afsluttet is None


def test_a_freed_place_goes_to_the_first_in_line(pilot):
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    foerste = optag(pilot, aftale)
    optag(pilot, aftale, lav_borger(pilot, "Bo"))
    optag(pilot, aftale, lav_borger(pilot, "Carl"))
    udskriv(pilot, foerste, foerste.startdato)
    bo, carl = VentelistePlads.objects.ventende()

    with pytest.raises(ValidationError, match="første på ventelisten"):
        indskriv(bruger=pilot.sagsbehandler, henvisning=carl.henvisning, fra_venteliste=True)
    forloeb = indskriv(bruger=pilot.sagsbehandler, henvisning=bo.henvisning, fra_venteliste=True)

    assert forloeb.borger.fornavn == "Bo"
    assert [p.henvisning.borger.fornavn for p in VentelistePlads.objects.ventende()] == ["Carl"]


def test_a_visitation_decision_of_waiting_list_puts_the_citizen_on_it(pilot, aftale):
    henvisning = henvis(pilot, aftale)
    visitation = visiter(pilot, henvisning, beslutning="venteliste")
    visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)

    henvisning.refresh_from_db()
    assert henvisning.status == Henvisning.Status.VENTELISTE
    assert henvisning.ventelisteplads.position == 1


def test_admission_outside_the_agreements_period_is_refused(pilot):
    aftale = lav_pladsaftale(
        pilot, gyldig_fra=datetime.date(2025, 1, 1), gyldig_til=datetime.date(2025, 12, 31)
    )
    henvisning = henvis(pilot, aftale)
    visitation = visiter(pilot, henvisning)

    with pytest.raises(ValidationError, match="uden for pladsaftalens periode"):
        visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
    assert not Forloeb.objects.exists()
    assert not Underskrift.objects.filter(bruger=pilot.sagsbehandler).exists()


def test_a_citizen_judged_unable_to_complete_cannot_be_admitted_by_the_service(pilot, aftale):
    henvisning = henvis(pilot, aftale)

    with pytest.raises(ValidationError, match="ikke vil kunne gennemføre"):
        visiter(pilot, henvisning, kan_gennemfoere="nej", beslutning="optaget")
    assert not Visitation.objects.exists()


def test_the_database_refuses_admitting_a_citizen_judged_unable(pilot, aftale):
    visitation = visiter(pilot, henvis(pilot, aftale))
    with pytest.raises(IntegrityError), transaction.atomic():
        Visitation.objects.filter(pk=visitation.pk).update(kan_gennemfoere="nej")
