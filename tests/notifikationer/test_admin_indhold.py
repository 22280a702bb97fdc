"""Notifications in the admin: delivery status for all, content only the recipient's or by a
reasoned, logged look-up (issue 11, point 2)."""

from django.urls import reverse

from mikrolaan.notifikationer.models import Notifikation
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import NotifikationFactory

EMNE = "Anna Testesen er indskrevet"
TEKST = "Anna Testesen fra Jobcenter Andetsteds starter i opkvalificeringen 1.12.2026."
LINK = "/forloeb/4711/"
BEGRUNDELSE = "Fejlsøgning af e-mail, sag 2026-118 fra Jobcenter Andetsteds"


def _andens(pilot) -> Notifikation:
    return NotifikationFactory(
        modtager=pilot.fremmed, emne=EMNE, tekst=TEKST, link=LINK, sidste_fejl="SMTPDataError"
    )


def _uden_indhold(html: str):
    for tekst in ("Testesen", "opkvalificeringen", LINK):
        assert tekst not in html, tekst


def test_the_administrator_sees_delivery_not_content_of_others_notifications(pilot, klient):
    notifikation = _andens(pilot)
    admin = klient(pilot.administrator)

    liste = admin.get(reverse("admin:notifikationer_notifikation_changelist"))
    side = admin.get(reverse("admin:notifikationer_notifikation_change", args=[notifikation.pk]))
    historik = admin.get(
        reverse("admin:notifikationer_notifikation_history", args=[notifikation.pk])
    )

    for svar in (liste, side, historik):
        assert svar.status_code == 200
        _uden_indhold(svar.content.decode())
    assert "SMTPDataError" in side.content.decode()
    assert "Vis indholdet med en begrundelse" in side.content.decode()
    assert not AdgangsLog.objects.exists()


def test_the_administrators_own_notification_is_shown_as_usual(pilot, klient):
    egen = NotifikationFactory(modtager=pilot.administrator, emne=EMNE, tekst=TEKST)

    side = klient(pilot.administrator).get(
        reverse("admin:notifikationer_notifikation_change", args=[egen.pk])
    )

    assert TEKST in side.content.decode()


def test_the_reasoned_look_up_shows_the_content_and_logs_the_reason(pilot, klient):
    notifikation = _andens(pilot)

    svar = klient(pilot.administrator).post(
        reverse("admin:notifikationer_notifikation_opslag", args=[notifikation.pk]),
        {"begrundelse": BEGRUNDELSE},
    )

    assert TEKST in svar.content.decode()
    assert LINK in svar.content.decode()
    log = AdgangsLog.objects.get()
    assert (log.bruger, log.handling) == (pilot.administrator, AdgangsLog.Handling.VIS)
    assert log.objekt_id == str(notifikation.pk)
    assert log.kriterier == {"begrundelse": BEGRUNDELSE}


def test_the_look_up_asks_for_a_reason_first(pilot, klient):
    notifikation = _andens(pilot)

    svar = klient(pilot.administrator).post(
        reverse("admin:notifikationer_notifikation_opslag", args=[notifikation.pk]), {}
    )

    _uden_indhold(svar.content.decode())
    assert "Skriv, hvorfor du har brug for at se indholdet." in svar.content.decode()
    assert not AdgangsLog.objects.exists()
