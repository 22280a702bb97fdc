"""Email delivery: the task is idempotent, failures are recorded without personal data, a lease
protects a live worker, and the sweep delivers whatever a broker or worker outage left behind."""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from mikrolaan.notifikationer import services, tasks
from mikrolaan.notifikationer.models import Haendelse, Koersel, Notifikation
from tests.byg.fabrikker import NotifikationFactory


@pytest.fixture
def udestaaende(pilot):
    """The Erhvervschef's notification, waiting for its email."""
    return NotifikationFactory(
        modtager=pilot.erhvervschef,
        emne="Anna Hansen er indskrevet",
        tekst="Anna Hansen er indskrevet i mikrolånsforløbet.",
        link="/forloeb/1/",
        email_oensket=True,
    )


def test_running_the_email_task_twice_sends_once(udestaaende):
    assert tasks.send_email(udestaaende.pk) is True
    assert tasks.send_email(udestaaende.pk) is False

    assert len(mail.outbox) == 1
    udestaaende.refresh_from_db()
    assert udestaaende.email_sendt is not None
    assert udestaaende.email_forsoeg == 1
    assert udestaaende.email_laast_til is None


def test_the_email_goes_to_the_recipient_with_subject_text_and_link(udestaaende, settings):
    settings.SITE_URL = "https://mikrolaan.example.dk/"
    tasks.send_email(udestaaende.pk)

    (besked,) = mail.outbox
    assert besked.to == [udestaaende.modtager.email]
    assert besked.subject == "Mikrolån: Anna Hansen er indskrevet"
    assert "Borger indskrevet" in besked.body
    assert "Anna Hansen er indskrevet i mikrolånsforløbet." in besked.body
    # The link opens the notification (marking it read) and then its object.
    assert f"https://mikrolaan.example.dk/notifikationer/{udestaaende.pk}/" in besked.body


def test_without_site_url_the_email_says_where_to_look(udestaaende, settings):
    settings.SITE_URL = ""
    tasks.send_email(udestaaende.pk)
    assert "Log ind i Mikrolån for at se notifikationen." in mail.outbox[0].body


def test_a_notification_without_email_wanted_is_never_sent(pilot):
    kun_i_appen = NotifikationFactory(modtager=pilot.erhvervschef, email_oensket=False)
    assert tasks.send_email(kun_i_appen.pk) is False
    assert tasks.lever_udestaaende() == 0
    assert mail.outbox == []


def test_a_recipient_deactivated_after_the_event_gets_no_email(udestaaende):
    udestaaende.modtager.is_active = False
    udestaaende.modtager.save()
    assert tasks.send_email(udestaaende.pk) is False
    assert mail.outbox == []
    udestaaende.refresh_from_db()
    assert udestaaende.email_oensket is False


def test_a_failed_send_records_the_error_type_without_the_address_and_releases_the_row(
    udestaaende, monkeypatch, caplog
):
    def afvist(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused(
            {udestaaende.modtager.email: (550, b"Anna Hansen unknown")}
        )

    monkeypatch.setattr(services, "send_mail", afvist)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        tasks.send_email(udestaaende.pk)

    udestaaende.refresh_from_db()
    assert udestaaende.email_sendt is None
    assert udestaaende.email_forsoeg == 1
    assert udestaaende.sidste_fejl == "SMTPRecipientsRefused"
    # Released at once, so a retry does not wait for the lease.
    assert udestaaende.email_laast_til is None
    for personlig in (udestaaende.modtager.email, "Anna Hansen", "indskrevet i"):
        assert personlig not in udestaaende.sidste_fejl
        assert personlig not in caplog.text

    monkeypatch.undo()
    assert tasks.send_email(udestaaende.pk) is True
    udestaaende.refresh_from_db()
    assert udestaaende.sidste_fejl == ""
    assert udestaaende.email_forsoeg == 2
    assert len(mail.outbox) == 1


def test_an_smtp_error_keeps_its_code(udestaaende, monkeypatch):
    def midlertidig(*args, **kwargs):
        raise smtplib.SMTPDataError(451, b"try again later")

    monkeypatch.setattr(services, "send_mail", midlertidig)
    with pytest.raises(smtplib.SMTPDataError):
        services.lever_email(notifikation_id=udestaaende.pk)
    udestaaende.refresh_from_db()
    assert udestaaende.sidste_fejl == "SMTPDataError 451"


def test_a_row_leased_to_a_live_worker_is_left_alone_until_the_lease_expires(udestaaende):
    # A worker claimed the row and died mid-send: the lease is still running.
    Notifikation.objects.filter(pk=udestaaende.pk).update(
        email_laast_til=timezone.now() + services.EMAIL_LEASE, email_forsoeg=1
    )
    assert tasks.send_email(udestaaende.pk) is False
    assert tasks.lever_udestaaende() == 0
    assert mail.outbox == []

    with time_machine.travel(timezone.now() + services.EMAIL_LEASE + timedelta(seconds=1)):
        assert tasks.lever_udestaaende() == 1
    assert len(mail.outbox) == 1
    udestaaende.refresh_from_db()
    assert udestaaende.email_forsoeg == 2


def test_a_row_that_failed_too_often_is_left_for_the_administrator(udestaaende):
    Notifikation.objects.filter(pk=udestaaende.pk).update(
        email_forsoeg=services.EMAIL_MAKS_FORSOEG, sidste_fejl="SMTPRecipientsRefused"
    )
    assert tasks.send_email(udestaaende.pk) is False
    assert tasks.lever_udestaaende() == 0
    assert mail.outbox == []


def test_the_sweep_sends_everything_undelivered_once_and_logs_its_run(pilot):
    sendt = NotifikationFactory(
        modtager=pilot.sagsbehandler, email_oensket=True, email_sendt=timezone.now()
    )
    ventende = [
        NotifikationFactory(modtager=bruger, email_oensket=True)
        for bruger in (pilot.erhvervschef, pilot.forloebsmedarbejder)
    ]

    assert tasks.lever_udestaaende() == 2
    assert tasks.lever_udestaaende() == 0

    assert sorted(m.to[0] for m in mail.outbox) == sorted(n.modtager.email for n in ventende)
    assert Notifikation.objects.get(pk=sendt.pk).email_forsoeg == 0
    foerste, anden = Koersel.objects.filter(opgave=services.FEJNING_OPGAVE).order_by("pk")
    assert (foerste.antal, anden.antal) == (2, 0)
    assert foerste.afsluttet >= foerste.startet
    assert foerste.fejl == ""


def test_the_sweep_goes_on_after_a_failing_email_and_records_how_many_failed(pilot, monkeypatch):
    daarlig = NotifikationFactory(modtager=pilot.erhvervschef, email_oensket=True)
    god = NotifikationFactory(modtager=pilot.sagsbehandler, email_oensket=True)
    rigtig_send_mail = services.send_mail

    def send_mail(emne, tekst, afsender, modtagere, **kwargs):
        if modtagere == [daarlig.modtager.email]:
            raise smtplib.SMTPServerDisconnected("forbindelsen blev afbrudt")
        return rigtig_send_mail(emne, tekst, afsender, modtagere, **kwargs)

    monkeypatch.setattr(services, "send_mail", send_mail)
    assert tasks.lever_udestaaende() == 1

    assert [m.to for m in mail.outbox] == [[god.modtager.email]]
    koersel = Koersel.objects.get()
    assert koersel.fejl == "1 e-mail(s) fejlede"
    assert Notifikation.objects.get(pk=daarlig.pk).sidste_fejl == "SMTPServerDisconnected"


def test_a_job_that_crashes_still_logs_its_run_with_the_error_type(db):
    with pytest.raises(ZeroDivisionError), services.koersel("test.opgave") as k:
        k.antal = 3
        1 / 0  # noqa: B018
    koersel = Koersel.objects.get(opgave="test.opgave")
    assert (koersel.antal, koersel.fejl) == (3, "ZeroDivisionError")
    assert koersel.afsluttet is not None


@pytest.mark.usefixtures("broker_nede")
def test_a_broker_outage_at_commit_does_not_fail_the_event_and_the_sweep_delivers_later(
    pilot, django_capture_on_commit_callbacks, caplog
):
    # The real publish path against a broker that refuses connections, as a request would see it.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        (notifikation,) = services.notificer(
            haendelse=Haendelse.INDSKREVET,
            modtagere=[pilot.erhvervschef],
            emne="Anna Hansen er indskrevet",
            tekst="Anna Hansen er indskrevet i mikrolånsforløbet.",
        )

    assert "kunne ikke lægges i kø (OperationalError)" in caplog.text
    assert "Anna Hansen" not in caplog.text
    notifikation.refresh_from_db()
    assert notifikation.email_sendt is None
    assert mail.outbox == []

    # Later, with the broker (and beat) back: the sweep finds the row and sends it.
    assert tasks.lever_udestaaende() == 1
    assert len(mail.outbox) == 1
    notifikation.refresh_from_db()
    assert notifikation.email_sendt is not None
