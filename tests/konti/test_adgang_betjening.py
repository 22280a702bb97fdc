"""Which jobcenter serves which buying municipality (`Organisation.betjent_af`), and how the one
place that decides scoping (`mikrolaan/konti/adgang.py`) asks for it."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from mikrolaan.konti.models import Organisation
from tests.byg.fabrikker import OrganisationFactory

pytestmark = pytest.mark.django_db

KOMMUNE = Organisation.Type.KOMMUNE
JOBCENTER = Organisation.Type.JOBCENTER


def test_a_jobcenter_cannot_be_served_by_another_in_the_database(pilot):
    with (
        pytest.raises(IntegrityError, match="organisation_kun_kommune_betjenes"),
        transaction.atomic(),
    ):
        Organisation.objects.filter(pk=pilot.fremmed_org.pk).update(betjent_af=pilot.jobcenter)


def test_a_municipality_cannot_be_served_by_a_municipality_in_the_database(pilot, kraever_postgres):
    with (
        pytest.raises(IntegrityError, match="Kun et jobcenter kan betjene en kommune"),
        transaction.atomic(),
    ):
        Organisation.objects.filter(pk=pilot.ishoej.pk).update(betjent_af=pilot.naestved)


def test_a_jobcenter_that_serves_municipalities_cannot_become_one_in_the_database(
    pilot, kraever_postgres
):
    with pytest.raises(IntegrityError, match="betjener kommuner"), transaction.atomic():
        Organisation.objects.filter(pk=pilot.jobcenter.pk).update(type=KOMMUNE)
    # A jobcenter that serves nobody may change.
    Organisation.objects.filter(pk=pilot.fremmed_org.pk).update(type=KOMMUNE)


def test_the_model_explains_both_rules_in_danish(pilot):
    pilot.naestved.betjent_af = pilot.ishoej
    with pytest.raises(ValidationError) as fejl:
        pilot.naestved.full_clean()
    assert fejl.value.message_dict["betjent_af"] == ["Vælg et jobcenter."]

    pilot.jobcenter.type = KOMMUNE
    with pytest.raises(ValidationError) as fejl:
        pilot.jobcenter.full_clean()
    assert fejl.value.message_dict["type"] == [
        "Organisationen betjener kommuner og skal derfor være et jobcenter."
    ]

    pilot.fremmed_org.betjent_af = pilot.jobcenter
    with pytest.raises(ValidationError) as fejl:
        pilot.fremmed_org.full_clean()
    assert "Kun en kommune kan betjenes af et jobcenter." in fejl.value.messages


def test_the_administrator_sets_the_serving_jobcenter_in_the_admin(pilot, klient):
    brondby = OrganisationFactory(navn="Brøndby Kommune", type=KOMMUNE)
    admin = klient(pilot.administrator)
    url = reverse("admin:konti_organisation_change", args=[brondby.pk])

    side = admin.get(url)
    valg = list(side.context["adminform"].form.fields["betjent_af"].queryset)
    svar = admin.post(
        url, {"navn": brondby.navn, "type": KOMMUNE, "email": "", "betjent_af": pilot.jobcenter.pk}
    )

    # Only jobcenters are offered.
    assert valg == [pilot.fremmed_org, pilot.jobcenter]
    assert svar.status_code == 302
    brondby.refresh_from_db()
    assert brondby.betjent_af == pilot.jobcenter
    jobcenter_side = admin.get(
        reverse("admin:konti_organisation_change", args=[pilot.jobcenter.pk])
    )
    assert "Brøndby Kommune, Ishøj Kommune" in jobcenter_side.content.decode()


def test_the_admin_refuses_a_jobcenter_as_the_served_one_in_danish(pilot, klient):
    svar = klient(pilot.administrator).post(
        reverse("admin:konti_organisation_change", args=[pilot.fremmed_org.pk]),
        {
            "navn": pilot.fremmed_org.navn,
            "type": JOBCENTER,
            "email": "",
            "betjent_af": pilot.jobcenter.pk,
        },
    )

    assert svar.status_code == 200
    assert "Kun en kommune kan betjenes af et jobcenter." in svar.content.decode()
    pilot.fremmed_org.refresh_from_db()
    assert pilot.fremmed_org.betjent_af is None


def _datamigration():
    return importlib.import_module("mikrolaan.konti.migrations.0005_vallensbaek_betjener_ishoej")


def test_the_data_migration_lets_vallensbaek_serve_ishoej_on_existing_installations(db):
    ishoej = OrganisationFactory(navn="Ishøj Kommune", type=KOMMUNE)
    OrganisationFactory(navn="Næstved Kommune", type=KOMMUNE)
    vallensbaek = OrganisationFactory(navn="Jobcenter Vallensbæk", type=JOBCENTER)

    _datamigration().saet(apps, None)

    ishoej.refresh_from_db()
    assert ishoej.betjent_af == vallensbaek
    assert not Organisation.objects.filter(navn="Næstved Kommune", betjent_af__isnull=False)


def test_the_data_migration_leaves_other_installations_alone(db):
    anden = OrganisationFactory(navn="Jobcenter Andetsteds", type=JOBCENTER)
    ishoej = OrganisationFactory(navn="Ishøj Kommune", type=KOMMUNE, betjent_af=anden)
    OrganisationFactory(navn="Jobcenter Vallensbæk", type=JOBCENTER)

    _datamigration().saet(apps, None)

    ishoej.refresh_from_db()
    assert ishoej.betjent_af == anden
