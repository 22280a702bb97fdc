"""A lost phone: another administrator resets a user's two-factor login, with a logged reason."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mikrolaan.konti import tofaktor
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import BrugerFactory
from tests.byg.tofaktor import med_kode_givet, opsaet_tofaktor


def _nulstil(klient, bruger, begrundelse="Mistet telefon, ringede selv fra sit lokalnummer"):
    return klient.post(
        reverse("konti:tofaktor_nulstil", kwargs={"pk": bruger.pk}), {"begrundelse": begrundelse}
    )


def _enheder(bruger) -> int:
    return (
        TOTPDevice.objects.filter(user=bruger).count()
        + StaticDevice.objects.filter(user=bruger).count()
    )


def test_another_administrator_resets_a_users_devices_and_the_reset_is_logged(pilot, klient):
    opsaet_tofaktor(pilot.sagsbehandler)

    svar = _nulstil(klient(pilot.administrator), pilot.sagsbehandler)

    assert svar["Location"] == reverse("konti:tofaktor_brugere")
    assert _enheder(pilot.sagsbehandler) == 0
    log = AdgangsLog.objects.get(handling=AdgangsLog.Handling.NULSTIL_TOFAKTOR)
    assert log.bruger == pilot.administrator
    assert log.objekt_id == str(pilot.sagsbehandler.pk)
    assert log.objekt_type.model == "bruger"
    assert log.kriterier == {"begrundelse": "Mistet telefon, ringede selv fra sit lokalnummer"}


def test_after_a_reset_the_user_enrols_a_new_app_at_the_next_login(settings, pilot, klient):
    opsaet_tofaktor(pilot.sagsbehandler)
    _nulstil(klient(pilot.administrator), pilot.sagsbehandler)
    settings.KRAEV_TOFAKTOR = True

    svar = klient(pilot.sagsbehandler).get(reverse("konti:tofaktor"))

    assert svar["Location"].startswith(reverse("konti:tofaktor_opret"))


def test_an_administrator_cannot_reset_their_own(pilot, klient):
    opsaet_tofaktor(pilot.administrator)
    administrator = med_kode_givet(klient(pilot.administrator), pilot.administrator)

    side = administrator.get(
        reverse("konti:tofaktor_nulstil", kwargs={"pk": pilot.administrator.pk})
    )
    assert "Du kan ikke nulstille dit eget tofaktor-login" in side.content.decode()
    assert _nulstil(administrator, pilot.administrator).status_code == 403

    assert _enheder(pilot.administrator) == 2
    assert not AdgangsLog.objects.filter(handling=AdgangsLog.Handling.NULSTIL_TOFAKTOR).exists()


@pytest.mark.parametrize("rolle", ["sagsbehandler", "forloebsmedarbejder", "erhvervschef"])
def test_only_administrators_may_reset(pilot, klient, rolle):
    opsaet_tofaktor(pilot.fremmed)

    assert _nulstil(klient(getattr(pilot, rolle)), pilot.fremmed).status_code == 403
    assert _enheder(pilot.fremmed) == 2


def test_a_reset_needs_a_reason(pilot, klient):
    opsaet_tofaktor(pilot.sagsbehandler)

    svar = _nulstil(klient(pilot.administrator), pilot.sagsbehandler, begrundelse="  ")

    assert "Skriv en begrundelse." in svar.content.decode()
    assert _enheder(pilot.sagsbehandler) == 2


def test_the_service_refuses_a_reset_of_ones_own_devices(pilot):
    from django.core.exceptions import PermissionDenied

    opsaet_tofaktor(pilot.administrator)

    with pytest.raises(PermissionDenied):
        tofaktor.nulstil(bruger=pilot.administrator, af=pilot.administrator, begrundelse="x")


def test_the_list_shows_who_has_two_factor_and_offers_reset_for_others_only(pilot, klient):
    opsaet_tofaktor(pilot.sagsbehandler)
    opsaet_tofaktor(pilot.administrator)
    administrator = med_kode_givet(klient(pilot.administrator), pilot.administrator)

    html = administrator.get(reverse("konti:tofaktor_brugere")).content.decode()

    assert reverse("konti:tofaktor_nulstil", kwargs={"pk": pilot.sagsbehandler.pk}) in html
    assert reverse("konti:tofaktor_nulstil", kwargs={"pk": pilot.administrator.pk}) not in html
    # Without two-factor there is nothing to reset.
    assert reverse("konti:tofaktor_nulstil", kwargs={"pk": pilot.erhvervschef.pk}) not in html


@pytest.mark.parametrize("ekstra", [0, 10])
def test_the_list_takes_the_same_number_of_queries_however_many_users(
    pilot, klient, django_assert_num_queries, ekstra
):
    for _ in range(ekstra):
        opsaet_tofaktor(BrugerFactory(organisation=pilot.naestved))
    administrator = klient(pilot.administrator)
    administrator.get(reverse("konti:tofaktor_brugere"))  # warm caches
    # 1 session, 2 user with organisation, 3 the user's roles, 4 count for the pages, 5 the page
    # of users with organisation and whether each has an app, 6 unread notifications (navigation).
    with django_assert_num_queries(6):
        svar = administrator.get(reverse("konti:tofaktor_brugere"))
    assert len(svar.context["side"]) == 5 + ekstra
