"""Django admin: administrators see notifications and job runs, and can retry given-up emails."""

from django.urls import reverse

from mikrolaan.notifikationer import services
from mikrolaan.notifikationer.models import Notifikation
from tests.byg.fabrikker import NotifikationFactory


def test_the_administrator_sees_notifications_and_job_runs_read_only(client, pilot):
    notifikation = NotifikationFactory(modtager=pilot.erhvervschef, sidste_fejl="SMTPDataError")
    client.force_login(pilot.administrator)

    for navn in ("notifikation", "koersel"):
        assert client.get(reverse(f"admin:notifikationer_{navn}_changelist")).status_code == 200
    side = client.get(reverse("admin:notifikationer_notifikation_change", args=[notifikation.pk]))
    assert side.status_code == 200
    assert "SMTPDataError" in side.content.decode()
    assert client.get(reverse("admin:notifikationer_notifikation_add")).status_code == 403


def test_retrying_resets_given_up_emails_but_never_a_sent_one(client, pilot):
    opgivet = NotifikationFactory(
        modtager=pilot.erhvervschef,
        email_oensket=True,
        email_forsoeg=services.EMAIL_MAKS_FORSOEG,
        sidste_fejl="SMTPRecipientsRefused",
    )
    sendt = NotifikationFactory(
        modtager=pilot.sagsbehandler,
        email_oensket=True,
        email_forsoeg=1,
        email_sendt="2026-11-27T10:00:00+01:00",
    )
    client.force_login(pilot.administrator)

    client.post(
        reverse("admin:notifikationer_notifikation_changelist"),
        {"action": "proev_email_igen", "_selected_action": [opgivet.pk, sendt.pk]},
    )

    assert Notifikation.objects.get(pk=opgivet.pk).email_forsoeg == 0
    assert Notifikation.objects.get(pk=sendt.pk).email_forsoeg == 1
    assert services.lever_udestaaende().antal == 1
