"""A caseworker refers only to place agreements their jobcenter takes part in (issue 11, point 3).

A referral shares the citizen, and the CPR reveal, with the agreement's provider. So the form
offers, and the service accepts, only agreements the caseworker's organisation buys or that a
municipality it serves as jobcenter buys (`Organisation.betjent_af`).
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from borgere.models import Borger
from mikrolaan.konti.models import Organisation, Rolle
from mikrolaan.notifikationer.models import Notifikation
from tests.byg.fabrikker import BrugerFactory, OrganisationFactory
from tests.byg.sager import henvis, lav_borger, lav_pladsaftale
from visitation.models import Henvisning

pytestmark = pytest.mark.django_db

SERVICE_FEJL = (
    "Du kan kun henvise til pladsaftaler, som Jobcenter Vallensbæk er part i – som køber eller "
    "som jobcenter for den kommune, der køber pladserne."
)
FORM_FEJL = (
    "Vælg en af de pladsaftaler, der står på listen: din organisation kan kun henvise til "
    "aftaler, den selv er part i."
)


@pytest.fixture
def fremmed_leverandoer():
    """A municipality providing places, with its own course worker, to a buyer the pilot's
    jobcenter does not serve."""
    leverandoer = OrganisationFactory(navn="Fjernby Kommune", type=Organisation.Type.KOMMUNE)
    medarbejder = BrugerFactory(
        username="fjern", organisation=leverandoer, rolle=Rolle.FORLOEBSMEDARBEJDER
    )
    return leverandoer, medarbejder


@pytest.fixture
def fremmed_aftale(pilot, fremmed_leverandoer):
    """An agreement between two organisations unrelated to the pilot's jobcenter."""
    koeber = OrganisationFactory(navn="Andenby Kommune", type=Organisation.Type.KOMMUNE)
    return lav_pladsaftale(
        pilot, navn="Andenby køber i Fjernby", koeber=koeber, leverandoer=fremmed_leverandoer[0]
    )


def data(borger, aftale) -> dict:
    return {
        "pladsaftale": aftale.pk,
        "forsoergelsesgrundlag": borger.forsoergelsesgrundlag_id,
        "forretningsidee": "Cykelværksted",
        "motivation": "Stor",
        "vurdering": "God",
    }


def test_the_form_offers_only_the_agreements_of_the_municipalities_the_jobcenter_serves(
    client, pilot, fremmed_aftale
):
    egen = lav_pladsaftale(pilot, navn="Ishøj køber i Næstved")
    kommune = OrganisationFactory(
        navn="Brøndby Kommune", type=Organisation.Type.KOMMUNE, betjent_af=pilot.jobcenter
    )
    betjent = lav_pladsaftale(pilot, navn="Brøndby køber i Næstved", koeber=kommune)
    # An agreement the jobcenter buys itself is its own too.
    selv = lav_pladsaftale(pilot, navn="Jobcentret køber selv", koeber=pilot.jobcenter)
    borger = lav_borger(pilot)
    client.force_login(pilot.sagsbehandler)

    svar = client.get(reverse("visitation:henvisning_opret", args=[borger.pk]))

    tilbudt = set(svar.context["form"].fields["pladsaftale"].queryset)
    assert tilbudt == {egen, betjent, selv}
    assert fremmed_aftale.navn not in svar.content.decode()


def test_a_forged_post_with_a_foreign_agreement_saves_nothing_and_shares_nothing(
    client, pilot, fremmed_aftale, fremmed_leverandoer
):
    _leverandoer, fjern = fremmed_leverandoer
    borger = lav_borger(pilot)
    client.force_login(pilot.sagsbehandler)

    svar = client.post(
        reverse("visitation:henvisning_opret", args=[borger.pk]), data(borger, fremmed_aftale)
    )

    assert svar.status_code == 200
    assert FORM_FEJL in svar.content.decode()
    assert not Henvisning.objects.exists()
    assert not Notifikation.objects.exists()
    assert borger not in Borger.objects.synlige_for(fjern)
    client.force_login(fjern)
    assert client.get(reverse("borgere:detalje", args=[borger.pk])).status_code == 404
    assert client.post(reverse("borgere:vis_cpr", args=[borger.pk])).status_code == 404


def test_the_service_refuses_a_foreign_agreement_in_danish(pilot, fremmed_aftale):
    borger = lav_borger(pilot)

    with pytest.raises(ValidationError) as fejl:
        henvis(pilot, fremmed_aftale, borger)

    assert fejl.value.message_dict == {"pladsaftale": [SERVICE_FEJL]}
    assert not Henvisning.objects.exists()
    assert not Notifikation.objects.exists()


def test_the_service_reads_the_buyer_from_the_database_not_the_callers_instance(
    pilot, fremmed_aftale
):
    # A caller's instance that claims Ishøj buys the foreign agreement changes nothing.
    fremmed_aftale.koeber = pilot.ishoej

    with pytest.raises(ValidationError):
        henvis(pilot, fremmed_aftale)

    assert not Henvisning.objects.exists()


def test_a_municipality_not_served_by_the_jobcenter_is_not_its_buyer(pilot):
    # Served by another jobcenter: the pilot's caseworker may not refer to what it buys.
    andet = OrganisationFactory(
        navn="Glostrup Kommune", type=Organisation.Type.KOMMUNE, betjent_af=pilot.fremmed_org
    )
    aftale = lav_pladsaftale(pilot, navn="Glostrup køber i Næstved", koeber=andet)

    with pytest.raises(ValidationError):
        henvis(pilot, aftale)
    # ... but that jobcenter's caseworker may.
    borger = lav_borger(pilot, bruger=pilot.fremmed)
    henvisning = henvis(pilot, aftale, borger, bruger=pilot.fremmed)
    assert henvisning.jobcenter == pilot.fremmed_org
