import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from borgere.models import Borger
from mikrolaan.konti.models import Bruger, Organisation, Rolle
from tests.byg.fabrikker import TEST_ADGANGSKODE, BrugerFactory, OrganisationFactory
from tests.byg.sager import henvis, lav_borger, lav_pladsaftale
from visitation.models import Henvisning

pytestmark = pytest.mark.django_db


def test_the_four_roles_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Rolle.values)


def test_administrators_may_maintain_users_and_organisations():
    rettigheder = set(
        Group.objects.get(name=Rolle.ADMINISTRATOR).permissions.values_list("codename", flat=True)
    )
    assert {"add_bruger", "change_bruger", "change_organisation", "view_adgangslog"} <= rettigheder
    assert "delete_bruger" not in rettigheder


def test_a_user_has_the_role_of_their_group(pilot):
    assert pilot.sagsbehandler.rolle == Rolle.SAGSBEHANDLER
    assert pilot.erhvervschef.har_rolle(Rolle.ERHVERVSCHEF, Rolle.ADMINISTRATOR)
    assert not pilot.erhvervschef.har_rolle(Rolle.SAGSBEHANDLER)
    assert BrugerFactory().rolle is None


def test_users_with_a_role_are_found_per_organisation(pilot):
    BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER, is_active=False)
    assert list(
        Bruger.objects.med_rolle(Rolle.FORLOEBSMEDARBEJDER, organisation_id=pilot.naestved.pk)
    ) == [pilot.forloebsmedarbejder]


def test_case_data_is_scoped_to_the_organisations_of_the_case(pilot):
    aftale = lav_pladsaftale(pilot)
    henvisning = henvis(pilot, aftale)
    # The same provider also takes a citizen from a jobcenter outside the pilot, on places the
    # municipality that jobcenter serves buys.
    anden_kommune = OrganisationFactory(
        navn="Anden Kommune", type=Organisation.Type.KOMMUNE, betjent_af=pilot.fremmed_org
    )
    anden_aftale = lav_pladsaftale(pilot, navn="Anden Kommunes pladser", koeber=anden_kommune)
    ole = lav_borger(pilot, "Ole", bruger=pilot.fremmed)
    andetsteds = henvis(pilot, anden_aftale, ole, bruger=pilot.fremmed)

    def synlige(bruger):
        return set(Henvisning.objects.synlige_for(bruger))

    assert synlige(pilot.sagsbehandler) == {henvisning}
    assert synlige(pilot.forloebsmedarbejder) == {henvisning, andetsteds}
    assert synlige(pilot.fremmed) == {andetsteds}
    # The buying municipality's Erhvervschef and the administrators see no case rows.
    assert synlige(pilot.erhvervschef) == set()
    assert synlige(pilot.administrator) == set()
    # Nor does the pilot's jobcenter see the other jobcenter's citizen.
    assert ole not in Borger.objects.synlige_for(pilot.sagsbehandler)
    assert ole in Borger.objects.synlige_for(pilot.fremmed)


def test_a_colleague_at_the_same_jobcenter_sees_the_case(pilot):
    henvisning = henvis(pilot, lav_pladsaftale(pilot))
    kollega = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)
    assert list(Henvisning.objects.synlige_for(kollega)) == [henvisning]


def test_every_page_needs_login(client):
    svar = client.get(reverse("forside"))
    assert svar.status_code == 302
    assert svar["Location"].startswith(reverse("konti:log_ind"))


def test_the_password_change_page_explains_errors_in_danish(client, pilot):
    client.force_login(pilot.sagsbehandler)
    svar = client.post(
        reverse("konti:skift_adgangskode"),
        {"old_password": TEST_ADGANGSKODE, "new_password1": "kort", "new_password2": "kort"},
    )
    assert "Denne adgangskode er for kort" in svar.content.decode()
    pilot.sagsbehandler.refresh_from_db()
    assert pilot.sagsbehandler.check_password(TEST_ADGANGSKODE)


def test_a_user_changes_their_password(client, pilot):
    client.force_login(pilot.sagsbehandler)
    ny = "et-laengere-og-bedre-kodeord-2026"
    svar = client.post(
        reverse("konti:skift_adgangskode"),
        {"old_password": TEST_ADGANGSKODE, "new_password1": ny, "new_password2": ny},
    )
    assert svar["Location"] == reverse("konti:adgangskode_skiftet")
    pilot.sagsbehandler.refresh_from_db()
    assert pilot.sagsbehandler.check_password(ny)
