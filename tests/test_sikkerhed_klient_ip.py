"""The client's real address behind the reverse proxy (issue 12, point 4): X-Forwarded-For is
trusted only as far as ANTAL_PROXYER proxies wrote it, for the login lockout, the access log and
the change history alike."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from mikrolaan.revision.models import AdgangsLog
from mikrolaan.sikkerhed import AuditlogMiddleware, klient_ip
from tests.byg.fabrikker import TEST_ADGANGSKODE

PROXY = "172.18.0.5"


def _request(xff: str | None = None):
    ekstra = {"REMOTE_ADDR": PROXY}
    if xff is not None:
        ekstra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **ekstra)


@pytest.mark.parametrize(
    ("antal", "xff", "forventet"),
    [
        # No proxy configured: the header is the client's own claim and is ignored.
        (0, "203.0.113.9", PROXY),
        # One proxy: its entry is the right-most; what the client wrote left of it proves nothing.
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4,203.0.113.9", "203.0.113.9"),
        (1, "2001:db8::7", "2001:db8::7"),
        # Two proxies: the first appended the client, the second appended the first.
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        # A shorter chain did not come through the proxies (say, the health check): the TCP peer.
        (1, None, PROXY),
        (1, "", PROXY),
        (2, "203.0.113.9", PROXY),
        # Not an address (a misconfigured proxy): never stored as if it were one.
        (1, "1.2.3.4, unknown", PROXY),
        (1, "1.2.3.4, 203.0.113.9:443", PROXY),
    ],
)
def test_the_client_address_is_the_entry_the_trusted_proxies_wrote(settings, antal, xff, forventet):
    settings.ANTAL_PROXYER = antal

    assert klient_ip(_request(xff)) == forventet


def test_lockout_and_both_logs_read_the_address_through_klient_ip():
    assert settings.AXES_CLIENT_IP_CALLABLE == "mikrolaan.sikkerhed.klient_ip"
    assert "mikrolaan.sikkerhed.AuditlogMiddleware" in settings.MIDDLEWARE
    assert "auditlog.middleware.AuditlogMiddleware" not in settings.MIDDLEWARE


def test_the_change_history_does_not_take_the_address_the_client_wrote(settings):
    settings.ANTAL_PROXYER = 1

    data = AuditlogMiddleware(lambda r: None).get_extra_data(_request("6.6.6.6, 203.0.113.9"))

    # django-auditlog's own middleware would store 6.6.6.6, the left-most entry.
    assert data["remote_addr"] == "203.0.113.9"
    assert data["remote_port"] is None


def _log_ind(client, brugernavn, adgangskode, ip):
    return client.post(
        reverse("konti:log_ind"),
        {"username": brugernavn, "password": adgangskode},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=ip,
    )


def test_wrong_passwords_from_one_client_do_not_lock_the_user_out_at_another(
    pilot, client, settings
):
    """Behind the proxy every request has the proxy's REMOTE_ADDR: with that as the address, five
    wrong passwords from anyone locked a caseworker out for an hour, wherever they sat."""
    settings.ANTAL_PROXYER = 1
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        _log_ind(client, "sagsbehandler", "forkert-kode", "198.51.100.66")
    assert _log_ind(client, "sagsbehandler", "forkert-kode", "198.51.100.66").status_code == 429

    svar = _log_ind(client, "sagsbehandler", TEST_ADGANGSKODE, "203.0.113.9")

    assert svar.status_code == 302
    assert client.session["_auth_user_id"] == str(pilot.sagsbehandler.pk)


def test_a_client_cannot_escape_its_lockout_by_writing_its_own_header(pilot, client, settings):
    settings.ANTAL_PROXYER = 1
    settings.AXES_FAILURE_LIMIT = 5
    for nr in range(5):
        _log_ind(client, "sagsbehandler", "forkert-kode", f"10.9.9.{nr}, 198.51.100.66")

    svar = _log_ind(client, "sagsbehandler", TEST_ADGANGSKODE, "10.9.9.99, 198.51.100.66")

    assert svar.status_code == 429


def test_the_access_log_records_the_client_address_not_the_proxy(sagsdata, klient, settings):
    settings.ANTAL_PROXYER = 1

    klient(sagsdata.sagsbehandler).get(
        reverse("borgere:detalje", kwargs={"pk": sagsdata.borger.pk}),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )

    raekke = AdgangsLog.objects.filter(objekt_id=str(sagsdata.borger.pk)).latest("pk")
    assert raekke.ip_adresse == "203.0.113.9"
