"""Two-factor login: password, then a code from the app (or a backup code), then the pages.

Codes are computed as the user's app would (django-otp's TOTP) at a time the test controls: a code
belongs to a 30-second step, and a step once used is refused, so each login moves the clock on.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mikrolaan.konti import tofaktor
from tests.byg.fabrikker import TEST_ADGANGSKODE
from tests.byg.proces import DEVELOPMENT_SECRETS, run_python, start_up_error
from tests.byg.tofaktor import app_kode, kode_til, opsaet_tofaktor

START = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)
TRIN = datetime.timedelta(seconds=30)
KODESIDE = reverse("konti:tofaktor")


@pytest.fixture
def kraevet(settings):
    settings.KRAEV_TOFAKTOR = True


@pytest.fixture
def ur():
    with time_machine.travel(START, tick=False) as rejse:
        yield rejse


def _log_ind_med_adgangskode(bruger) -> Client:
    klient = Client()
    svar = klient.post(
        reverse("konti:log_ind"), {"username": bruger.username, "password": TEST_ADGANGSKODE}
    )
    assert svar.status_code == 302, svar.content.decode()
    return klient


def _giv_kode(klient, kode, naeste="/"):
    return klient.post(KODESIDE, {"kode": kode, "next": naeste})


def test_password_then_code_then_the_home_page(kraevet, ur, pilot):
    opsaet_tofaktor(pilot.sagsbehandler)
    ur.shift(TRIN)
    klient = _log_ind_med_adgangskode(pilot.sagsbehandler)

    svar = klient.get("/")
    assert svar.status_code == 302
    assert svar["Location"] == f"{KODESIDE}?next=/"
    assert "Kode til log ind" in klient.get(svar["Location"]).content.decode()

    svar = _giv_kode(klient, kode_til(pilot.sagsbehandler))
    assert svar.status_code == 302
    assert svar["Location"] == "/"
    assert klient.get("/").status_code == 200


def test_a_code_is_refused_the_second_time(kraevet, ur, pilot):
    opsaet_tofaktor(pilot.sagsbehandler)
    ur.shift(TRIN)
    kode = kode_til(pilot.sagsbehandler)
    assert _giv_kode(_log_ind_med_adgangskode(pilot.sagsbehandler), kode).status_code == 302

    # Someone who saw the code over the shoulder, within the same 30 seconds (and the throttle's).
    ur.shift(datetime.timedelta(seconds=2))
    igen = _log_ind_med_adgangskode(pilot.sagsbehandler)
    svar = _giv_kode(igen, kode)

    assert svar.status_code == 200
    assert "Koden er forkert eller allerede brugt" in svar.content.decode()
    assert igen.get("/").status_code == 302


def test_the_code_typed_at_enrolment_does_not_open_a_login(kraevet, ur, pilot):
    noegle = "3132333435363738393031323334353637383930"
    kode = app_kode(noegle)
    assert tofaktor.bekraeft_opsaetning(bruger=pilot.sagsbehandler, noegle=noegle, kode=kode)

    svar = _giv_kode(_log_ind_med_adgangskode(pilot.sagsbehandler), kode)

    assert "Koden er forkert eller allerede brugt" in svar.content.decode()


def test_a_backup_code_works_once(kraevet, ur, pilot):
    reservekode = opsaet_tofaktor(pilot.sagsbehandler).reservekoder[0]

    # Typed as people do: upper case, with a space in the middle.
    svar = _giv_kode(
        _log_ind_med_adgangskode(pilot.sagsbehandler),
        f"{reservekode[:4]} {reservekode[4:]}".upper(),
    )
    assert svar.status_code == 302

    ur.shift(datetime.timedelta(minutes=5))
    svar = _giv_kode(_log_ind_med_adgangskode(pilot.sagsbehandler), reservekode)
    assert "Koden er forkert eller allerede brugt" in svar.content.decode()
    assert StaticToken.objects.filter(token=reservekode).exists() is False
    assert StaticToken.objects.filter(device__user=pilot.sagsbehandler).count() == 9


def test_wrong_codes_make_the_user_wait_before_the_next_try(kraevet, ur, pilot):
    opsaet_tofaktor(pilot.sagsbehandler)
    ur.shift(TRIN)
    klient = _log_ind_med_adgangskode(pilot.sagsbehandler)
    _giv_kode(klient, "000000")

    # The right code, at once after a wrong one: django-otp's throttle refuses to try it.
    svar = _giv_kode(klient, kode_til(pilot.sagsbehandler))

    assert svar.status_code == 200
    assert "For mange forkerte koder. Vent til kl. 10:00:31, og prøv igen." in (
        svar.content.decode()
    )
    ur.shift(datetime.timedelta(seconds=2))
    assert _giv_kode(klient, kode_til(pilot.sagsbehandler)).status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/",
        reverse("borgere:liste"),
        reverse("konti:skift_adgangskode"),
        reverse("konti:tofaktor_reservekoder"),
        reverse("admin:index"),
        reverse("admin:konti_bruger_changelist"),
    ],
)
def test_a_user_who_has_not_given_the_code_reaches_no_page_when_required(
    kraevet, pilot, klient, url
):
    opsaet_tofaktor(pilot.administrator)

    svar = klient(pilot.administrator).get(url)

    assert svar.status_code == 302
    assert svar["Location"].startswith(KODESIDE)


def test_an_htmx_request_without_the_code_sends_the_whole_tab_to_the_code_step(
    kraevet, pilot, klient
):
    opsaet_tofaktor(pilot.sagsbehandler)

    svar = klient(pilot.sagsbehandler).get(reverse("borgere:liste"), HTTP_HX_REQUEST="true")

    assert svar.status_code == 204
    assert svar["HX-Redirect"].startswith(KODESIDE)


def test_the_admin_login_goes_through_the_code_step_too(kraevet, ur, pilot):
    opsaet_tofaktor(pilot.administrator)
    ur.shift(TRIN)
    klient = Client()
    klient.post(
        reverse("admin:login"),
        {"username": pilot.administrator.username, "password": TEST_ADGANGSKODE},
    )

    svar = klient.get(reverse("admin:index"))
    assert svar["Location"] == f"{KODESIDE}?next=/admin/"

    _giv_kode(klient, kode_til(pilot.administrator), naeste="/admin/")
    assert klient.get(reverse("admin:index")).status_code == 200


def test_a_required_user_without_an_app_is_sent_to_enrol_one(kraevet, pilot, klient):
    sagsbehandler = klient(pilot.sagsbehandler)

    svar = sagsbehandler.get(KODESIDE + "?next=/borgere/")

    assert svar["Location"] == reverse("konti:tofaktor_opret") + "?next=%2Fborgere%2F"


def test_enrolment_shows_a_qr_code_and_makes_the_device_only_once_a_code_proves_it(
    kraevet, ur, pilot, klient
):
    sagsbehandler = klient(pilot.sagsbehandler)
    side = sagsbehandler.get(reverse("konti:tofaktor_opret"))
    html = side.content.decode()
    assert '<svg role="img" class="qr-kode" aria-label="QR-kode til godkendelses-appen"' in html
    assert "<script" not in html.split("<main", 1)[1]
    assert not TOTPDevice.objects.filter(user=pilot.sagsbehandler).exists()

    forkert = sagsbehandler.post(reverse("konti:tofaktor_opret"), {"kode": "123456"})
    assert "Koden passer ikke" in forkert.content.decode()
    assert not TOTPDevice.objects.filter(user=pilot.sagsbehandler).exists()

    noegle = sagsbehandler.session[tofaktor.NY_NOEGLE]
    svar = sagsbehandler.post(reverse("konti:tofaktor_opret"), {"kode": app_kode(noegle)})
    assert svar["Location"] == reverse("konti:tofaktor_reservekoder") + "?next=%2F"
    assert TOTPDevice.objects.get(user=pilot.sagsbehandler).confirmed

    koder = sagsbehandler.get(svar["Location"])
    assert len(koder.context["koder"]) == tofaktor.RESERVEKODER_ANTAL
    assert koder.context["koder"][0] in koder.content.decode()
    igen = sagsbehandler.get(svar["Location"]).content.decode()
    assert "Der er ingen nye reservekoder at vise" in igen
    # Enrolled in this session: the user has given the code and may go on.
    assert sagsbehandler.get("/").status_code == 200


def test_a_user_with_an_app_cannot_enrol_another_without_a_reset(kraevet, pilot, klient):
    opsaet_tofaktor(pilot.sagsbehandler)
    sagsbehandler = klient(pilot.sagsbehandler)

    svar = sagsbehandler.post(reverse("konti:tofaktor_opret"), {"kode": "123456"})

    assert "Du har allerede en godkendelses-app tilknyttet" in svar.content.decode()
    assert TOTPDevice.objects.filter(user=pilot.sagsbehandler).count() == 1


def test_in_development_only_a_user_who_set_it_up_is_asked_for_a_code(settings, pilot, klient):
    settings.KRAEV_TOFAKTOR = False
    opsaet_tofaktor(pilot.forloebsmedarbejder)

    assert klient(pilot.sagsbehandler).get("/").status_code == 200
    assert klient(pilot.forloebsmedarbejder).get("/")["Location"].startswith(KODESIDE)


def test_production_refuses_to_start_with_two_factor_turned_off(tmp_path):
    produktion = {
        "DJANGO_ENV": "production",
        **DEVELOPMENT_SECRETS,
        "ALLOWED_HOSTS": "mikrolaan.example.dk",
        "SITE_URL": "https://mikrolaan.example.dk",
        "EMAIL_URL": "smtp+tls://mikrolaan:hemmeligt@mail.example.dk:587",
        "DATABASE_URL": "postgresql://mikrolaan:hemmeligt@db.invalid:5432/mikrolaan",
        "REDIS_URL": "redis://redis.invalid:6379/0",
    }
    setup = "import django; django.setup()"
    assert run_python(tmp_path, produktion, "-c", setup).returncode == 0

    resultat = run_python(tmp_path, produktion | {"KRAEV_TOFAKTOR": "false"}, "-c", setup)

    assert "KRAEV_TOFAKTOR cannot be turned off" in start_up_error(resultat)
