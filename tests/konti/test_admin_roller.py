"""The user admin: nobody widens their own access, no superuser from the admin, every change logged,
and a role with access to citizens is announced to the other administrators (issue 11, point 1)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from mikrolaan.revision.models import AdgangsLog
from tests.byg.admin import brugerformular
from tests.byg.fabrikker import BrugerFactory

SPAERRET = "Du kan ikke ændre din egen rolle, organisation eller status"


def _rolleaendringer():
    return AdgangsLog.objects.filter(
        handling__in=[AdgangsLog.Handling.ROLLEAENDRING, AdgangsLog.Handling.SUPERBRUGER]
    )


def _aendr(klient, bruger, data):
    return klient.post(reverse("admin:konti_bruger_change", args=[bruger.pk]), data)


def test_an_administrator_cannot_make_themselves_superuser_or_a_foreign_caseworker(pilot, klient):
    admin = pilot.administrator
    data = brugerformular(
        admin,
        is_superuser=True,
        organisation=pilot.fremmed_org.pk,
        roller=[Rolle.ADMINISTRATOR, Rolle.SAGSBEHANDLER],
    )

    svar = _aendr(klient(admin), admin, data)

    assert svar.status_code == 200
    assert SPAERRET in svar.content.decode()
    admin = Bruger.objects.get(pk=admin.pk)
    assert not admin.is_superuser
    assert admin.organisation == pilot.ishoej
    assert set(admin.groups.values_list("name", flat=True)) == {Rolle.ADMINISTRATOR}
    assert not _rolleaendringer().exists()
    assert not Notifikation.objects.filter(haendelse=Haendelse.ROLLE_TILDELT).exists()


def test_the_own_account_shows_role_organisation_and_status_read_only(pilot, klient):
    side = klient(pilot.administrator).get(
        reverse("admin:konti_bruger_change", args=[pilot.administrator.pk])
    )
    html = side.content.decode()
    for felt in ("groups", "organisation", "is_staff", "is_superuser"):
        assert f'name="{felt}"' not in html, felt
    assert 'name="first_name"' in html


def test_the_own_account_may_still_change_its_name(pilot, klient):
    admin = pilot.administrator
    # The page posts no locked field, so the save goes through.
    data = brugerformular(admin, first_name="Nyt")
    for felt in ("groups", "organisation", "is_staff"):
        data.pop(felt, None)

    svar = _aendr(klient(admin), admin, data)

    assert svar.status_code == 302
    assert Bruger.objects.get(pk=admin.pk).first_name == "Nyt"


def test_nobody_is_made_superuser_from_the_admin(pilot, klient):
    svar = _aendr(
        klient(pilot.administrator),
        pilot.sagsbehandler,
        brugerformular(pilot.sagsbehandler, is_superuser=True),
    )

    assert SPAERRET in svar.content.decode()
    assert not Bruger.objects.get(pk=pilot.sagsbehandler.pk).is_superuser


def test_nobody_grants_user_permissions_from_the_admin(pilot, klient):
    rettighed = Permission.objects.get(codename="view_borger")
    svar = _aendr(
        klient(pilot.administrator),
        pilot.erhvervschef,
        brugerformular(pilot.erhvervschef, user_permissions=[rettighed.pk]),
    )

    assert SPAERRET in svar.content.decode()
    assert not pilot.erhvervschef.user_permissions.exists()


def test_another_administrator_grants_a_case_role_and_the_others_are_notified(pilot, klient):
    anden_admin = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.ADMINISTRATOR)
    ny = BrugerFactory(organisation=pilot.ishoej, username="ny")

    svar = _aendr(
        klient(pilot.administrator),
        ny,
        brugerformular(ny, organisation=pilot.jobcenter.pk, roller=[Rolle.SAGSBEHANDLER]),
    )

    assert svar.status_code == 302
    assert Bruger.objects.get(pk=ny.pk).har_rolle(Rolle.SAGSBEHANDLER)
    log = _rolleaendringer().get()
    assert log.bruger == pilot.administrator
    assert log.handling == AdgangsLog.Handling.ROLLEAENDRING
    assert log.objekt_id == str(ny.pk)
    assert log.kriterier["roller_foer"] == []
    assert log.kriterier["roller_efter"] == [Rolle.SAGSBEHANDLER]
    assert log.kriterier["organisation_foer"] == "Ishøj Kommune"
    assert log.kriterier["organisation_efter"] == "Jobcenter Vallensbæk"
    besked = Notifikation.objects.get(haendelse=Haendelse.ROLLE_TILDELT)
    assert besked.modtager == anden_admin
    assert "Sagsbehandler" in besked.emne
    assert besked.link == reverse("admin:konti_bruger_change", args=[ny.pk])


def test_moving_a_caseworker_to_another_organisation_is_logged_and_announced(pilot, klient):
    anden_admin = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.ADMINISTRATOR)

    _aendr(
        klient(pilot.administrator),
        pilot.sagsbehandler,
        brugerformular(pilot.sagsbehandler, organisation=pilot.fremmed_org.pk),
    )

    assert _rolleaendringer().get().kriterier["organisation_efter"] == "Jobcenter Andetsteds"
    assert Notifikation.objects.get(haendelse=Haendelse.ROLLE_TILDELT).modtager == anden_admin


def test_removing_a_role_is_logged_but_not_announced(pilot, klient):
    BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.ADMINISTRATOR)

    _aendr(
        klient(pilot.administrator),
        pilot.sagsbehandler,
        brugerformular(pilot.sagsbehandler, roller=[]),
    )

    assert _rolleaendringer().get().kriterier["roller_efter"] == []
    assert not Notifikation.objects.filter(haendelse=Haendelse.ROLLE_TILDELT).exists()


def test_a_user_created_with_a_case_role_is_logged_and_announced(pilot, klient):
    anden_admin = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.ADMINISTRATOR)
    gruppe = Group.objects.get(name=Rolle.FORLOEBSMEDARBEJDER)

    svar = klient(pilot.administrator).post(
        reverse("admin:konti_bruger_add"),
        {
            "username": "nyvejleder",
            "password1": "en-lang-og-god-adgangskode-42",
            "password2": "en-lang-og-god-adgangskode-42",
            "usable_password": "true",
            "organisation": pilot.naestved.pk,
            "groups": [gruppe.pk],
        },
    )

    assert svar.status_code == 302, svar.content.decode()[:2000]
    ny = Bruger.objects.get(username="nyvejleder")
    assert _rolleaendringer().get().objekt_id == str(ny.pk)
    assert Notifikation.objects.get(haendelse=Haendelse.ROLLE_TILDELT).modtager == anden_admin


def test_an_administrator_cannot_change_a_superusers_account(pilot, klient):
    superbruger = BrugerFactory(is_superuser=True, is_staff=True)
    admin = klient(pilot.administrator)

    svar = _aendr(admin, superbruger, brugerformular(superbruger, roller=[Rolle.SAGSBEHANDLER]))
    kode = admin.post(
        reverse("admin:auth_user_password_change", args=[superbruger.pk]),
        {"password1": "ny-kode-til-superbruger-1", "password2": "ny-kode-til-superbruger-1"},
    )

    assert svar.status_code == 403
    assert kode.status_code == 403
    assert not superbruger.groups.exists()


@pytest.mark.parametrize("rolle", [Rolle.SAGSBEHANDLER, Rolle.ADMINISTRATOR])
def test_a_role_groups_permissions_cannot_be_changed_in_the_admin(pilot, klient, rolle):
    # Even a superuser: the permissions of a role are the migrations' to set.
    superbruger = BrugerFactory(is_superuser=True, is_staff=True)
    gruppe = Group.objects.get(name=rolle)
    foer = set(gruppe.permissions.all())
    ekstra = Permission.objects.get(codename="delete_bruger")

    svar = klient(superbruger).post(
        reverse("admin:auth_group_change", args=[gruppe.pk]),
        {"name": "Omdøbt", "permissions": [ekstra.pk]},
    )

    assert svar.status_code == 302
    gruppe.refresh_from_db()
    assert gruppe.name == rolle
    assert set(gruppe.permissions.all()) == foer


def test_the_group_page_lists_members_but_edits_none(pilot, klient):
    gruppe = Group.objects.get(name=Rolle.SAGSBEHANDLER)
    html = (
        klient(pilot.administrator)
        .get(reverse("admin:auth_group_change", args=[gruppe.pk]))
        .content.decode()
    )
    assert str(pilot.sagsbehandler) in html
    assert 'name="user_set"' not in html
    assert 'name="permissions"' not in html
