"""notificer(): outbox rows in the caller's transaction, email enqueued only after commit."""

import pytest
from django.db import IntegrityError, transaction

from mikrolaan.notifikationer.models import EmailValg, Haendelse, Notifikation
from mikrolaan.notifikationer.services import notificer
from tests.byg.fabrikker import BrugerFactory, NotifikationFactory


def _indskrevet(*modtagere, **ekstra):
    return notificer(
        haendelse=Haendelse.INDSKREVET,
        modtagere=modtagere,
        emne="Anna Hansen er indskrevet",
        tekst="Anna Hansen er indskrevet i mikrolånsforløbet hos Næstved Kommune.",
        link="/forloeb/1/",
        **ekstra,
    )


def test_the_outbox_row_is_written_in_the_callers_transaction_and_enqueued_after_commit(
    pilot, koe, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        (notifikation,) = _indskrevet(pilot.erhvervschef)
        assert Notifikation.objects.filter(pk=notifikation.pk).exists()
        # Still inside the event's transaction: nothing may have been published yet.
        assert koe == []
    assert len(callbacks) == 1
    assert koe == [notifikation.pk]


def test_an_exception_in_the_event_rolls_back_the_outbox_row_and_enqueues_nothing(
    pilot, koe, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _indskrevet(pilot.erhvervschef)
        raise RuntimeError("the event failed after notifying")
    assert not Notifikation.objects.exists()
    assert callbacks == []
    assert koe == []


def test_recipients_are_deduplicated_and_inactive_users_skipped(
    pilot, koe, django_capture_on_commit_callbacks
):
    inaktiv = BrugerFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        oprettede = _indskrevet(pilot.erhvervschef, pilot.erhvervschef, inaktiv)
    assert [n.modtager for n in oprettede] == [pilot.erhvervschef]
    assert not Notifikation.objects.filter(modtager=inaktiv).exists()
    assert koe == [oprettede[0].pk]


def test_no_recipients_creates_nothing_and_registers_no_callback(
    pilot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        assert _indskrevet() == []
    assert callbacks == []


def test_a_user_who_turned_email_off_for_the_event_gets_the_in_app_row_but_no_email(
    pilot, koe, django_capture_on_commit_callbacks
):
    EmailValg.objects.create(bruger=pilot.erhvervschef, haendelse=Haendelse.INDSKREVET, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        (notifikation,) = _indskrevet(pilot.erhvervschef)
    assert notifikation.email_oensket is False
    assert koe == []


def test_turning_email_off_for_another_event_type_does_not_affect_this_one(
    pilot, koe, django_capture_on_commit_callbacks
):
    EmailValg.objects.create(bruger=pilot.erhvervschef, haendelse=Haendelse.UDSKREVET, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        (notifikation,) = _indskrevet(pilot.erhvervschef)
    assert notifikation.email_oensket is True
    assert koe == [notifikation.pk]


def test_a_user_without_an_email_address_gets_only_the_in_app_row(
    pilot, koe, django_capture_on_commit_callbacks
):
    uden_email = BrugerFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        (notifikation,) = _indskrevet(uden_email)
    assert notifikation.email_oensket is False
    assert koe == []


def test_the_same_key_is_never_created_twice_for_a_recipient(
    pilot, koe, django_capture_on_commit_callbacks
):
    noegle = "paamindelse:opfoelgning:1:3m"
    with django_capture_on_commit_callbacks(execute=True):
        foerste = _indskrevet(pilot.erhvervschef, noegle=noegle)
        anden = _indskrevet(pilot.erhvervschef, pilot.sagsbehandler, noegle=noegle)
    assert len(foerste) == 1
    # Only the recipient who did not have the key yet gets a new row (and an email).
    assert [n.modtager for n in anden] == [pilot.sagsbehandler]
    assert Notifikation.objects.filter(modtager=pilot.erhvervschef, noegle=noegle).count() == 1
    assert koe == [foerste[0].pk, anden[0].pk]


def test_the_database_refuses_a_duplicate_key_for_one_recipient(pilot):
    NotifikationFactory(modtager=pilot.erhvervschef, noegle="k")
    NotifikationFactory(modtager=pilot.sagsbehandler, noegle="k")
    NotifikationFactory(modtager=pilot.erhvervschef, noegle="")
    NotifikationFactory(modtager=pilot.erhvervschef, noegle="")
    with pytest.raises(IntegrityError), transaction.atomic():
        NotifikationFactory(modtager=pilot.erhvervschef, noegle="k")


def test_a_cpr_number_in_a_text_is_masked_but_dates_and_cvr_numbers_are_kept(pilot, caplog):
    (notifikation,) = notificer(
        haendelse=Haendelse.UDSKREVET,
        modtagere=[pilot.erhvervschef],
        emne="Borger 010203-1234 udskrevet",
        tekst="Udskrevet 27.11.2026 med egen virksomhed (CVR 12345678). CPR 0102031234.",
    )
    assert notifikation.emne == "Borger [CPR] udskrevet"
    assert "27.11.2026" in notifikation.tekst
    assert "12345678" in notifikation.tekst
    assert "0102031234" not in notifikation.tekst
    # The warning names the event type, never the text.
    assert "udskrevet" in caplog.text
    assert "010203" not in caplog.text


@pytest.mark.parametrize("link", ["https://example.com/", "//example.com/", "forloeb/1/"])
def test_a_link_must_be_a_path_inside_mikrolaan(pilot, link):
    with pytest.raises(ValueError):
        notificer(
            haendelse=Haendelse.INDSKREVET,
            modtagere=[pilot.erhvervschef],
            emne="x",
            tekst="",
            link=link,
        )
    assert not Notifikation.objects.exists()


def test_an_unknown_event_type_is_refused(pilot):
    with pytest.raises(ValueError):
        notificer(haendelse="ukendt", modtagere=[pilot.erhvervschef], emne="x", tekst="")
